"""zennit side of the MobileNetV2 speed comparison: torchvision's mobilenet_v2 (random weights), 8 images
of 224x224, EpsilonPlus with BatchNorm merged (as lrpjs folds it), the same thread count. Median of
--reps timed calls after a warm-up. Needs zennit on PYTHONPATH (e.g. its src/ from a checkout)."""
import argparse
import json
import time

import torch
import torchvision
from zennit.attribution import Gradient
from zennit.canonizers import SequentialMergeBatchNorm
from zennit.composites import EpsilonPlus

ap = argparse.ArgumentParser()
ap.add_argument('--threads', type=int, default=2)
ap.add_argument('--batch', type=int, default=8)
ap.add_argument('--reps', type=int, default=3)
args = ap.parse_args()
torch.set_num_threads(args.threads)
torch.manual_seed(0)
model = torchvision.models.mobilenet_v2(num_classes=5).eval()
x = torch.rand(args.batch, 3, 224, 224)
composite = EpsilonPlus(canonizers=[SequentialMergeBatchNorm()])


def once():
    t0 = time.perf_counter()
    with Gradient(model=model, composite=composite) as attributor:
        out = model(x)
        target = torch.nn.functional.one_hot(out.argmax(1), out.shape[1]).float()
        _, relevance = attributor(x, target)
    relevance.sum().item()
    return time.perf_counter() - t0


warm = once()
times = sorted(once() for _ in range(args.reps))
print(json.dumps({'side': 'zennit', 'torch': torch.__version__, 'threads': args.threads, 'batch': args.batch,
                  'warm': warm, 'times': times, 'median': times[len(times) // 2]}))
