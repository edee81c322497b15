#!/usr/bin/env python3
"""The PyTorch side of the lrpjs benchmark: the tutorial's code
(shared/seed/000_04279eaf76f812c0.txt), timed stage by stage.

Stages (ids shared with the TypeScript side, bench/src/stages.ts):
  load_cold     fetch_lfw_people with an empty joblib cache (a fresh data home)
  load_cached   the same call again (joblib cache hit)
  train_net1    N+1 SGD steps of the tutorial recipe (batch 25, lr 0.005,
                momentum 0.9), without the printacc evaluations
  vgg_features  VGG-16 features[:17] (random weights) over the training images
  lrp_net1      the tutorial's LRP, 8 test images, on net1
  lrp_vgg       the same on VGG-17 + the 8x8 top conv (net3's shape)
Each stage: one warm-up run, then `reps` timed runs (train_net1: one run after
a 3-step warm-up). Peak memory: getrusage(RUSAGE_SELF).ru_maxrss.

Setup on Debian (no pip needed):
  apt-get install -y python3-torch python3-torchvision python3-sklearn python3-pil
Usually started by `pnpm bench` (bench/src/main.ts); by hand:
  /usr/bin/python3 bench/pytorch/bench.py --data-home DIR --variant deepfunneled \
      --iterations 100 --threads 2 --out /tmp/pytorch.json

--data-home holds lfw_home/<variant folder>/ (the lrpjs layout). scikit-learn
only reads lfw_home/lfw_funneled, so every load goes through a scratch data
home in a temp dir whose lfw_home/lfw_funneled links to the chosen folder
(plus the empty pairs*.txt files scikit-learn checks for).
"""
import argparse
import copy
import json
import os
import platform
import resource
import shutil
import sys
import tempfile
import time
import traceback

import numpy
import torch
import torch.nn as nn
import torch.optim as optim
import sklearn
import sklearn.datasets

LFW_FOLDERS = {'funneled': 'lfw_funneled', 'deepfunneled': 'lfw_deepfunneled', 'original': 'lfw'}
TUTORIAL_SLICE = (slice(68, 197, None), slice(68, 197, None))


def log(*args):
    print('[pytorch]', *args, file=sys.stderr, flush=True)


# ----------------------------------------------------------------------------
# Data
# ----------------------------------------------------------------------------

def make_scratch_home(image_folder):
    """A scikit-learn data home whose lfw_funneled is `image_folder`; empty joblib cache."""
    home = tempfile.mkdtemp(prefix='lrpjs-bench-sklearn-')
    os.makedirs(os.path.join(home, 'lfw_home'))
    os.symlink(image_folder, os.path.join(home, 'lfw_home', 'lfw_funneled'))
    for name in ('pairsDevTrain.txt', 'pairsDevTest.txt', 'pairs.txt'):
        open(os.path.join(home, 'lfw_home', name), 'w').close()
    return home


def remove_scratch_home(home):
    # Unlink the symlink first so nothing can ever recurse into the shared images.
    os.unlink(os.path.join(home, 'lfw_home', 'lfw_funneled'))
    shutil.rmtree(home)


def fetch(home, min_faces):
    return sklearn.datasets.fetch_lfw_people(
        data_home=home, download_if_missing=False, slice_=TUTORIAL_SLICE,
        resize=0.5, min_faces_per_person=min_faces, color=True)


def tensors(D):
    """The tutorial's arrays (Itrain/Itest -> Xtrain/Xtest, NCHW, x*3-1.5)."""
    # The tutorial divides by 255; scikit-learn >= 0.2x already returns [0, 1] (see
    # shared/reference/README.md), so divide only when the pixels exceed 1.
    scale = 255.0 if D.data.max() > 1.0 else 1.0
    h, w = D.images.shape[1:3]
    Itrain = D.data[::2].reshape(-1, h, w, 3) / scale
    Itest = D.data[1::2].reshape(-1, h, w, 3) / scale
    Ttrain = torch.LongTensor(D.target[::2])
    Ttest = torch.LongTensor(D.target[1::2])
    Xtrain = torch.FloatTensor(Itrain.transpose(0, 3, 1, 2) * 3 - 1.5)
    Xtest = torch.FloatTensor(Itest.transpose(0, 3, 1, 2) * 3 - 1.5)
    return Xtrain, Ttrain, Xtest, Ttest


# ----------------------------------------------------------------------------
# Networks (the tutorial's)
# ----------------------------------------------------------------------------

def build_net1(nc, size):
    return nn.Sequential(
        nn.Conv2d(3, 10, 5, padding=2), nn.ReLU(), nn.MaxPool2d(2),
        nn.Conv2d(10, 25, 5, padding=2), nn.ReLU(), nn.MaxPool2d(2),
        nn.Conv2d(25, 100, 5, padding=2), nn.ReLU(), nn.MaxPool2d(2),
        nn.Conv2d(100, nc, size // 8))


def build_vgg17():
    """torchvision's vgg16().features[:17] without building the 138M-parameter classifier
    (it would only inflate peak memory): make_layers(cfg 'D') and torchvision's init."""
    import torchvision.models.vgg as vgg
    features = nn.Sequential(*list(vgg.make_layers(vgg.cfgs['D']))[:17])
    for m in features.modules():
        if isinstance(m, nn.Conv2d):
            nn.init.kaiming_normal_(m.weight, mode='fan_out', nonlinearity='relu')
            nn.init.constant_(m.bias, 0)
    return features


def train_steps(net, Xtrain, Ttrain, nc, steps, batch=25):
    """The tutorial's train() loop body, `steps` times, without printacc."""
    criterion = nn.CrossEntropyLoss()
    optimizer = optim.SGD(net.parameters(), lr=0.005, momentum=0.9)
    for _ in range(steps):
        R = numpy.random.permutation(len(Xtrain))[:batch]
        xr, tr = Xtrain[R] * 1, Ttrain[R] * 1
        optimizer.zero_grad()
        criterion(net.forward(xr).view(-1, nc), tr).backward()
        optimizer.step()


def accuracy(net, X, T, nc):
    net.eval()
    with torch.no_grad():
        Y = net(X).view(-1, nc)
    net.train()
    return torch.mean((Y.argmax(dim=1) == T).float()).item()


# ----------------------------------------------------------------------------
# LRP (the tutorial's code; its arithmetic unchanged)
# ----------------------------------------------------------------------------

def newlayer(layer, g):
    layer = copy.deepcopy(layer)
    try:
        layer.weight = nn.Parameter(g(layer.weight))
    except AttributeError:
        pass
    try:
        layer.bias = nn.Parameter(g(layer.bias))
    except AttributeError:
        pass
    return layer


def LRP(layers, X, T):
    L = len(layers)
    A = [X] + [None] * L
    for l in range(L):
        A[l + 1] = layers[l].forward(A[l])
    R = [None] * L + [A[-1].data * T]
    for l in range(0, L)[::-1]:
        A[l] = (A[l].data).requires_grad_(True)
        if l == 0:
            A[0] = (A[0].data).requires_grad_(True)
            lb = (A[0].data * 0 - 1.5).requires_grad_(True)
            hb = (A[0].data * 0 + 1.5).requires_grad_(True)
            z = layers[0].forward(A[0]) + 1e-9
            z -= newlayer(layers[0], lambda p: p.clamp(min=0)).forward(lb)
            z -= newlayer(layers[0], lambda p: p.clamp(max=0)).forward(hb)
            s = (R[1] / z).data
            (z * s).sum().backward()
            c, cp, cm = A[0].grad, lb.grad, hb.grad
            R[0] = (A[0] * c + lb * cp + hb * cm).data
        elif isinstance(layers[l], torch.nn.Conv2d) or isinstance(layers[l], torch.nn.MaxPool2d):
            rho = lambda p: p + (0.25 if l < L - 1 else 0.0) * p.clamp(min=0)
            incr = lambda z: z + 1e-9
            z = incr(newlayer(layers[l], rho).forward(A[l]))
            s = (R[l + 1] / z).data
            (z * s).sum().backward()
            c = A[l].grad
            R[l] = (A[l] * c).data
        else:
            R[l] = R[l + 1]
    return R


# ----------------------------------------------------------------------------
# Harness
# ----------------------------------------------------------------------------

def timed(fn):
    t = time.perf_counter()
    out = fn()
    return time.perf_counter() - t, out


def repeat(fn, reps, warmup=1):
    for _ in range(warmup):
        fn()
    return [timed(fn)[0] for _ in range(reps)]


def peak_rss_mib():
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024.0  # KiB on Linux


def main():
    ap = argparse.ArgumentParser(description=__doc__.split('\n\n')[0])
    ap.add_argument('--data-home', help='folder holding lfw_home/<variant folder>/')
    ap.add_argument('--variant', default='funneled', choices=sorted(LFW_FOLDERS))
    ap.add_argument('--lfw-folder', help='the image folder itself (overrides --data-home/--variant)')
    ap.add_argument('--min-faces', type=int, default=40)
    ap.add_argument('--iterations', type=int, default=2500, help='nbit: nbit+1 SGD steps')
    ap.add_argument('--threads', type=int, default=0, help='torch.set_num_threads (0: torch default)')
    ap.add_argument('--reps-load', type=int, default=3)
    ap.add_argument('--reps-vgg', type=int, default=3)
    ap.add_argument('--reps-lrp', type=int, default=5)
    ap.add_argument('--warmup', type=int, default=1)
    ap.add_argument('--vgg-images', type=int, default=0, help='0: all training images')
    ap.add_argument('--vgg-batch', type=int, default=64, help='images per forward pass; 0: all at once')
    ap.add_argument('--lrp-images', type=int, default=8)
    ap.add_argument('--stages', default='load_cold,load_cached,train_net1,vgg_features,lrp_net1,lrp_vgg')
    ap.add_argument('--seed', type=int, default=0)
    ap.add_argument('--out', required=True, help='JSON result file')
    args = ap.parse_args()

    if args.lfw_folder:
        folder = os.path.abspath(args.lfw_folder)
    elif args.data_home:
        folder = os.path.join(os.path.abspath(args.data_home), 'lfw_home', LFW_FOLDERS[args.variant])
    else:
        ap.error('pass --data-home (holding lfw_home/<variant folder>) or --lfw-folder')
    if not os.path.isdir(folder):
        raise SystemExit(f'LFW image folder not found: {folder}; pass --data-home/--variant or --lfw-folder')

    if args.threads:
        torch.set_num_threads(args.threads)
    torch.manual_seed(args.seed)
    numpy.random.seed(args.seed)
    wanted = [s for s in args.stages.split(',') if s]
    stages = {}
    result = {
        'runner': 'pytorch',
        'versions': {'python': platform.python_version(), 'torch': torch.__version__,
                     'numpy': numpy.__version__, 'sklearn': sklearn.__version__},
        'threads': torch.get_num_threads(),
        'settings': vars(args),
        'stages': stages,
    }
    try:
        import torchvision
        result['versions']['torchvision'] = torchvision.__version__
    except ImportError:
        pass

    def write():
        result['peakRssMiB'] = peak_rss_mib()
        with open(args.out, 'w') as f:
            json.dump(result, f, indent=1)

    def stage(name, fn):
        if name not in wanted:
            return None
        log(f'{name} ...')
        try:
            info = fn()
            stages[name] = dict(status='ok', **info)
            log(f'{name}: {", ".join("%.3f" % t for t in info["times"])} s')
        except Exception as e:  # one failing stage must not hide the others
            traceback.print_exc()
            stages[name] = {'status': 'failed', 'reason': f'{type(e).__name__}: {e}'}
        write()
        return stages[name]

    # -- 1. data ---------------------------------------------------------------
    homes = []
    cached = {}

    def cold():
        home = make_scratch_home(folder)
        homes.append(home)
        cached['D'] = fetch(home, args.min_faces)

    def load_cold():
        times = repeat(cold, args.reps_load, args.warmup)
        return {'times': times, 'images': int(len(cached['D'].target))}

    def load_cached():
        if not homes:
            cold()
        home = homes[-1]
        times = repeat(lambda: cached.update(D=fetch(home, args.min_faces)), args.reps_load, args.warmup)
        return {'times': times, 'images': int(len(cached['D'].target))}

    try:
        stage('load_cold', load_cold)
        stage('load_cached', load_cached)
        if 'D' not in cached:
            cold()
        D = cached['D']
    finally:
        for home in homes:
            remove_scratch_home(home)
    nc = len(D.target_names)
    Xtrain, Ttrain, Xtest, Ttest = tensors(D)
    size = Xtrain.shape[2]
    result['data'] = {'images': int(len(D.target)), 'classes': nc, 'train': len(Xtrain),
                      'test': len(Xtest), 'shape': [size, size, 3]}  # HWC, as the lrpjs side

    # -- 2. training -------------------------------------------------------------
    def train_net1():
        train_steps(build_net1(nc, size), Xtrain, Ttrain, nc, 3)  # warm-up
        torch.manual_seed(args.seed)
        net = build_net1(nc, size)
        steps = args.iterations + 1
        t, _ = timed(lambda: train_steps(net, Xtrain, Ttrain, nc, steps))
        return {'times': [t], 'steps': steps, 'perStepMs': 1000 * t / steps,
                'trainAccuracy': accuracy(net, Xtrain, Ttrain, nc),
                'testAccuracy': accuracy(net, Xtest, Ttest, nc)}

    stage('train_net1', train_net1)

    # -- 3. VGG-17 features ------------------------------------------------------
    features = build_vgg17().eval()
    n_vgg = len(Xtrain) if args.vgg_images <= 0 else min(args.vgg_images, len(Xtrain))
    batch = n_vgg if args.vgg_batch <= 0 else args.vgg_batch

    def extract():
        with torch.no_grad():
            for start in range(0, n_vgg, batch):
                features(Xtrain[start:min(start + batch, n_vgg)])

    def vgg_features():
        with torch.no_grad():
            features(Xtrain[0:min(batch, n_vgg)])  # warm-up: one batch
        times = repeat(extract, args.reps_vgg, warmup=0)
        return {'times': times, 'images': n_vgg, 'batch': batch}

    stage('vgg_features', vgg_features)

    # -- 4. LRP ---------------------------------------------------------------------
    k = min(args.lrp_images, len(Xtest))
    T = torch.eye(nc)[Ttest[0:k]].view(-1, nc, 1, 1)

    def lrp(layers):
        def run():
            times = repeat(lambda: LRP(layers, Xtest[0:k], T), args.reps_lrp, args.warmup)
            return {'times': times, 'images': k}
        return run

    torch.manual_seed(args.seed)
    net1 = build_net1(nc, size).eval()
    stage('lrp_net1', lrp(list(net1)))
    topconv = nn.Conv2d(256, nc, size // 8)
    stage('lrp_vgg', lrp(list(features) + [topconv]))

    write()
    log(f'peak RSS {result["peakRssMiB"]:.0f} MiB')


if __name__ == '__main__':
    main()
