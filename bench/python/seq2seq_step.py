#!/usr/bin/python3
"""PyTorch peer of bench/training/seq2seq.mjs: the model of examples/seq2seq/model.mjs, mirrored exactly.

    source ids -> Embedding(Vs, 32) -> bidirectional GRU(64) = annotations h [B, N, 128]   (packed: per-row lengths)
    previous ids -> Embedding(Vt, 32) -> GRU(64) = s' [B, M, 64]
    e_ij = w . tanh(W1 h_j + W2 s'_i) (no biases), alpha = softmax_j over each row's valid keys, c_i = sum_j alpha_ij h_j
    [s'_i; c_i] -> GRU(64) -> Linear(Vt) = logits

Two measurements on the batches the bench writes to --data (JSON: vocabulary sizes, sizes, the training batch and
the decoding inputs, ids already encoded), one thread:
  --task step:   one training step (forward, cross-entropy on the logits of the valid steps, backward, global-norm
                 gradient clipping, Adam), median ms over the repeats after one warm-up step;
  --task decode: greedy decoding of every decoding input in batches of --decode-batch: the encoder once per batch,
                 then one step at a time (GRU cells with their states, attention over the cached W1 h), the argmax
                 fed back, --steps steps; median ms of the whole pass.
  --task logits: the logits of the training batch with the weights the data file gives by our parameter names
                 (the check that this model is ours: test/integration/seq2seq.test.ts).
Prints one JSON line.
"""
import argparse
import json

import torch
import torch.nn as nn
import torch.nn.functional as F
from torch.nn.utils.rnn import pack_padded_sequence, pad_packed_sequence

from encoder_step import median_step_ms  # the bench's one timing loop (a warm-up, then min_runs and min_seconds)


class Seq2seq(nn.Module):
    def __init__(self, vs, vt, e, h, a):
        super().__init__()
        self.source_embedding = nn.Embedding(vs, e)
        self.encoder = nn.GRU(e, h, batch_first=True, bidirectional=True)
        self.previous_embedding = nn.Embedding(vt, e)
        self.decoder = nn.GRU(e, h, batch_first=True)
        self.keys = nn.Linear(2 * h, a, bias=False)
        self.queries = nn.Linear(h, a, bias=False)
        self.score = nn.Linear(a, 1, bias=False)
        self.output = nn.GRU(3 * h, h, batch_first=True)
        self.logits = nn.Linear(h, vt)

    def encode(self, source, lengths):
        packed = pack_padded_sequence(self.source_embedding(source), lengths, batch_first=True, enforce_sorted=False)
        annotations, _ = pad_packed_sequence(self.encoder(packed)[0], batch_first=True)
        valid = torch.arange(annotations.shape[1])[None, :] < lengths[:, None]  # [B, N]
        return annotations, self.keys(annotations), valid

    def attend(self, annotations, keys, valid, s):
        # s [B, M, h] -> context [B, M, 2h]
        e = self.score(torch.tanh(keys[:, None, :, :] + self.queries(s)[:, :, None, :])).squeeze(-1)
        alpha = torch.softmax(e.masked_fill(~valid[:, None, :], float("-inf")), dim=-1)
        return alpha @ annotations

    def forward(self, source, lengths, previous):
        annotations, keys, valid = self.encode(source, lengths)
        s, _ = self.decoder(self.previous_embedding(previous))
        out, _ = self.output(torch.cat([s, self.attend(annotations, keys, valid, s)], dim=-1))
        return self.logits(out)

    @torch.no_grad()
    def greedy(self, source, lengths, start, steps):
        annotations, keys, valid = self.encode(source, lengths)
        token = torch.full((source.shape[0], 1), start, dtype=torch.long)
        hd = ho = None
        out = []
        for _ in range(steps):
            s, hd = self.decoder(self.previous_embedding(token), hd)
            o, ho = self.output(torch.cat([s, self.attend(annotations, keys, valid, s)], dim=-1), ho)
            token = self.logits(o).argmax(-1)
            out.append(token)
        return torch.cat(out, dim=1)


def load_ours(net, weights, h):
    """Our parameters (examples/seq2seq/model.mjs names) into the mirror. Our GRU gates are r, z, h~ (PyTorch's r, z,
    n); a bidirectional layer stacks [forward; backward] rows, and each direction's bias is [input bias; recurrent bias]."""
    t = {k: torch.tensor(v, dtype=torch.float32) for k, v in weights.items()}
    sets = {
        "source_embedding.weight": t["sourceEmbedding/weights"].reshape(-1, net.source_embedding.embedding_dim),
        "previous_embedding.weight": t["previousEmbedding/weights"].reshape(-1, net.previous_embedding.embedding_dim),
        "keys.weight": t["attention/scoringNet/keys/weights"].reshape(net.keys.weight.shape),
        "queries.weight": t["attention/scoringNet/queries/weights"].reshape(net.queries.weight.shape),
        "score.weight": t["attention/scoringNet/score/weights"].reshape(net.score.weight.shape),
        "logits.weight": t["logits/weights"].reshape(net.logits.weight.shape),
        "logits.bias": t["logits/bias"],
    }
    for ours, gru in [("encoder", net.encoder), ("decoder", net.decoder), ("output", net.output)]:
        directions = 2 if gru.bidirectional else 1
        w = t[f"{ours}/inputWeights"].reshape(directions, 3 * h, -1)
        r = t[f"{ours}/recurrentWeights"].reshape(directions, 3 * h, h)
        b = t[f"{ours}/bias"].reshape(directions, 2, 3 * h)
        for d, suffix in enumerate(["", "_reverse"][:directions]):
            sets[f"{ours}.weight_ih_l0{suffix}"] = w[d]
            sets[f"{ours}.weight_hh_l0{suffix}"] = r[d]
            sets[f"{ours}.bias_ih_l0{suffix}"] = b[d, 0]
            sets[f"{ours}.bias_hh_l0{suffix}"] = b[d, 1]
    state = net.state_dict()
    assert set(sets) == set(state), f"unmatched parameters: {set(sets) ^ set(state)}"
    net.load_state_dict(sets)


def padded(rows):
    lengths = torch.tensor([len(r) for r in rows])
    x = torch.zeros(len(rows), int(lengths.max()), dtype=torch.long)
    for i, r in enumerate(rows):
        x[i, : len(r)] = torch.tensor(r)
    return x, lengths


def main():
    p = argparse.ArgumentParser()
    p.add_argument("--data", required=True)
    p.add_argument("--task", choices=["step", "decode", "logits"], required=True)
    p.add_argument("--min-runs", type=int, default=5)
    p.add_argument("--min-seconds", type=float, default=1.0)
    p.add_argument("--threads", type=int, default=1)
    a = p.parse_args()
    torch.set_num_threads(a.threads)
    torch.manual_seed(0)
    with open(a.data) as f:
        d = json.load(f)
    s = d["sizes"]
    net = Seq2seq(d["sourceVocabulary"], d["targetVocabulary"], s["embedding"], s["hidden"], s["attention"])
    if a.task == "logits":
        load_ours(net, d["weights"], s["hidden"])
        source, lengths = padded(d["step"]["source"])
        previous, _ = padded(d["step"]["previous"])
        with torch.no_grad():
            print(json.dumps({"logits": net(source, lengths, previous).tolist()}))
        return
    if a.task == "step":
        source, lengths = padded(d["step"]["source"])
        previous, _ = padded(d["step"]["previous"])
        target, _ = padded(d["step"]["target"])  # every target has the same length here
        opt = torch.optim.Adam(net.parameters(), lr=d["learnRate"])

        def step():
            opt.zero_grad()
            logits = net(source, lengths, previous)
            loss = F.cross_entropy(logits.reshape(-1, logits.shape[-1]), target.reshape(-1))
            loss.backward()
            torch.nn.utils.clip_grad_norm_(net.parameters(), d["gradientThreshold"])
            opt.step()

        ms, runs = median_step_ms(step, a.min_runs, a.min_seconds)
    else:
        net.eval()
        batches = [padded(d["decode"]["source"][i : i + d["decodeBatch"]]) for i in range(0, len(d["decode"]["source"]), d["decodeBatch"])]
        ms, runs = median_step_ms(lambda: [net.greedy(x, n, d["startId"], d["steps"]) for x, n in batches], a.min_runs, a.min_seconds)
    print(json.dumps({"median_ms": ms, "runs": runs, "torch": torch.__version__}))


if __name__ == "__main__":
    main()
