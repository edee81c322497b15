#!/usr/bin/env python3
"""Pixel-flipping throughput in PyTorch, the protocol of bench-pixel-flipping.ts: the tutorial's net1
(64×64×3, 19 classes), N images × (steps + 1) × 2 orders forward passes, 4×4 regions, mean replacement,
256 rows per pass, 2 threads. Prints perturbed images per second.

    /usr/bin/python3 scripts/bench_pixel_flipping.py [images=64] [steps=100]
"""
import json
import sys
import time

import torch
import torch.nn as nn

torch.set_num_threads(2)
images = int(sys.argv[1]) if len(sys.argv) > 1 else 64
steps = int(sys.argv[2]) if len(sys.argv) > 2 else 100
torch.manual_seed(0)
net = nn.Sequential(
    nn.Conv2d(3, 10, 5, padding=2), nn.ReLU(), nn.MaxPool2d(2),
    nn.Conv2d(10, 25, 5, padding=2), nn.ReLU(), nn.MaxPool2d(2),
    nn.Conv2d(25, 100, 5, padding=2), nn.ReLU(), nn.MaxPool2d(2),
    nn.Conv2d(100, 19, 8), nn.Flatten(),
).eval()
x = torch.randn(images, 3, 64, 64)
heat = torch.rand(images, 64, 64)
target = torch.arange(images) % 19
P, R = 4, 16 * 16


def flip(descending):
    score = heat.reshape(images, 16, P, 16, P).sum((2, 4)).reshape(images, R)
    order = score.argsort(1, descending=descending)
    rank = torch.empty_like(order)
    rank.scatter_(1, order, torch.arange(R).expand(images, R))
    pixel_rank = rank.reshape(images, 16, 16).repeat_interleave(P, 1).repeat_interleave(P, 2)[:, None]
    repl = x.mean((2, 3), keepdim=True).expand_as(x)
    flipped = torch.tensor([round(s * R / steps) for s in range(steps + 1)])
    rows = images * (steps + 1)
    out = torch.empty(rows)
    with torch.no_grad():
        for start in range(0, rows, 256):
            idx = torch.arange(start, min(rows, start + 256))
            img, s = idx // (steps + 1), idx % (steps + 1)
            mask = (pixel_rank[img] < flipped[s][:, None, None, None]).float()
            xi = x[img]
            y = net(xi + (repl[img] - xi) * mask)
            out[idx - start + start] = y[torch.arange(len(idx)), target[img]]
    return out


flip(True)  # warm-up
t0 = time.perf_counter()
flip(True)
flip(False)
s = time.perf_counter() - t0
rows = images * (steps + 1) * 2
print(json.dumps({'backend': 'pytorch ' + torch.__version__, 'images': images, 'steps': steps,
                  'seconds': round(s, 2), 'imageStepsPerSecond': round(rows / s)}))
