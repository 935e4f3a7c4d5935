// PyTorch 1.13 golden cases for the recurrence ops, computed at test time by test/recurrentTorch.py in
// float64: nn.GRU, nn.RNN (tanh) and nn.LSTM, with h0/c0, ragged rows (pack_padded_sequence), one or two
// directions (bidirectional=True; our reverse direction is the op with reverse: true, its outputs
// concatenated after the forward one's), outputs, final states and the gradients of a linear loss for
// x, the weights, the biases, h0 and c0.
// Weight mapping: PyTorch's weight_ih [G·H, C] is our W (P = x·Wᵀ), weight_hh [G·H, H] our R, gate rows in
// the same order on both sides (GRU r, z, n = MATLAB's reset, update, candidate; LSTM i, f, g, o). Biases:
//   GRU "recurrent-bias-after-multiplication": MATLAB's bias [6H] = [bias_ih; bias_hh];
//   GRU "after-multiplication" (MATLAB's default, no recurrent bias): PyTorch with bias_hh = 0, bias = bias_ih;
//   GRU "before-multiplication": PyTorch has no such GRU; the oracle is a loop of torch ops in the script;
//   RNN, LSTM: one bias = bias_ih + bias_hh (each of PyTorch's two gets the same gradient).
import { spawnSync } from "node:child_process";
import { join } from "node:path";
import { beforeAll, describe } from "vitest";
import { ops, Random, Tensor, valueAndGrad } from "../../src/index.js";
import { gruRecurrence, type GruResetGateMode } from "../../src/tensor/ops/gru.js";
import { lstmRecurrence } from "../../src/tensor/ops/lstm.js";
import { rnnRecurrence } from "../../src/tensor/ops/rnn.js";
import type { RecurrenceOutputs } from "../../src/tensor/ops/recurrence.js";
import { itWithTorch, PYTHON, torchVersion } from "./export/torchAvailable.js";
import { expectClose } from "../helpers/numeric.js";

type Kind = "gru" | "rnn" | "lstm";
interface Case { kind: Kind; mode?: GruResetGateMode; D: 1 | 2; state: boolean; B: number; T: number; C: number; H: number; lengths: number[] }

const cases: Case[] = [
  { kind: "gru", mode: "after-multiplication", D: 1, state: true, B: 3, T: 5, C: 4, H: 3, lengths: [5, 2, 4] },
  { kind: "gru", mode: "after-multiplication", D: 2, state: false, B: 2, T: 4, C: 3, H: 5, lengths: [3, 4] },
  { kind: "gru", mode: "recurrent-bias-after-multiplication", D: 2, state: true, B: 3, T: 6, C: 2, H: 4, lengths: [6, 1, 3] },
  { kind: "gru", mode: "before-multiplication", D: 1, state: true, B: 3, T: 5, C: 4, H: 3, lengths: [5, 2, 4] },
  { kind: "rnn", D: 1, state: true, B: 3, T: 5, C: 4, H: 3, lengths: [4, 5, 1] },
  { kind: "rnn", D: 2, state: true, B: 2, T: 4, C: 3, H: 6, lengths: [4, 2] },
  { kind: "lstm", D: 1, state: true, B: 3, T: 5, C: 4, H: 3, lengths: [5, 3, 1] },
  { kind: "lstm", D: 2, state: true, B: 3, T: 6, C: 2, H: 5, lengths: [2, 6, 4] },
  { kind: "lstm", D: 2, state: false, B: 1, T: 3, C: 3, H: 2, lengths: [3] },
];

const gatesOf = { gru: 3, rnn: 1, lstm: 4 } as const;
const name = (c: Case) => `${c.kind}${c.mode ? ` ${c.mode}` : ""}${c.D === 2 ? " bidirectional" : ""}${c.state ? " with initial state" : ""} (B=${c.B} T=${c.T} H=${c.H}, lengths ${c.lengths})`;

function data(c: Case, seed: number) {
  const random = new Random(seed), GH = gatesOf[c.kind] * c.H;
  const make = (shape: number[], scale = 0.5) => new Tensor(Float32Array.from({ length: shape.reduce((a, b) => a * b, 1) }, () => random.normal() * scale), shape);
  const dirs = Array.from({ length: c.D }, () => ({
    W: make([GH, c.C]), R: make([GH, c.H]), bih: make([GH]),
    bhh: c.mode === "after-multiplication" ? new Tensor(new Float32Array(GH), [GH]) : make([GH]),
  }));
  return {
    x: make([c.B, c.T, c.C], 1), dirs,
    h0: c.state ? dirs.map(() => make([c.B, c.H])) : [], c0: c.state && c.kind === "lstm" ? dirs.map(() => make([c.B, c.H])) : [],
    wy: make([c.B, c.T, c.D * c.H], 1), wh: dirs.map(() => make([c.B, c.H], 1)), wc: dirs.map(() => make([c.B, c.H], 1)),
  };
}
type Data = ReturnType<typeof data>;

/** Our side of a case: the outputs and the loss's gradients, in PyTorch's layouts. */
function ours(c: Case, d: Data) {
  const run = () => {
    const outs = d.dirs.map((w, k): RecurrenceOutputs & { cLast?: Tensor } => {
      const p = ops.linear(d.x, w.W), options = { h0: d.h0[k], lengths: c.lengths, reverse: k === 1 };
      if (c.kind === "gru") {
        const rb = c.mode === "recurrent-bias-after-multiplication";
        return gruRecurrence(p, w.R, rb ? ops.concat([w.bih, w.bhh], 0) : w.bih, { ...options, resetGateMode: c.mode });
      }
      const bias = ops.add(w.bih, w.bhh);
      return c.kind === "rnn" ? rnnRecurrence(p, w.R, bias, options) : lstmRecurrence(p, w.R, bias, { ...options, c0: d.c0[k] });
    });
    const y = outs.length === 1 ? outs[0].h : ops.concat(outs.map((o) => o.h), 2);
    let loss = ops.sum(ops.mul(y, d.wy));
    outs.forEach((o, k) => {
      loss = ops.add(loss, ops.sum(ops.mul(o.hLast, d.wh[k])));
      if (o.cLast) loss = ops.add(loss, ops.sum(ops.mul(o.cLast, d.wc[k])));
    });
    return { y, outs, loss };
  };
  const wrt = [d.x, ...d.dirs.flatMap((w) => [w.W, w.R, w.bih, w.bhh]), ...d.h0, ...d.c0];
  const { value, grads } = valueAndGrad(() => run().loss, wrt);
  const { y, outs } = run();
  const cat = (ts: Tensor[]) => Float32Array.from(ts.flatMap((t) => Array.from(t.data)));
  const n = d.dirs.length;
  return {
    y: y.data, hn: cat(outs.map((o) => o.hLast)), cn: c.kind === "lstm" ? cat(outs.map((o) => o.cLast!)) : null, loss: value,
    dx: grads[0].data,
    dirs: d.dirs.map((_, k) => ({ W: grads[1 + 4 * k].data, R: grads[2 + 4 * k].data, bih: grads[3 + 4 * k].data, bhh: grads[4 + 4 * k].data })),
    dh0: c.state ? cat(grads.slice(1 + 4 * n, 1 + 5 * n)) : null, dc0: c.state && c.kind === "lstm" ? cat(grads.slice(1 + 5 * n)) : null,
  };
}

interface TorchResult { y: number[]; hn: number[]; cn: number[] | null; loss: number; dx: number[]; dh0: number[] | null; dc0: number[] | null; dirs: Record<string, number[]>[] }

describe(`recurrence ops against PyTorch ${torchVersion ?? ""}`, () => {
  const prepared = cases.map((c, i) => ({ c, d: data(c, 100 + i) }));
  let results: TorchResult[] = [];
  beforeAll(() => {
    if (!torchVersion) return;
    const flat = (t: Tensor) => Array.from(t.data);
    const job = {
      cases: prepared.map(({ c, d }) => ({
        kind: c.kind, mode: c.mode === "before-multiplication" ? "before" : undefined, B: c.B, T: c.T, C: c.C, H: c.H, lengths: c.lengths,
        x: flat(d.x), dirs: d.dirs.map((w) => ({ W: flat(w.W), R: flat(w.R), bih: flat(w.bih), bhh: flat(w.bhh) })),
        h0: c.state ? d.h0.flatMap(flat) : null, c0: d.c0.length ? d.c0.flatMap(flat) : null,
        wy: flat(d.wy), wh: d.wh.flatMap(flat), wc: d.wc.flatMap(flat),
      })),
    };
    const run = spawnSync(PYTHON, [join(import.meta.dirname, "recurrentTorch.py")], { input: JSON.stringify(job), encoding: "utf8", maxBuffer: 1 << 26 });
    if (run.status !== 0) throw new Error(`recurrentTorch.py failed (${run.status}):\n${run.stderr}`);
    results = JSON.parse(run.stdout).results;
  }, 120_000);

  prepared.forEach(({ c, d }, i) => {
    itWithTorch(`${name(c)}: outputs, final states and every gradient`, () => {
      const want = results[i], got = ours(c, d);
      const close = (a: ArrayLike<number>, b: number[], what: string) => expectClose(a as Float32Array, b, 1e-4, 1e-5 * Math.max(1, ...b.map(Math.abs)), `${name(c)} ${what}`);
      close(got.y, want.y, "y");
      close(got.hn, want.hn, "h_n");
      if (want.cn) close(got.cn!, want.cn, "c_n");
      close([got.loss], [want.loss], "loss");
      close(got.dx, want.dx, "dx");
      if (want.dh0) close(got.dh0!, want.dh0, "dh0");
      if (want.dc0) close(got.dc0!, want.dc0, "dc0");
      want.dirs.forEach((w, k) => {
        for (const key of ["W", "R", "bih"] as const) close(got.dirs[k][key], w[key], `direction ${k} d${key}`);
        // bias_hh: the second half of the GRU's [6H] bias (recurrent-bias mode) or the shared bias (RNN, LSTM)
        if (w.bhh && (c.kind !== "gru" || c.mode === "recurrent-bias-after-multiplication")) close(got.dirs[k].bhh, w.bhh, `direction ${k} dbhh`);
      });
    });
  });
});
