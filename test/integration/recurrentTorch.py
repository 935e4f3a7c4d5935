"""PyTorch's recurrences, in float64, for test/recurrentTorch.test.ts: python3 recurrentTorch.py < job.json > result.json.

Each case: kind gru | rnn | lstm (nn.GRU, nn.RNN with tanh, nn.LSTM; batch_first, bidirectional when two
directions are given), ragged rows through pack_padded_sequence (padded outputs 0, h_n at each row's own
last step, the reverse direction over each row's valid steps), h0/c0 [D, B, H] or none. GRU mode "before"
(MATLAB's before-multiplication, which PyTorch's GRU does not have) is a loop written here with torch ops:
n = tanh(x W_n^T + b_n + (r * h) R_n^T). The loss is sum(y * wy) + sum(h_n * wh) (+ sum(c_n * wc)); the result
holds y, h_n, c_n and the loss's gradients for x, h0, c0 and each direction's weights and biases.
"""
import json
import sys

import torch
from torch.nn.utils.rnn import pack_padded_sequence, pad_packed_sequence


def tensor(values, shape):
    return torch.tensor(values, dtype=torch.float64).reshape(shape).requires_grad_()


def flat(t):
    return t.detach().reshape(-1).tolist() if t is not None else None


def gru_before(x, p, h0, lengths):
    B, T, _ = x.shape
    H = p["R"].shape[1]
    h = h0[0] if h0 is not None else torch.zeros(B, H, dtype=torch.float64)
    valid = torch.tensor(lengths)
    ys = []
    for t in range(T):
        a = x[:, t] @ p["W"].T + p["bih"]
        rz = torch.sigmoid(a[:, :2 * H] + h @ p["R"][:2 * H].T)
        r, z = rz[:, :H], rz[:, H:]
        n = torch.tanh(a[:, 2 * H:] + (r * h) @ p["R"][2 * H:].T)
        m = (t < valid).double().unsqueeze(1)
        h = m * ((1 - z) * n + z * h) + (1 - m) * h
        ys.append(m * h)
    return torch.stack(ys, 1), h.unsqueeze(0), None


def run(case):
    B, T, C, H = case["B"], case["T"], case["C"], case["H"]
    kind, D = case["kind"], len(case["dirs"])
    G = {"gru": 3, "rnn": 1, "lstm": 4}[kind]
    x = tensor(case["x"], [B, T, C])
    h0 = tensor(case["h0"], [D, B, H]) if case["h0"] is not None else None
    c0 = tensor(case["c0"], [D, B, H]) if case.get("c0") is not None else None
    if case.get("mode") == "before":
        p = {"W": tensor(case["dirs"][0]["W"], [G * H, C]), "R": tensor(case["dirs"][0]["R"], [G * H, H]), "bih": tensor(case["dirs"][0]["bih"], [G * H])}
        y, hn, cn = gru_before(x, p, h0, case["lengths"])
        params = [p]
    else:
        module = {"gru": torch.nn.GRU, "rnn": torch.nn.RNN, "lstm": torch.nn.LSTM}[kind](C, H, batch_first=True, bidirectional=D == 2).double()
        params = []
        with torch.no_grad():
            for d, values in enumerate(case["dirs"]):
                suffix = "_reverse" if d == 1 else ""
                p = {"W": getattr(module, "weight_ih_l0" + suffix), "R": getattr(module, "weight_hh_l0" + suffix), "bih": getattr(module, "bias_ih_l0" + suffix), "bhh": getattr(module, "bias_hh_l0" + suffix)}
                for k, shape in (("W", [G * H, C]), ("R", [G * H, H]), ("bih", [G * H]), ("bhh", [G * H])):
                    p[k].copy_(torch.tensor(values[k], dtype=torch.float64).reshape(shape))
                params.append(p)
        packed = pack_padded_sequence(x, torch.tensor(case["lengths"]), batch_first=True, enforce_sorted=False)
        state = (h0, c0) if kind == "lstm" and h0 is not None else h0
        out, final = module(packed, state)
        y, _ = pad_packed_sequence(out, batch_first=True, total_length=T)
        hn, cn = final if kind == "lstm" else (final, None)
    loss = (y * torch.tensor(case["wy"], dtype=torch.float64).reshape(y.shape)).sum()
    loss = loss + (hn * torch.tensor(case["wh"], dtype=torch.float64).reshape(hn.shape)).sum()
    if cn is not None:
        loss = loss + (cn * torch.tensor(case["wc"], dtype=torch.float64).reshape(cn.shape)).sum()
    loss.backward()
    return {
        "y": flat(y), "hn": flat(hn), "cn": flat(cn), "loss": loss.item(),
        "dx": flat(x.grad), "dh0": flat(h0.grad) if h0 is not None else None, "dc0": flat(c0.grad) if c0 is not None else None,
        "dirs": [{k: flat(p[k].grad) for k in p} for p in params],
    }


if __name__ == "__main__":
    job = json.load(sys.stdin)
    json.dump({"results": [run(case) for case in job["cases"]]}, sys.stdout)
