// The fused LSTM recurrence (one autodiff node over all steps) against the same recurrence composed of
// plain ops step by step, in values and gradients; the WebAssembly forward and backward kernels against
// their plain-JS references; and ops.linear (x·Wᵀ without a transpose) against
// ops.matmul(x, ops.transpose(W)) and finite differences.
import { describe, expect, it } from "vitest";
import { ops, Random, Tensor, valueAndGrad } from "../../src/index.js";
import { lstmRecurrence } from "../../src/tensor/ops/lstm.js";
import { lstmBackwardReference, lstmForwardReference } from "../../src/kernels/lstm.js";
import { lstmBackwardWasm, lstmForwardWasm } from "../../src/kernels/wasm/lstm.js";
import { checkGradients, expectClose, randomTensor } from "../helpers/numeric.js";

/** The recurrence of lstmLayer written with ops, one step at a time (the layer's former code). */
function composedLstm(p: Tensor, r: Tensor, bias: Tensor, lastSteps?: number[]): Tensor {
  const [B, T] = p.shape, H = r.shape[1];
  let h = new Tensor(new Float32Array(B * H), [B, H]);
  let c = new Tensor(new Float32Array(B * H), [B, H]);
  const hs: Tensor[] = [];
  let last = new Tensor(new Float32Array(B * H), [B, H]);
  for (let t = 0; t < T; t++) {
    const z = ops.add(ops.add(ops.reshape(ops.slice(p, 1, t, t + 1), [B, 4 * H]), ops.matmul(h, ops.transpose(r))), bias);
    const gate = (k: number) => ops.slice(z, 1, k * H, (k + 1) * H);
    const i = ops.sigmoid(gate(0)), f = ops.sigmoid(gate(1)), g = ops.tanh(gate(2)), o = ops.sigmoid(gate(3));
    c = ops.add(ops.mul(f, c), ops.mul(i, g));
    h = ops.mul(o, ops.tanh(c));
    hs.push(h);
    if (lastSteps) last = ops.add(last, ops.mul(h, new Tensor(Float32Array.from(lastSteps, (s) => (s === t ? 1 : 0)), [B, 1])));
  }
  return lastSteps ? last : ops.stack(hs, 1);
}

describe("lstmRecurrence", () => {
  const random = new Random(17);
  for (const [B, T, H, lastSteps] of [[1, 1, 1, undefined], [3, 5, 4, undefined], [2, 7, 3, undefined], [4, 5, 3, [4, 0, 2, -1]], [1, 1, 2, [0]]] as const) {
    it(`B=${B} T=${T} H=${H}${lastSteps ? ` last steps ${lastSteps}` : ""}: values and gradients match the composed ops`, () => {
      const p = randomTensor([B, T, 4 * H], random), r = randomTensor([4 * H, H], random, 0.7), bias = randomTensor([4 * H], random);
      const w = randomTensor(lastSteps ? [B, H] : [B, T, H], random);
      const steps = lastSteps ? [...lastSteps] : undefined;
      const fused = () => ops.sum(ops.mul(lstmRecurrence(p, r, bias, steps), w));
      const composed = () => ops.sum(ops.mul(composedLstm(p, r, bias, steps), w));
      expectClose(lstmRecurrence(p, r, bias, steps), composedLstm(p, r, bias, steps).data, 1e-5, 1e-6, "h");
      const a = valueAndGrad(fused, [p, r, bias]), b = valueAndGrad(composed, [p, r, bias]);
      expectClose(a.grads[0], b.grads[0].data, 1e-4, 1e-6, "dP");
      expectClose(a.grads[1], b.grads[1].data, 1e-4, 1e-6, "dR");
      expectClose(a.grads[2], b.grads[2].data, 1e-4, 1e-6, "db");
    });
  }

  it("gradients by finite differences", () => {
    const p = randomTensor([2, 3, 8], random), r = randomTensor([8, 2], random), bias = randomTensor([8], random), w = randomTensor([2, 3, 2], random);
    checkGradients(() => ops.sum(ops.mul(lstmRecurrence(p, r, bias), w)), [p, r, bias], { what: "lstmRecurrence" });
  });

  it("names itself and both shapes on a mismatch", () => {
    expect(() => lstmRecurrence(new Tensor(new Float32Array(12), [1, 1, 12]), new Tensor(new Float32Array(8), [4, 2]), new Tensor(new Float32Array(4), [4]))).toThrow(
      "lstmRecurrence: expected P [B, T, 4H], R [4H, H] and b [4H], got [1, 1, 12], [4, 2] and [4]",
    );
  });
});

describe("ops.linear", () => {
  const random = new Random(23);
  for (const shape of [[5], [1, 3, 5], [4, 5], [2, 3, 1, 5]]) {
    it(`x ${JSON.stringify(shape)} · Wᵀ equals matmul with a transpose, with finite-difference gradients`, () => {
      const x = randomTensor(shape, random), w = randomTensor([3, 5], random);
      const y = ops.linear(x, w);
      const expected = ops.matmul(x, ops.transpose(w));
      expect(y.shape).toEqual(expected.shape);
      expectClose(y, expected.data, 1e-5, 1e-6);
      const v = randomTensor([...expected.shape], random);
      checkGradients(() => ops.sum(ops.mul(ops.linear(x, w), v)), [x, w], { what: "ops.linear" });
    });
  }

  it("rejects mismatched channels with both shapes", () => {
    expect(() => ops.linear(new Tensor(new Float32Array(6), [2, 3]), new Tensor(new Float32Array(8), [2, 4]))).toThrow(
      "ops.linear: x [2, 3] has 3 channels, weights [2, 4] expect 4",
    );
  });
});

describe("WebAssembly LSTM forward against lstmForwardReference", () => {
  const random = new Random(29);
  for (const [B, T, H] of [[1, 1, 1], [2, 3, 5], [3, 7, 8], [27, 4, 13]]) {
    it(`B=${B} T=${T} H=${H}: outputs and trace agree within float32 rounding`, () => {
      const p = randomTensor([B, T, 4 * H], random, 3).data, r = randomTensor([4 * H, H], random).data, bias = randomTensor([4 * H], random).data;
      const a = lstmForwardWasm(p, r, bias, B, T, H), b = lstmForwardReference(p, r, bias, B, T, H);
      expectClose(a.h, b.h, 1e-5, 1e-6, "h");
      expectClose(a.trace.gates, b.trace.gates, 1e-5, 1e-6, "gates");
      expectClose(a.trace.cells, b.trace.cells, 1e-5, 1e-6, "cells");
      expectClose(a.trace.hPrev, b.trace.hPrev, 1e-5, 1e-6, "hPrev");
    });
  }

  it("gates across the whole range (−100 … 100, both sides of exp's clamp at 88 and its zero below −87.3) match the reference", () => {
    // T = 1, H = 400: one step of 4·400 pre-activations, swept in the vector body and the scalar tail (H odd below)
    for (const H of [400, 401]) {
      const p = Float32Array.from({ length: 4 * H }, (_, j) => -100 + (200 * j) / (4 * H - 1)), r = new Float32Array(4 * H * H), bias = new Float32Array(4 * H);
      const a = lstmForwardWasm(p, r, bias, 1, 1, H), b = lstmForwardReference(p, r, bias, 1, 1, H);
      expectClose(a.trace.gates, b.trace.gates, 1e-6, 1e-7, "gates");
      expectClose(a.h, b.h, 1e-6, 1e-7, "h");
    }
  });

  it("saturates cleanly at huge pre-activations (no NaN)", () => {
    const p = Float32Array.from([1e30, -1e30, 1e30, 1e30, -1e30, 1e30, -1e30, -1e30]), r = new Float32Array(4), bias = new Float32Array(4);
    const a = lstmForwardWasm(p, r, bias, 1, 2, 1), b = lstmForwardReference(p, r, bias, 1, 2, 1);
    expect(a.h.every(Number.isFinite)).toBe(true);
    expectClose(a.h, b.h, 1e-6, 1e-7, "h");
  });
});

describe("WebAssembly LSTM backward against lstmBackwardReference", () => {
  const random = new Random(31);
  /** A forward trace (of the reference, so both backwards read the same numbers) and a random dh. */
  function problem(B: number, T: number, H: number, scale = 1) {
    const p = randomTensor([B, T, 4 * H], random, scale).data, r = randomTensor([4 * H, H], random, 0.7).data, bias = randomTensor([4 * H], random).data;
    return { r, trace: lstmForwardReference(p, r, bias, B, T, H).trace, dh: randomTensor([B, T, H], random).data };
  }
  function expectBackwardsAgree(dh: Float32Array, r: Float32Array, trace: ReturnType<typeof problem>["trace"]) {
    const a = lstmBackwardWasm(dh, r, trace), b = lstmBackwardReference(dh, r, trace);
    expectClose(a.dp, b.dp, 1e-5, 1e-6, "dP");
    expectClose(a.dr, b.dr, 1e-5, 1e-6, "dR");
    expectClose(a.db, b.db, 1e-5, 1e-6, "db");
  }

  // H = 1, 5, 13: the scalar tail alone, and after vectors; H = 8: vectors only
  for (const [B, T, H] of [[1, 1, 1], [1, 6, 1], [2, 3, 5], [3, 7, 8], [27, 4, 13]]) {
    it(`B=${B} T=${T} H=${H}: dP, dR and db agree within float32 rounding`, () => {
      const { r, trace, dh } = problem(B, T, H);
      expectBackwardsAgree(dh, r, trace);
    });
  }

  it("saturated gates and large cells (pre-activations ×8) agree too", () => {
    const { r, trace, dh } = problem(4, 9, 7, 8);
    expectBackwardsAgree(dh, r, trace);
  });

  it("a gradient only at each row's last step (as lastSteps gives), zero or absent for some rows", () => {
    const B = 5, T = 6, H = 9, last = [5, 0, 3, -1, 2];
    const { r, trace } = problem(B, T, H);
    const dh = new Float32Array(B * T * H);
    last.forEach((s, b) => { if (s >= 0) for (let j = 0; j < H; j++) dh[(b * T + s) * H + j] = random.normal(); });
    expectBackwardsAgree(dh, r, trace);
  });

  it("through lstmRecurrence with lastSteps: the op's gradients equal the reference backward on its own forward", () => {
    const B = 4, T = 5, H = 11, lastSteps = [4, 0, 2, -1];
    const p = randomTensor([B, T, 4 * H], random), r = randomTensor([4 * H, H], random, 0.7), bias = randomTensor([4 * H], random);
    const w = randomTensor([B, H], random);
    const { grads } = valueAndGrad(() => ops.sum(ops.mul(lstmRecurrence(p, r, bias, lastSteps), w)), [p, r, bias]);
    const dh = new Float32Array(B * T * H); // d(Σ y∘w)/dh_t = w at each row's last step
    lastSteps.forEach((s, b) => { if (s >= 0) dh.set(w.data.subarray(b * H, (b + 1) * H), (b * T + s) * H); });
    const expected = lstmBackwardReference(dh, r.data, lstmForwardReference(p.data, r.data, bias.data, B, T, H).trace);
    expectClose(grads[0], expected.dp, 1e-4, 1e-6, "dP");
    expectClose(grads[1], expected.dr, 1e-4, 1e-6, "dR");
    expectClose(grads[2], expected.db, 1e-4, 1e-6, "db");
    // the row whose last step is outside 0…T−1 gets no gradient at all
    expect(grads[0].data.subarray(3 * T * 4 * H, 4 * T * 4 * H).every((v) => v === 0)).toBe(true);
  });
});
