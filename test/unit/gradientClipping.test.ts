// Gradient clipping with MATLAB's GradientThreshold / GradientThresholdMethod, each method against its
// definition computed here in float64: "l2norm" rescales each learnable's gradient whose L2 norm exceeds the
// threshold to that norm; "global-l2norm" rescales all gradients by threshold/L when their global norm L exceeds
// it; "absolute-value" clips each partial derivative to ±threshold, keeping its sign.
import { describe, expect, it } from "vitest";
import { clipGradients, sgdm, Tensor, type GradientThresholdMethod } from "../../src/index.js";
import { expectClose } from "../helpers/numeric.js";

// three learnables: a large gradient, a small one (under the threshold alone), a mixed one
const grads = [[3, -4, 12], [0.1, -0.2], [-2.5, 0.3, 0.9, -0.05]];
const threshold = 1;

const norm = (g: number[]) => Math.sqrt(g.reduce((s, v) => s + v * v, 0));
const oracle: Record<GradientThresholdMethod, (g: number[][]) => number[][]> = {
  "l2norm": (g) => g.map((a) => (norm(a) > threshold ? a.map((v) => (v * threshold) / norm(a)) : a)),
  "global-l2norm": (g) => {
    const L = Math.sqrt(g.reduce((s, a) => s + norm(a) ** 2, 0));
    return L > threshold ? g.map((a) => a.map((v) => (v * threshold) / L)) : g;
  },
  "absolute-value": (g) => g.map((a) => a.map((v) => (Math.abs(v) > threshold ? Math.sign(v) * threshold : v))),
};

describe("gradient clipping", () => {
  for (const method of ["l2norm", "global-l2norm", "absolute-value"] as const) {
    it(`${method}: clipGradients and an optimizer step follow the definition`, () => {
      const expected = oracle[method](grads);
      const arrays = grads.map((g) => Float32Array.from(g));
      clipGradients(arrays, threshold, method);
      arrays.forEach((a, i) => expectClose(a, expected[i], 1e-6, 1e-7, `gradient ${i}`));
      // through an optimizer: with lr 1, no momentum and no L2, w ← w − clip(g)
      const learnables = grads.map((g) => ({ tensor: new Tensor(new Float32Array(g.length), [g.length]) }));
      sgdm({ learnRate: 1, momentum: 0, l2Regularization: 0, gradientThreshold: threshold, gradientThresholdMethod: method })
        .step(learnables, grads.map((g) => new Tensor(Float32Array.from(g), [g.length])));
      learnables.forEach((p, i) => expectClose(p.tensor, expected[i].map((v) => -v), 1e-6, 1e-7, `learnable ${i}`));
    });
  }

  it("the methods differ on these gradients (each oracle is a distinct rule), and Infinity clips nothing", () => {
    const flat = (m: GradientThresholdMethod) => oracle[m](grads).flat().map((v) => v.toFixed(6)).join();
    expect(new Set(["l2norm", "global-l2norm", "absolute-value"].map((m) => flat(m as GradientThresholdMethod))).size).toBe(3);
    const arrays = grads.map((g) => Float32Array.from(g));
    clipGradients(arrays, Infinity, "absolute-value");
    arrays.forEach((a, i) => expect(Array.from(a)).toEqual(grads[i].map((v) => Math.fround(v))));
  });

  it("the regularized gradient is clipped (MATLAB adds the L2 term before thresholding)", () => {
    const w = [10, -10];
    const p = { tensor: new Tensor(Float32Array.from(w), [2]) };
    sgdm({ learnRate: 1, momentum: 0, l2Regularization: 0.5, gradientThreshold: 2, gradientThresholdMethod: "absolute-value" })
      .step([p], [new Tensor(Float32Array.of(1, 0.5), [2])]);
    // g + λw = [6, -4.5] → clipped to [2, -2]
    expect(Array.from(p.tensor.data)).toEqual([8, -8]);
  });

  it("refuses an unknown method, naming the choices", () => {
    expect(() => sgdm({ gradientThresholdMethod: "l1norm" as never })).toThrow(/^sgdm: gradientThresholdMethod must be "l2norm", "global-l2norm" or "absolute-value", got "l1norm"/);
  });

  it("clipGradients checks its arguments and changes nothing when it refuses them", () => {
    const g = [Float32Array.of(3, 4)];
    expect(() => clipGradients(g, 1, "l2" as never)).toThrow(/^clipGradients: method must be "l2norm", "global-l2norm" or "absolute-value", got "l2"$/);
    expect(() => clipGradients(g, -1)).toThrow(/^clipGradients: threshold must be a finite number > 0 or Infinity, got -1$/);
    expect(() => clipGradients(g, NaN)).toThrow(/^clipGradients: threshold must be .* got NaN$/);
    expect(() => clipGradients([new Tensor(Float32Array.of(3, 4), [2])] as never, 1)).toThrow(/^clipGradients: grads\[0\] must be a Float32Array \(a Tensor's \.data\), got /);
    expect(() => clipGradients(Float32Array.of(3, 4) as never, 1)).toThrow(/^clipGradients: grads must be a list of Float32Arrays, got /);
    expect(Array.from(g[0])).toEqual([3, 4]);
  });
});
