"""zennit side of the MobileNetV2 conservation question (issue #11): how much of f(x) does zennit's
EpsilonPlus keep on torchvision's mobilenet_v2 when its BatchNorms look trained (random scales of either
sign, shifts and running statistics), merged into the convs as lrpjs folds them? And with every folded
bias zero (shift = running mean = 0), and with all depthwise kernels >= 0 (every output has a positive
path)? No pretrained weights are available offline, so this shows the mechanism, not nsfwjs's numbers.
Needs zennit on PYTHONPATH (e.g. its src/ from a checkout)."""
import argparse
import json

import torch
import torchvision
from zennit.attribution import Gradient
from zennit.canonizers import SequentialMergeBatchNorm
from zennit.composites import EpsilonPlus

ap = argparse.ArgumentParser()
ap.add_argument('--threads', type=int, default=2)
ap.add_argument('--batch', type=int, default=2)
args = ap.parse_args()
torch.set_num_threads(args.threads)


def model(variant):
    torch.manual_seed(0)
    m = torchvision.models.mobilenet_v2(num_classes=5).eval()
    g = torch.Generator().manual_seed(1)
    for mod in m.modules():
        if isinstance(mod, torch.nn.BatchNorm2d):
            n = mod.num_features
            mod.weight.data = torch.randn(n, generator=g)
            mod.running_var.data = torch.rand(n, generator=g) * 1.5 + 0.5
            if variant == 'no-bias':
                mod.bias.data.zero_()
                mod.running_mean.data.zero_()
            else:
                mod.bias.data = torch.randn(n, generator=g) * 0.5
                mod.running_mean.data = torch.randn(n, generator=g) * 0.5
        if variant == 'depthwise>=0' and isinstance(mod, torch.nn.Conv2d) and mod.groups > 1:
            mod.weight.data = mod.weight.data.abs()
    if variant == 'depthwise>=0':
        for mod in m.modules():
            if isinstance(mod, torch.nn.BatchNorm2d):
                mod.weight.data = mod.weight.data.abs()
    return m


x = torch.rand(args.batch, 3, 224, 224, generator=torch.Generator().manual_seed(2))
for variant in ['trained-like', 'no-bias', 'depthwise>=0']:
    m = model(variant)
    with Gradient(model=m, composite=EpsilonPlus(canonizers=[SequentialMergeBatchNorm()])) as attributor:
        out = m(x)
        target = torch.nn.functional.one_hot(out.argmax(1), out.shape[1]).float() * out
        _, relevance = attributor(x, target)
    ratio = relevance.sum((1, 2, 3)) / (out * torch.nn.functional.one_hot(out.argmax(1), out.shape[1])).sum(1)
    print(json.dumps({'variant': variant, 'conservation': [float('%.3g' % r) for r in ratio.tolist()]}))
