#!/usr/bin/python3
"""Makes the ONNX graphs that the onnxruntime peers of `npm run bench` run (run with /usr/bin/python3, torch >= 1.13).

  attention.onnx         softmax(q kᵀ · scale) v               q, k, v: [BH, T, D] -> [BH, T, D]
  attention_causal.onnx  the same with key j > query i blocked (Trilu mask, Where with -inf)
  matmul.onnx            a [m, k] · b [k, n]

Plain attention as a user would export it (MatMul, Mul, Softmax, MatMul): no fused attention op. The batch·head
count and T are dynamic axes, so one file serves every T; D is fixed at 64 (the scale 1/8 is a constant).

    /usr/bin/python3 bench/onnx/make_graphs.py      # rewrites the three .onnx files beside this script
"""
import math
import os

import torch

HERE = os.path.dirname(os.path.abspath(__file__))
D = 64
OPSET = 17


class Attention(torch.nn.Module):
    def __init__(self, causal):
        super().__init__()
        self.causal = causal

    def forward(self, q, k, v):
        scores = torch.matmul(q, k.transpose(-1, -2)) * (1.0 / math.sqrt(D))
        if self.causal:
            tq, tk = q.shape[-2], k.shape[-2]
            blocked = torch.ones(tq, tk, dtype=torch.bool).triu(1)  # key j > query i
            scores = scores.masked_fill(blocked, float("-inf"))
        return torch.matmul(torch.softmax(scores, dim=-1), v)


class MatMul(torch.nn.Module):
    def forward(self, a, b):
        return torch.matmul(a, b)


def export(module, args, names, out, axes, file):
    """`axes`: dynamic axes of every input and of the output `out`"""
    torch.onnx.export(module, args, os.path.join(HERE, file), opset_version=OPSET, input_names=names,
                      output_names=[out], dynamic_axes=axes)
    print("wrote", file)


def main():
    x = torch.randn(2, 5, D)
    seq = {0: "bh", 1: "t"}
    for causal, file in ((False, "attention.onnx"), (True, "attention_causal.onnx")):
        export(Attention(causal), (x, x, x), ["q", "k", "v"], "o", {"q": seq, "k": seq, "v": seq, "o": seq}, file)
    a = torch.randn(3, 4)
    export(MatMul(), (a, a.t().contiguous()), ["a", "b"], "c", {"a": {0: "m", 1: "k"}, "b": {0: "k", 1: "n"}, "c": {0: "m", 1: "n"}}, "matmul.onnx")


if __name__ == "__main__":
    main()
