#!/usr/bin/python3
"""PyTorch peer of bench/training/decoding.mjs: greedy decoding with a key/value cache of a 4-block pre-norm
character GPT (model 256, 4 heads, feed-forward 1024, exact GELU, vocabulary 96, random weights), batch 1: the
prompt in one forward (prefill), then one token per forward attending over the cached keys and values.
Prints one JSON line: tokens/s = new tokens / (prefill + steps), the median over the repeats after one warm-up.

    /usr/bin/python3 bench/python/decode_tokens.py --prompt 64 --new-tokens 256 --threads 1
"""
import argparse
import json
import math
import statistics
import time

import torch
import torch.nn as nn
import torch.nn.functional as F


class Block(nn.Module):
    def __init__(self, c, heads, ffn):
        super().__init__()
        self.heads = heads
        self.norm1, self.norm2 = nn.LayerNorm(c), nn.LayerNorm(c)
        self.qkv, self.out = nn.Linear(c, 3 * c), nn.Linear(c, c)
        self.ffn = nn.Sequential(nn.Linear(c, ffn), nn.GELU(), nn.Linear(ffn, c))

    def forward(self, x, cache):
        """x [1, T, C], the new positions; cache: [keys, values] [1, H, capacity, D] and the cached length (updated)."""
        B, T, C = x.shape
        q, k, v = self.qkv(self.norm1(x)).view(B, T, 3, self.heads, C // self.heads).permute(2, 0, 3, 1, 4)
        n = cache["length"]
        cache["k"][:, :, n:n + T] = k
        cache["v"][:, :, n:n + T] = v
        cache["length"] = n + T
        keys, values = cache["k"][:, :, :n + T], cache["v"][:, :, :n + T]
        scores = q @ keys.transpose(-1, -2) / math.sqrt(C // self.heads)
        if T > 1:  # causal over the new positions (bottom-right: new query t sees keys 0 … n + t)
            mask = torch.ones(T, n + T, dtype=torch.bool).tril(n)
            scores = scores.masked_fill(~mask, float("-inf"))
        h = (F.softmax(scores, dim=-1) @ values).transpose(1, 2).reshape(B, T, C)
        x = x + self.out(h)
        return x + self.ffn(self.norm2(x))


class Gpt(nn.Module):
    def __init__(self, vocabulary=96, c=256, heads=4, ffn=1024, blocks=4, context=512):
        super().__init__()
        self.c, self.heads = c, heads
        self.tokens, self.positions = nn.Embedding(vocabulary, c), nn.Embedding(context, c)
        self.blocks = nn.ModuleList(Block(c, heads, ffn) for _ in range(blocks))
        self.norm, self.logits = nn.LayerNorm(c), nn.Linear(c, vocabulary)

    def start(self, capacity):
        shape = (1, self.heads, capacity, self.c // self.heads)
        return [{"k": torch.empty(shape), "v": torch.empty(shape), "length": 0} for _ in self.blocks]

    def forward(self, ids, start, caches):
        x = self.tokens(ids) + self.positions(torch.arange(start, start + ids.shape[1]))
        for block, cache in zip(self.blocks, caches):
            x = block(x, cache)
        return self.logits(self.norm(x))


@torch.no_grad()
def generate(net, prompt, new_tokens):
    caches = net.start(len(prompt) + new_tokens)
    logits = net(torch.tensor([prompt]), 0, caches)
    out, position = [], len(prompt)
    for _ in range(new_tokens):
        token = int(logits[0, -1].argmax())
        out.append(token)
        if len(out) == new_tokens:
            break
        logits = net(torch.tensor([[token]]), position, caches)
        position += 1
    return out


def main():
    p = argparse.ArgumentParser()
    p.add_argument("--prompt", type=int, default=64)
    p.add_argument("--new-tokens", type=int, default=256)
    p.add_argument("--repeats", type=int, default=5)
    p.add_argument("--threads", type=int, default=1)
    a = p.parse_args()
    torch.set_num_threads(a.threads)
    torch.manual_seed(0)
    net = Gpt(context=a.prompt + a.new_tokens).eval()
    prompt = [(i * 37 + 11) % 96 for i in range(a.prompt)]
    generate(net, prompt, a.new_tokens)
    times = []
    for _ in range(a.repeats):
        t0 = time.perf_counter()
        generate(net, prompt, a.new_tokens)
        times.append(time.perf_counter() - t0)
    print(json.dumps({"tokens_per_second": a.new_tokens / statistics.median(times), "runs": len(times), "threads": a.threads, "torch": torch.__version__}))


if __name__ == "__main__":
    main()
