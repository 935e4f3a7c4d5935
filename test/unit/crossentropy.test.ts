// crossentropy takes the log of the counted rows only (the masked log): padded steps, whatever they hold,
// add nothing to the loss and get a gradient of exactly 0, while a NaN in a counted row gives a NaN loss.
// Checked against the plain formula −(1/N)·Σ log p[target] in doubles, against the same valid steps given as
// a [N, K] batch, and against finite differences.
import { describe, expect, it } from "vitest";
import { Random, Tensor, crossentropy, mse, valueAndGrad } from "../../src/index.js";
import { checkGradients, expectClose } from "../helpers/numeric.js";

const B = 3, T = 4, K = 3;
const lengths = [4, 1, 2]; // odd lengths, one of them 1
const targets = [[2, 0, 1, 1], [1], [0, 2]];
const valid = (b: number, t: number) => t < lengths[b];

/** Probabilities in [0.2, 1) at the valid steps (far from the 1e-12 clamp), `padding` at the padded ones. */
function probabilities(padding: number, seed = 9): Tensor {
  const random = new Random(seed), p = new Float32Array(B * T * K);
  for (let b = 0; b < B; b++) for (let t = 0; t < T; t++) for (let k = 0; k < K; k++) {
    p[(b * T + t) * K + k] = valid(b, t) ? 0.2 + 0.8 * random.uniform() : padding;
  }
  return new Tensor(p, [B, T, K]);
}
const N = lengths.reduce((s, n) => s + n, 0);
const flatTargets = targets.flatMap((seq, b) => seq.slice(0, lengths[b]));

/** The valid steps of p as a [N, K] batch. */
function validRows(p: Tensor): Tensor {
  const rows: number[] = [];
  for (let b = 0; b < B; b++) for (let t = 0; t < lengths[b]; t++) rows.push(...p.data.subarray((b * T + t) * K, (b * T + t + 1) * K));
  return new Tensor(Float32Array.from(rows), [N, K]);
}

describe("crossentropy: the masked log", () => {
  for (const padding of [NaN, Infinity, -Infinity, 0, 0.5]) {
    it(`padded steps holding ${padding} give the valid steps' exact loss and gradients`, () => {
      const p = probabilities(padding);
      const { value, grads } = valueAndGrad(() => crossentropy(p, targets, lengths), [p]);
      // the formula, in doubles
      let expected = 0;
      for (let b = 0; b < B; b++) for (let t = 0; t < lengths[b]; t++) expected -= Math.log(p.data[(b * T + t) * K + targets[b][t]]) / N;
      expect(Math.abs(value - expected)).toBeLessThan(1e-6 * Math.abs(expected));
      for (let b = 0; b < B; b++) for (let t = 0; t < T; t++) for (let k = 0; k < K; k++) {
        const i = (b * T + t) * K + k;
        const want = valid(b, t) && k === targets[b][t] ? -1 / (N * p.data[i]) : 0;
        expect(Math.abs(grads[0].data[i] - want), `∂p[${b}, ${t}, ${k}]`).toBeLessThanOrEqual(1e-6 * Math.abs(want));
      }
      // the valid steps alone as a [N, K] batch: the same loss and gradients, bit for bit
      const rows = validRows(p);
      const alone = valueAndGrad(() => crossentropy(rows, flatTargets), [rows]);
      expect(value).toBe(alone.value);
      expect([...validRows(grads[0]).data]).toEqual([...alone.grads[0].data]);
    });
  }

  it("finite differences with NaN at the padded steps (their gradient is exactly 0)", () => {
    const p = probabilities(NaN, 10);
    checkGradients(() => crossentropy(p, targets, lengths), [p], { eps: 1e-3, rtol: 1e-2, atol: 1e-3, what: "crossentropy" });
  });

  it("a NaN at a valid step gives a NaN loss, in the target class or any other", () => {
    for (const k of [0, 1, 2]) {
      const p = probabilities(NaN);
      p.data[(2 * T + 1) * K + k] = NaN; // example 3, step 2 (its last valid step; its target is class 2)
      expect(crossentropy(p, targets, lengths).item(), `class ${k}`).toBeNaN();
    }
    const p = probabilities(0.5);
    p.data[(1 * T + 0) * K + 2] = NaN; // the only step of example 2
    expect(crossentropy(p, targets, lengths).item()).toBeNaN();
  });

  it("sequence-to-label [B, K]: every row counts; a zero probability is clamped at 1e-12 with gradient 0", () => {
    const p = new Tensor(Float32Array.from([0.25, 0.75, 0, 1, 0.5, 0.5]), [3, 2]);
    const { value, grads } = valueAndGrad(() => crossentropy(p, [0, 0, 1]), [p]);
    expectClose([value], [-(Math.log(0.25) + Math.log(Math.fround(1e-12)) + Math.log(0.5)) / 3], 1e-6, 0);
    expectClose(grads[0], [-1 / (3 * 0.25), 0, 0, 0, 0, -1 / (3 * 0.5)], 1e-6, 0);
    p.data[3] = NaN; // a non-target class of a counted row
    expect(crossentropy(p, [0, 0, 1]).item()).toBeNaN();
  });

  it("refuses lengths that do not fit the batch, naming them", () => {
    const p = probabilities(0.5);
    expect(() => crossentropy(p, targets, [4, 1])).toThrow(/^crossentropy: lengths must be 3 integers in \[0, 4\], got \[4, 1\]/);
    expect(() => crossentropy(p, targets, [4, 5, 2])).toThrow(/^crossentropy: lengths must be 3 integers in \[0, 4\], got \[4, 5, 2\]/);
    expect(() => crossentropy(p, targets.slice(1), lengths)).toThrow(/^crossentropy: 2 target sequences for a batch of 3/);
  });
});

describe("mse: padded steps are zeroed before the square", () => {
  it("NaN at padded steps (prediction or target) changes neither the loss nor the valid steps' gradients", () => {
    const random = new Random(12), y = new Float32Array(B * T * 2), x = new Float32Array(B * T * 2);
    for (let i = 0; i < x.length; i++) { x[i] = random.normal(); y[i] = random.normal(); }
    const clean = new Tensor(x.slice(), [B, T, 2]), dirty = new Tensor(x.slice(), [B, T, 2]), dirtyTargets = new Tensor(y.slice(), [B, T, 2]);
    for (let b = 0; b < B; b++) for (let t = lengths[b]; t < T; t++) {
      dirty.data.fill(NaN, (b * T + t) * 2, (b * T + t + 1) * 2);
      dirtyTargets.data[(b * T + t) * 2] = NaN;
    }
    const a = valueAndGrad(() => mse(clean, new Tensor(y, [B, T, 2]), lengths), [clean]);
    const d = valueAndGrad(() => mse(dirty, dirtyTargets, lengths), [dirty]);
    let expected = 0;
    for (let b = 0; b < B; b++) for (let t = 0; t < lengths[b]; t++) for (let c = 0; c < 2; c++) expected += 0.5 * (x[(b * T + t) * 2 + c] - y[(b * T + t) * 2 + c]) ** 2 / N;
    expect(Math.abs(d.value - expected)).toBeLessThan(1e-6 * expected);
    expect(d.value).toBe(a.value);
    expect([...d.grads[0].data]).toEqual([...a.grads[0].data].map((g, i) => (Math.floor(i / 2) % T < lengths[Math.floor(i / (2 * T))] ? g : 0)));
    for (let b = 0; b < B; b++) for (let t = 0; t < T; t++) for (let c = 0; c < 2; c++) {
      const i = (b * T + t) * 2 + c;
      if (t >= lengths[b]) expect(d.grads[0].data[i], `∂x[${b}, ${t}, ${c}]`).toBe(0);
      else expect(Math.abs(d.grads[0].data[i] - (x[i] - y[i]) / N), `∂x[${b}, ${t}, ${c}]`).toBeLessThan(1e-6 * Math.abs(x[i] - y[i]) / N);
    }
  });

  it("gradients reach the targets too (two net outputs compared): ∂/∂t = −∂/∂p", () => {
    const p = new Tensor(Float32Array.from([1, 2, 3, 4, 5, 6]), [2, 3, 1]), t = new Tensor(Float32Array.from([0.5, 2, 1, 4, 0, 9]), [6]);
    const { grads } = valueAndGrad(() => mse(p, t, [3, 2]), [p, t]);
    expect(grads[1].shape).toEqual([6]);
    expect(Array.from(grads[1].data, (g) => g + 0)).toEqual(Array.from(grads[0].data, (g) => -g + 0)); // + 0: −0 and 0 alike
    expect(grads[1].data.some((g) => g !== 0)).toBe(true);
  });

  it("lengths that do not fit the batch are refused (they would spill into the next row)", () => {
    const x = new Tensor(new Float32Array(6), [2, 3, 1]), y = new Tensor(new Float32Array(6), [2, 3, 1]);
    expect(() => mse(x, y, [5, 0])).toThrow("mse: lengths must be 2 integers in [0, 3], got [5, 0]");
    expect(() => mse(x, y, [1])).toThrow("mse: lengths must be 2 integers in [0, 3], got [1]");
    expect(() => mse(x, y, [1.5, 2])).toThrow(/^mse: lengths must be 2 integers/);
  });

  it("a batch with no valid step gives 0 and zero gradients, not NaN", () => {
    const x = new Tensor(Float32Array.from([1, NaN, 3, 4]), [2, 2, 1]);
    const { value, grads } = valueAndGrad(() => mse(x, new Tensor(new Float32Array(4), [2, 2, 1]), [0, 0]), [x]);
    expect(value).toBe(0);
    expect([...grads[0].data]).toEqual([0, 0, 0, 0]);
  });
});
