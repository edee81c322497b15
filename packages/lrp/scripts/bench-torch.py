#!/usr/bin/env python3
"""Times the tutorial's PyTorch LRP (shared/reference/seed_reference.LRP) on the shapes of
bench-lrp.ts, for a same-sitting comparison:  /usr/bin/python3 scripts/bench-torch.py [threads] [runs]"""
import os
import statistics
import sys
import time

import torch
import torch.nn as nn

here = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.environ.get('LRPJS_REFERENCE_DIR', os.path.join(here, '../../../../shared/reference')))
from seed_reference import LRP  # noqa: E402

threads = int(sys.argv[1]) if len(sys.argv) > 1 else 2
runs = int(sys.argv[2]) if len(sys.argv) > 2 else 15
torch.set_num_threads(threads)
torch.manual_seed(0)

net1 = nn.Sequential(
    nn.Conv2d(3, 10, 5, padding=2), nn.ReLU(), nn.MaxPool2d(2),
    nn.Conv2d(10, 25, 5, padding=2), nn.ReLU(), nn.MaxPool2d(2),
    nn.Conv2d(25, 100, 5, padding=2), nn.ReLU(), nn.MaxPool2d(2),
    nn.Conv2d(100, 19, 8))
vgg = []
c = 3
for block in ([64, 64], [128, 128], [256, 256, 256]):
    for f in block:
        vgg += [nn.Conv2d(c, f, 3, padding=1), nn.ReLU()]
        c = f
    vgg.append(nn.MaxPool2d(2))
vgg = nn.Sequential(*vgg, nn.Conv2d(256, 19, 8))

X = torch.rand(8, 3, 64, 64) * 3 - 1.5
T = torch.eye(19)[[0, 3, 5, 7, 9, 11, 13, 18]].view(8, 19, 1, 1)
print('torch', torch.__version__, 'threads', torch.get_num_threads())
for name, net, n in (('net1', net1, runs), ('vgg', vgg, max(5, runs // 2))):
    net.eval()
    for _ in range(3):
        LRP(list(net), X, T)
    ts, cpu = [], []
    for _ in range(n):
        t, c = time.time(), time.process_time()
        LRP(list(net), X, T)
        ts.append(time.time() - t)
        cpu.append(time.process_time() - c)
    # process CPU time sums all threads: with 1 thread it is the wall time an idle machine would show
    print('%s: wall median %.4f s, min %.4f s over %d runs; CPU median %.4f s, min %.4f s'
          % (name, statistics.median(ts), min(ts), n, statistics.median(cpu), min(cpu)))
