#!/usr/bin/python3
"""PyTorch baseline for the attention-layers Japanese Vowels job (reference only, not part of the library).

Same network as app/cli/models.ts `attentionModel`:
  z-score per channel (stats over all valid training time steps, population std)
  -> multi-head self-attention (4 heads, 12 channels, biases, padded keys masked)
  -> LayerNorm over channels (eps 1e-5) -> mean over valid time steps -> Linear(12, 9)
  -> CrossEntropyLoss on logits; Adam(0.9, 0.999, eps 1e-8), no weight decay, shuffle every epoch,
  the last (partial) mini-batch kept.

Run with Debian's python3-torch:  /usr/bin/python3 tools/pytorch-baseline/japanese_vowels.py --seeds 0-9
Prints one JSON line per seed and a summary line (mean/min/max test accuracy).

--init torch : PyTorch defaults (MHA in_proj xavier_uniform over the stacked [36, 12] matrix, zero in_proj/out_proj
               biases; out_proj weight and Linear kaiming_uniform(a=sqrt(5)) i.e. U(+-1/sqrt(fan_in)); Linear bias
               U(+-1/sqrt(fan_in))).
--init glorot: ours / MATLAB's: every projection W_q, W_k, W_v, W_o glorot-uniform with its own fan 12/12
               (bound sqrt(6/24)), Linear glorot with fan 12/9, all biases zero.
--attn-init / --fc-init override the attention part / the Linear part separately (torch | glorot | scaled:<bound>).
"""
import argparse
import json
import math
import os
import sys
import time

import torch
import torch.nn as nn

HERE = os.path.dirname(os.path.abspath(__file__))
DATA = os.path.normpath(os.path.join(HERE, "..", "..", "data", "japanese-vowels"))


def load_ts(path):
    seqs, labels = [], []
    in_data = False
    with open(path) as f:
        for line in f:
            line = line.strip()
            if not line or line.startswith("#"):
                continue
            if not in_data:
                if line.lower().startswith("@data"):
                    in_data = True
                continue
            parts = line.split(":")
            chans = [[float(v) for v in p.split(",")] for p in parts[:-1]]
            x = torch.tensor(chans, dtype=torch.float32).t().contiguous()  # [T, C]
            # strip trailing all-zero steps (padding), as our loader does
            t = x.shape[0]
            while t > 0 and bool((x[t - 1] == 0).all()):
                t -= 1
            seqs.append(x[:t])
            labels.append(parts[-1].strip())
    classes = sorted(set(labels), key=lambda s: float(s))
    y = torch.tensor([classes.index(s) for s in labels], dtype=torch.long)
    return seqs, y


def pad(seqs):
    lengths = torch.tensor([s.shape[0] for s in seqs])
    T = int(lengths.max())
    x = torch.zeros(len(seqs), T, seqs[0].shape[1])
    for i, s in enumerate(seqs):
        x[i, : s.shape[0]] = s
    valid = torch.arange(T)[None, :] < lengths[:, None]  # [B, T] True = real step
    return x, valid


class Net(nn.Module):
    def __init__(self, channels=12, heads=4, classes=9, pool_before_norm=False, attn_dropout=0.0):
        super().__init__()
        # dropout here acts on the attention weights (as selfAttentionLayer's dropoutProbability)
        self.attn = nn.MultiheadAttention(channels, heads, bias=True, batch_first=True, dropout=attn_dropout)
        self.norm = nn.LayerNorm(channels, eps=1e-5)
        self.fc = nn.Linear(channels, classes)
        self.pool_before_norm = pool_before_norm

    def forward(self, x, valid):
        h, _ = self.attn(x, x, x, key_padding_mask=~valid, need_weights=False)
        m = valid.unsqueeze(-1).to(h.dtype)
        if self.pool_before_norm:
            return self.fc(self.norm((h * m).sum(1) / m.sum(1)))
        h = self.norm(h)
        pooled = (h * m).sum(1) / m.sum(1)
        return self.fc(pooled)


def uniform_(t, bound):
    with torch.no_grad():
        t.uniform_(-bound, bound)


def apply_init(net, attn_init, fc_init):
    C = net.attn.embed_dim
    if attn_init == "glorot":
        w = net.attn.in_proj_weight  # [3C, C] = stacked W_q, W_k, W_v
        with torch.no_grad():
            for i in range(3):
                w[i * C:(i + 1) * C].uniform_(-math.sqrt(6 / (C + C)), math.sqrt(6 / (C + C)))
        uniform_(net.attn.out_proj.weight, math.sqrt(6 / (C + C)))
        nn.init.zeros_(net.attn.in_proj_bias)
        nn.init.zeros_(net.attn.out_proj.bias)
    elif attn_init.startswith("scaled:"):
        b = float(attn_init.split(":")[1])
        uniform_(net.attn.in_proj_weight, b)
        uniform_(net.attn.out_proj.weight, b)
        nn.init.zeros_(net.attn.in_proj_bias)
        nn.init.zeros_(net.attn.out_proj.bias)
    elif attn_init != "torch":
        raise SystemExit(f"unknown attn init {attn_init}")
    O, I = net.fc.weight.shape
    if fc_init == "glorot":
        uniform_(net.fc.weight, math.sqrt(6 / (I + O)))
        nn.init.zeros_(net.fc.bias)
    elif fc_init.startswith("scaled:"):
        uniform_(net.fc.weight, float(fc_init.split(":")[1]))
        nn.init.zeros_(net.fc.bias)
    elif fc_init != "torch":
        raise SystemExit(f"unknown fc init {fc_init}")


def evaluate(net, seqs, y, bs=128):
    net.eval()
    correct = 0
    with torch.no_grad():
        for i in range(0, len(seqs), bs):
            x, valid = pad(seqs[i:i + bs])
            correct += int((net(x, valid).argmax(1) == y[i:i + bs]).sum())
    return correct / len(seqs)


def run(seed, a, train, test):
    torch.manual_seed(seed)
    xs, y = train
    net = Net(pool_before_norm=a.pool_before_norm, attn_dropout=a.attn_dropout)
    apply_init(net, a.attn_init or a.init, a.fc_init or a.init)
    # L2 as in our trainNet (MATLAB style): l2 * w added to the gradient of weights and the LayerNorm scale,
    # not of biases / LayerNorm offset (Adam's weight_decay adds exactly that to the gradient)
    decay = [net.attn.in_proj_weight, net.attn.out_proj.weight, net.norm.weight, net.fc.weight]
    rest = [q for q in net.parameters() if all(q is not d for d in decay)]
    opt = torch.optim.Adam([{"params": decay, "weight_decay": a.l2}, {"params": rest, "weight_decay": 0.0}],
                           lr=a.lr, betas=(0.9, 0.999), eps=1e-8)
    if a.adamw is not None:  # diagnostic: torch.optim.AdamW (decoupled decay on all parameters, its default 0.01)
        opt = torch.optim.AdamW(net.parameters(), lr=a.lr, betas=(0.9, 0.999), eps=1e-8, weight_decay=a.adamw)
    loss_fn = nn.CrossEntropyLoss()
    g = torch.Generator().manual_seed(seed)
    n = len(xs)
    t0 = time.time()
    curve = []
    for epoch in range(a.epochs):
        net.train()
        if a.drop_period:  # like our "piecewise": lr * factor^floor((epoch-1)/period), epochs counted from 1
            for group in opt.param_groups:
                group["lr"] = a.lr * a.drop_factor ** (epoch // a.drop_period)
        order = torch.randperm(n, generator=g).tolist()
        for i in range(0, n, a.batch):
            idx = order[i:i + a.batch]
            if a.drop_last and len(idx) < a.batch:
                continue
            x, valid = pad([xs[j] for j in idx])
            loss = loss_fn(net(x, valid), y[idx])
            opt.zero_grad()
            loss.backward()
            opt.step()
        if a.log_every and (epoch + 1) % a.log_every == 0:
            curve.append(round(evaluate(net, *test), 4))
    secs = time.time() - t0
    r = {"seed": seed, "acc": round(evaluate(net, *test), 4), "train_acc": round(evaluate(net, *train), 4), "seconds": round(secs, 3)}
    if a.log_every:
        r["test_acc_every"] = curve
    return r


def parse_seeds(s):
    out = []
    for part in s.split(","):
        if "-" in part:
            lo, hi = part.split("-")
            out.extend(range(int(lo), int(hi) + 1))
        else:
            out.append(int(part))
    return out


def main():
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--seeds", default="0-9")
    p.add_argument("--epochs", type=int, default=60)
    p.add_argument("--lr", type=float, default=0.01)
    p.add_argument("--batch", type=int, default=27)
    p.add_argument("--init", default="glorot", help="torch | glorot (default for both parts)")
    p.add_argument("--attn-init", default=None)
    p.add_argument("--fc-init", default=None)
    p.add_argument("--pool-before-norm", action="store_true")
    p.add_argument("--drop-last", action="store_true")
    p.add_argument("--drop-period", type=int, default=0, help="piecewise learn-rate schedule: period in epochs (0 = constant)")
    p.add_argument("--drop-factor", type=float, default=0.1)
    p.add_argument("--l2", type=float, default=0.0, help="L2 regularization (weights and LayerNorm scale)")
    p.add_argument("--adamw", type=float, default=None, help="use torch.optim.AdamW with this weight_decay instead")
    p.add_argument("--attn-dropout", type=float, default=0.0, help="dropout on the attention weights")
    p.add_argument("--log-every", type=int, default=0, help="also record test accuracy every N epochs (diagnostic)")
    p.add_argument("--threads", type=int, default=1)
    p.add_argument("--data", default=DATA)
    a = p.parse_args()
    torch.set_num_threads(a.threads)

    tr_x, tr_y = load_ts(os.path.join(a.data, "JapaneseVowels_TRAIN.ts"))
    te_x, te_y = load_ts(os.path.join(a.data, "JapaneseVowels_TEST.ts"))
    allsteps = torch.cat(tr_x, 0)
    mean = allsteps.mean(0)
    std = allsteps.std(0, unbiased=False)
    std[std == 0] = 1
    norm = lambda seqs: [(s - mean) / std for s in seqs]
    train, test = (norm(tr_x), tr_y), (norm(te_x), te_y)

    settings = {k: v for k, v in vars(a).items() if k not in ("seeds", "threads", "data", "log_every")}
    accs = []
    for seed in parse_seeds(a.seeds):
        r = run(seed, a, train, test)
        accs.append(r["acc"])
        print(json.dumps({**settings, **r}), flush=True)
    print(json.dumps({"summary": settings, "n": len(accs), "mean": round(sum(accs) / len(accs), 4),
                      "min": min(accs), "max": max(accs)}), flush=True)


if __name__ == "__main__":
    main()
