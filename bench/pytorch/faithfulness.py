#!/usr/bin/env python3
"""The faithfulness protocol of `lrpjs evaluate-explanations`, written with PyTorch + zennit, for timing.

Same workload as bench/src/faithfulness.ts on the lrpjs side: the tutorial's net1 (64×64×3, 19 classes,
seeded random weights: timings do not depend on their values), N images drawn uniformly in the tutorial's
input range [-1.5, 1.5], class i % 19 explained for image i, and for each method

  1. heatmaps of all N images, 16 images per call (as the CLI does):
       lrp:tutorial         zennit NameMapComposite: ZBox(-1.5, 1.5) on conv1, Gamma(0.25) on conv2-3, Epsilon(1e-9) on
                            the top conv (the tutorial's rules)
       lrp:epsilonPlus      zennit EpsilonPlus
       lrp:epsilonGammaBox  zennit EpsilonGammaBox(low=-1.5, high=1.5)
       gradient, inputXGradient   zennit Gradient (× input)
       smoothgrad           zennit SmoothGrad(noise_level=0.1, n_iter=16)
       ig                   zennit IntegratedGradients(n_iter=16), zero baseline
       gradcam              hooks on the last conv with a spatial output (conv3 + ReLU), a few lines of autograd
       occlusion            zennit Occlusion(window=8, stride=8), the window replaced by 0
  2. pixel flipping: regions of `patch`×`patch` ranked by the channel-summed heatmap, most relevant first and least
     relevant first, `steps` steps, each image's channel mean as replacement, rows of 256 perturbed images per
     forward pass; the unperturbed and the fully replaced image are evaluated once for both orders (as lrpjs).

Prints one JSON object: per method the heatmap seconds and the flipping seconds.

    /usr/bin/python3 bench/pytorch/faithfulness.py --images 32 --steps 100 --patch 4 --threads 2 \
        --zennit-src <zennit checkout>/src [--shims ../shared/reference/zennit/gen_zennit_oracle.py]

zennit >= 1.0 needs torch >= 2.1 APIs; on older torch (Debian's 1.13) the shims of the repository's zennit
reference script (`install_shims()`) are applied, as for the zennit parity fixtures.
"""
import argparse
import ast
import json
import os
import sys
import time

import torch
import torch.nn as nn

HERE = os.path.dirname(os.path.abspath(__file__))
METHODS = ['lrp:tutorial', 'lrp:epsilonPlus', 'lrp:epsilonGammaBox', 'gradient', 'inputXGradient', 'smoothgrad',
           'ig', 'gradcam', 'occlusion']


def parse_args():
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument('--images', type=int, default=32)
    p.add_argument('--steps', type=int, default=100)
    p.add_argument('--patch', type=int, default=4)
    p.add_argument('--batch-size', type=int, default=256)
    p.add_argument('--threads', type=int, default=2)
    p.add_argument('--methods', default=','.join(METHODS))
    p.add_argument('--zennit-src', default=None, help="zennit's src folder (or put it on PYTHONPATH)")
    p.add_argument('--shims', default=os.path.join(HERE, '..', '..', '..', 'shared', 'reference', 'zennit',
                                                   'gen_zennit_oracle.py'),
                   help='a script defining install_shims() for zennit on torch < 2.1')
    return p.parse_args()


def load_zennit(args):
    if args.zennit_src:
        sys.path.insert(0, args.zennit_src)
    shims = []
    if os.path.exists(args.shims):
        # only the function: the script itself parses its own arguments at import
        tree = ast.parse(open(args.shims).read())
        fn = next(node for node in tree.body if isinstance(node, ast.FunctionDef) and node.name == 'install_shims')
        scope = {}
        exec(compile(ast.Module(body=[fn], type_ignores=[]), args.shims, 'exec'), scope)
        shims = scope['install_shims']()
    import zennit  # noqa: F401
    return shims


def net1(classes=19):
    return nn.Sequential(
        nn.Conv2d(3, 10, 5, padding=2), nn.ReLU(), nn.MaxPool2d(2),
        nn.Conv2d(10, 25, 5, padding=2), nn.ReLU(), nn.MaxPool2d(2),
        nn.Conv2d(25, 100, 5, padding=2), nn.ReLU(), nn.MaxPool2d(2),
        nn.Conv2d(100, classes, 8), nn.Flatten(),
    ).eval()


def heatmap_fn(method, net):
    """A function (x [n, 3, H, W], one_hot [n, K]) -> relevance [n, H, W] (channel-summed)."""
    from zennit.attribution import Gradient, IntegratedGradients, Occlusion, SmoothGrad
    from zennit.composites import EpsilonGammaBox, EpsilonPlus, NameMapComposite
    from zennit.rules import Epsilon, Gamma, ZBox

    def attributor_fn(make):
        def run(x, one_hot):
            with make() as attributor:
                _, rel = attributor(x, one_hot)
            return rel.sum(1)
        return run

    if method.startswith('lrp:'):
        composite = {
            'lrp:tutorial': lambda: NameMapComposite([
                (['0'], ZBox(low=-1.5, high=1.5)), (['3', '6'], Gamma(gamma=0.25)), (['9'], Epsilon(epsilon=1e-9)),
            ]),
            'lrp:epsilonPlus': lambda: EpsilonPlus(),
            'lrp:epsilonGammaBox': lambda: EpsilonGammaBox(low=-1.5, high=1.5),
        }[method]
        return attributor_fn(lambda: Gradient(model=net, composite=composite()))
    if method == 'gradient':
        return attributor_fn(lambda: Gradient(model=net))
    if method == 'inputXGradient':
        def ixg(x, one_hot):
            with Gradient(model=net) as attributor:
                _, g = attributor(x, one_hot)
            return (g * x).sum(1)
        return ixg
    if method == 'smoothgrad':
        return attributor_fn(lambda: SmoothGrad(model=net, noise_level=0.1, n_iter=16))
    if method == 'ig':
        return attributor_fn(lambda: IntegratedGradients(model=net, n_iter=16))
    if method == 'occlusion':
        return attributor_fn(lambda: Occlusion(model=net, window=(8, 8), stride=(8, 8),
                                               occlusion_fn=lambda x, mask: x.masked_fill(mask, 0.)))
    if method == 'gradcam':
        layer = net[7]  # ReLU after conv3: the last conv output with a spatial extent (16×16)

        def gradcam(x, one_hot):
            store = {}
            handle = layer.register_forward_hook(lambda m, i, o: store.__setitem__('a', o))
            try:
                out = net(x.detach().requires_grad_(True))
                a = store['a']
                g, = torch.autograd.grad((out * one_hot).sum(), a)
            finally:
                handle.remove()
            cam = torch.relu((g.mean((2, 3), keepdim=True) * a).sum(1, keepdim=True))
            return nn.functional.interpolate(cam, size=x.shape[2:], mode='bilinear', align_corners=False)[:, 0]
        return gradcam
    raise ValueError(f'unknown method {method}')


def pixel_flipping(net, x, heat, target, steps, patch, batch_size):
    """Target logits of every (image, order, step) row, rows built the way lrpjs builds them."""
    n, c, h, w = x.shape
    rh, rw = -(-h // patch), -(-w // patch)
    regions = rh * rw
    score = torch.zeros(n, rh * patch, rw * patch)
    score[:, :h, :w] = heat
    score = score.reshape(n, rh, patch, rw, patch).sum((2, 4)).reshape(n, regions)
    orders = [score.argsort(1, descending=True), score.argsort(1, descending=False)]
    flipped = [round(s * regions / steps) for s in range(steps + 1)]
    middle = sorted(set(k for k in flipped if 0 < k < regions))
    repl = x.mean((2, 3), keepdim=True).expand_as(x)
    region_of = (torch.arange(h)[:, None] // patch * rw + torch.arange(w)[None, :] // patch)  # [h, w]
    # rank of each pixel's region per image and order, then one row per (image, k): rank < k is replaced
    rows = [(i, None, 0) for i in range(n)] + [(i, None, regions) for i in range(n)]
    rows += [(i, o, k) for o in range(2) for i in range(n) for k in middle]
    rank = []
    for order in orders:
        r = torch.empty_like(order)
        r.scatter_(1, order, torch.arange(regions).expand(n, regions))
        rank.append(r[:, region_of])  # [n, h, w]
    out = torch.empty(len(rows))
    with torch.no_grad():
        for start in range(0, len(rows), batch_size):
            chunk = rows[start:start + batch_size]
            img = torch.tensor([i for i, _, _ in chunk])
            ks = torch.tensor([k for _, _, k in chunk]).view(-1, 1, 1, 1)
            o = torch.tensor([0 if o is None else o for _, o, _ in chunk])
            pixel_rank = torch.stack([rank[oo][ii] for ii, oo in zip(img.tolist(), o.tolist())])[:, None]
            mask = (pixel_rank < ks).float()
            xi = x[img]
            y = net(xi + (repl[img] - xi) * mask)
            out[start:start + len(chunk)] = y[torch.arange(len(chunk)), target[img]]
    return out


def main():
    args = parse_args()
    torch.set_num_threads(args.threads)
    shims = load_zennit(args)
    torch.manual_seed(0)
    net = net1()
    for p in net.parameters():
        p.requires_grad_(False)
    n = args.images
    x = torch.rand(n, 3, 64, 64) * 3 - 1.5
    target = torch.arange(n) % 19
    one_hot = nn.functional.one_hot(target, 19).float()
    results = []
    for method in [m for m in args.methods.split(',') if m]:
        fn = heatmap_fn(method, net)
        fn(x[:2], one_hot[:2])  # warm-up
        t0 = time.perf_counter()
        heat = torch.cat([fn(x[s:s + 16], one_hot[s:s + 16]).detach() for s in range(0, n, 16)])
        t1 = time.perf_counter()
        pixel_flipping(net, x, heat, target, args.steps, args.patch, args.batch_size)
        t2 = time.perf_counter()
        results.append({'method': method, 'explainSeconds': t1 - t0, 'flipSeconds': t2 - t1})
    print(json.dumps({
        'side': f'pytorch {torch.__version__} + zennit', 'threads': torch.get_num_threads(), 'shims': shims,
        'images': n, 'steps': args.steps, 'patch': args.patch, 'batchSize': args.batch_size, 'methods': results,
    }))


if __name__ == '__main__':
    main()
