// ops.maximum as torch.maximum: NaN from either operand propagates, ties return a, and the gradient is
// PyTorch's (½ to each operand on a tie, all of it to both at a NaN). Checked against the rule on both the
// fast (broadcast plan) and general paths and against finite differences (which give exactly ½ at a tie);
// test/integration/torchMaximum.test.ts checks the same cases against torch.maximum itself.
import { describe, expect, it } from "vitest";
import { Random, Tensor, ops, valueAndGrad } from "../../src/index.js";
import { binaryReference } from "../oracles/elementwise.js";
import { checkGradients, projectionLoss, randomTensor } from "../helpers/numeric.js";
import { A, B, G, maximumAndGrads } from "../helpers/maximumCases.js";

const paths = { fast: ops.maximum, general: (a: Tensor, b: Tensor) => binaryReference("maximum", a, b) };

describe("ops.maximum", () => {
  for (const [path, op] of Object.entries(paths)) {
    it(`propagates NaN, returns a on ties, splits the gradient on ties (${path} path)`, () => {
      const { z, da, db } = maximumAndGrads(op, A, B, G);
      A.forEach((a, i) => {
        const b = B[i];
        if (Number.isNaN(a) || Number.isNaN(b)) expect(z[i], `element ${i}`).toBeNaN();
        else expect(Object.is(z[i], a >= b ? a : b), `element ${i}: ${z[i]}`).toBe(true);
        // Math.max agrees except for which zero a ±0 tie returns
        if (!(a === 0 && b === 0)) expect(z[i], `element ${i} vs Math.max`).toEqual(Math.max(a, b));
      });
      expect(Object.is(z[6], -0)).toBe(true); // max(−0, +0) = −0 as torch.maximum (the first operand on a tie)
      //                a > b    a NaN   b NaN   a < b   NaN,NaN  tie       ±0 tie    −∞,NaN  +∞ > 7
      expect(da).toEqual([G[0], G[1], G[2], 0, G[4], G[5] / 2, G[6] / 2, G[7], G[8]]);
      expect(db).toEqual([0, G[1], G[2], G[3], G[4], G[5] / 2, G[6] / 2, G[7], 0]);
    });
  }

  it("the fast path equals the general path with NaN in either operand and under broadcasting", () => {
    const random = new Random(3);
    for (const [sa, sb] of [[[4, 5], [4, 5]], [[4, 5], [5]], [[4, 5], [4, 1]], [[4, 5], []]] as number[][][]) {
      const a = randomTensor(sa, random), b = randomTensor(sb, random);
      a.data[1] = NaN; a.data[7] = Infinity; b.data[0] = NaN;
      if (b.size > 2) { b.data[2] = a.data[2]; } // a tie
      const g = Array.from({ length: 20 }, (_, i) => i - 9.5);
      const run = (op: (x: Tensor, y: Tensor) => Tensor) => {
        let z: Tensor | undefined;
        const { grads } = valueAndGrad(() => { z = op(a, b); return ops.sum(ops.mul(z, new Tensor(Float32Array.from(g), z.shape))); }, [a, b]);
        return [z!.data, grads[0].data, grads[1].data].map((d) => [...new Uint32Array(d.slice().buffer)]);
      };
      expect(run(paths.fast), `${JSON.stringify(sa)} ∘ ${JSON.stringify(sb)}`).toEqual(run(paths.general));
    }
  });

  it("finite differences: ½ on each side of a tie, the larger side elsewhere, including broadcast ties", () => {
    const random = new Random(4), loss = projectionLoss(new Random(5));
    const a = randomTensor([3, 4], random), b = randomTensor([4], random);
    a.data[0] = b.data[0]; a.data[5] = b.data[1]; a.data[10] = b.data[2]; // ties, one per row
    checkGradients(() => loss(ops.maximum(a, b), "max"), [a, b], { what: "maximum with ties" });
    checkGradients(() => loss(ops.maximum(b, a), "max-swapped"), [a, b], { what: "maximum with ties, operands swapped" });
  });
});
