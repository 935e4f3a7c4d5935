#!/usr/bin/python3
"""PyTorch peer of bench/training/gpt.mjs: one training step (forward, backward, Adam) of a 2-block causal character
GPT: token embedding (vocabulary 96) + learned position embedding, 2 pre-norm blocks (causal self-attention, 4 heads;
feed-forward 512 with exact GELU), a final layer norm and linear logits, cross-entropy on the logits; batch 16,
context 128, model size 128; --threads torch threads. Prints one JSON line: the median step time in ms over the
repeats after one warm-up step.

    /usr/bin/python3 bench/python/gpt_step.py --threads 2
"""
import argparse
import json

import torch
import torch.nn as nn

from encoder_step import Block, median_step_ms  # the encoder's pre-norm block, here with a causal mask


class Gpt(nn.Module):
    def __init__(self, vocab, c, heads, ffn, blocks, context):
        super().__init__()
        self.tokens, self.positions = nn.Embedding(vocab, c), nn.Embedding(context, c)
        self.blocks = nn.ModuleList([Block(c, heads, ffn) for _ in range(blocks)])
        self.norm, self.logits = nn.LayerNorm(c), nn.Linear(c, vocab)

    def forward(self, ids):
        t = ids.shape[1]
        mask = torch.triu(torch.ones(t, t, dtype=torch.bool), diagonal=1)  # True = not attended (the future)
        x = self.tokens(ids) + self.positions(torch.arange(t))
        for b in self.blocks:
            x = b(x, mask)
        return self.logits(self.norm(x))


def main():
    p = argparse.ArgumentParser()
    p.add_argument("--threads", type=int, default=1)
    p.add_argument("--t", type=int, default=128)
    p.add_argument("--batch", type=int, default=16)
    p.add_argument("--min-runs", type=int, default=5)
    p.add_argument("--min-seconds", type=float, default=1.0)
    a = p.parse_args()
    torch.set_num_threads(a.threads)
    torch.manual_seed(0)
    vocab = 96
    net = Gpt(vocab, 128, 4, 512, 2, a.t)
    ids = torch.randint(0, vocab, (a.batch, a.t + 1))
    x, target = ids[:, :-1], ids[:, 1:]
    opt = torch.optim.Adam(net.parameters(), lr=1e-3)
    loss_fn = nn.CrossEntropyLoss()

    def step():
        opt.zero_grad()
        loss = loss_fn(net(x).reshape(-1, vocab), target.reshape(-1))
        loss.backward()
        opt.step()
        return float(loss)

    ms, runs = median_step_ms(step, a.min_runs, a.min_seconds)
    print(json.dumps({"median_ms": ms, "runs": runs, "threads": a.threads, "torch": torch.__version__}))


if __name__ == "__main__":
    main()
