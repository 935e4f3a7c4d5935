#!/usr/bin/python3
"""PyTorch peer of bench/training/encoder.mjs: one training step (forward, backward, Adam) of a 2-block pre-norm
transformer encoder (model size 128, 4 heads, feed-forward 512, exact GELU), batch 8, MSE against a random target,
one thread. Prints one JSON line: the median step time in ms over the repeats after one warm-up step.

    /usr/bin/python3 bench/python/encoder_step.py --t 256
"""
import argparse
import json
import statistics
import time

import torch
import torch.nn as nn


class Block(nn.Module):
    def __init__(self, c, heads, ffn):
        super().__init__()
        self.norm1, self.norm2 = nn.LayerNorm(c), nn.LayerNorm(c)
        self.attn = nn.MultiheadAttention(c, heads, batch_first=True)
        self.ffn = nn.Sequential(nn.Linear(c, ffn), nn.GELU(), nn.Linear(ffn, c))

    def forward(self, x, mask=None):
        h = self.norm1(x)
        x = x + self.attn(h, h, h, attn_mask=mask, need_weights=False)[0]
        return x + self.ffn(self.norm2(x))


def median_step_ms(step, min_runs, min_seconds):
    """The median time of step() in ms over at least min_runs runs and min_seconds, after one warm-up run."""
    step()
    times, start = [], time.perf_counter()
    while len(times) < min_runs or time.perf_counter() - start < min_seconds:
        t0 = time.perf_counter()
        step()
        times.append((time.perf_counter() - t0) * 1000)
    return statistics.median(times), len(times)


def main():
    p = argparse.ArgumentParser()
    p.add_argument("--t", type=int, default=256)
    p.add_argument("--batch", type=int, default=8)
    p.add_argument("--min-runs", type=int, default=5)
    p.add_argument("--min-seconds", type=float, default=1.0)
    a = p.parse_args()
    torch.set_num_threads(1)
    torch.manual_seed(0)
    c = 128
    net = nn.Sequential(Block(c, 4, 512), Block(c, 4, 512))
    x, target = torch.randn(a.batch, a.t, c), torch.randn(a.batch, a.t, c)
    opt = torch.optim.Adam(net.parameters(), lr=1e-3)
    loss_fn = nn.MSELoss()

    def step():
        opt.zero_grad()
        loss = loss_fn(net(x), target)
        loss.backward()
        opt.step()
        return float(loss)

    ms, runs = median_step_ms(step, a.min_runs, a.min_seconds)
    print(json.dumps({"median_ms": ms, "runs": runs, "torch": torch.__version__}))


if __name__ == "__main__":
    main()
