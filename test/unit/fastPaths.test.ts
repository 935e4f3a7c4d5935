// Fast paths of the tensor ops against their general (index-map) paths: the same arithmetic in the
// same order, so values and gradients must agree to the bit. Shapes cover every broadcast plan
// (same shape, scalar, row, column, outer product) plus ones that fall back, with sizes 1 and 0.
import { describe, expect, it } from "vitest";
import { Random, Tensor, ops, valueAndGrad } from "../../src/index.js";
import { binaryReference, unaryReference } from "../oracles/elementwise.js";
import { broadcastPlan } from "../../src/tensor/broadcastPlan.js";
import { stackPadded } from "../../src/tensor/ops/layout.js";
import { layerNorm } from "../../src/tensor/ops/layerNorm.js";
import { weightedTimeSum } from "../../src/tensor/ops/weightedTimeSum.js";
import { reduceToShape, reduceToShapeGeneral } from "../../src/tensor/ops/reduceToShape.js";
import { randomTensor } from "../helpers/numeric.js";
import { keepWhereReference } from "../oracles/keepWhere.js";
import { layerNormReference } from "../oracles/layerNorm.js";
import { transposeReference } from "../oracles/layout.js";
import { sumReference } from "../oracles/reduce.js";

const random = new Random(11);
const rt = (shape: number[]) => randomTensor(shape, random);

/** Values and gradients of sum(op(a, b) · w) with respect to a and b. */
function valuesAndGrads(op: (a: Tensor, b: Tensor) => Tensor, a: Tensor, b: Tensor) {
  let out: Tensor | undefined;
  const { grads } = valueAndGrad(() => {
    out = op(a, b);
    const w = new Tensor(new Float32Array(out.size).map((_, i) => ((i * 7) % 5) - 2.5), out.shape);
    return ops.sum(ops.mul(out, w));
  }, [a, b]);
  return { out: out!, grads };
}

const bits = (t: Tensor | Float32Array) => Array.from(new Uint32Array((t instanceof Tensor ? t.data : t).slice().buffer));

describe("elementwise fast paths match the general path bit for bit", () => {
  const pairs: [number[], number[], string][] = [
    [[2, 3, 4], [2, 3, 4], "same shape"],
    [[2, 3, 4], [], "scalar b"],
    [[1], [3, 5], "scalar a (size-1 axis)"],
    [[2, 3, 4], [4], "row (bias)"],
    [[2, 3, 4], [1, 3, 4], "row over two axes"],
    [[2, 3, 4], [2, 3, 1], "column (per-row statistic)"],
    [[5, 1], [5, 7], "column a"],
    [[3, 1], [1, 3], "outer product"],
    [[2, 3, 4], [2, 1, 4], "middle broadcast (general path)"],
    [[3, 1, 4], [2, 1], "both broadcast (general path)"],
    [[1, 1, 1], [1], "all ones"],
    [[0, 3], [3], "empty"],
  ];
  it("the plan takes the fast path exactly for full, scalar, row and column operands", () => {
    for (const [sa, sb, what] of pairs) {
      const out = ops.add(rt(sa), rt(sb)).shape;
      expect(broadcastPlan([sa, sb], out) === null, what).toBe(what.includes("general path"));
    }
    expect(broadcastPlan([[2, 3, 4], [4]], [2, 3, 4])).toEqual({ outer: 6, inner: 4, walks: [{ innerStep: 1, outerStep: 4 }, { innerStep: 1, outerStep: 0 }] });
    expect(broadcastPlan([[2, 3, 4], [2, 3, 1]], [2, 3, 4])).toEqual({ outer: 6, inner: 4, walks: [{ innerStep: 1, outerStep: 4 }, { innerStep: 0, outerStep: 1 }] });
  });
  const names = ["add", "sub", "mul", "div", "maximum"] as const;
  for (const name of names) {
    it(name, () => {
      for (const [sa, sb, what] of pairs) {
        const a = rt(sa), b = rt(sb);
        if (name === "div") b.data.forEach((v, i) => (b.data[i] = Math.abs(v) + 0.25));
        if (name === "maximum" && a.size > 0 && b.size > 0) a.data[0] = b.data[0]; // a tie
        const fast = valuesAndGrads((x, y) => ops[name](x, y), a, b);
        const ref = valuesAndGrads((x, y) => binaryReference(name, x, y), a, b);
        expect(fast.out.shape, what).toEqual(ref.out.shape);
        expect(bits(fast.out), `${name} ${what}: value`).toEqual(bits(ref.out));
        expect(bits(fast.grads[0]), `${name} ${what}: ∂a`).toEqual(bits(ref.grads[0]));
        expect(bits(fast.grads[1]), `${name} ${what}: ∂b`).toEqual(bits(ref.grads[1]));
      }
    });
  }
});

/** Values and gradients of sum(f(a) · w). */
function valueAndGradOf(f: (a: Tensor) => Tensor, a: Tensor) {
  let out: Tensor | undefined;
  const { grads } = valueAndGrad(() => {
    out = f(a);
    const w = new Tensor(new Float32Array(out.size).map((_, i) => ((i * 7) % 5) - 2.5), out.shape);
    return ops.sum(ops.mul(out, w));
  }, [a]);
  return { out: out!, grad: grads[0] };
}

function expectSameBits(fast: { out: Tensor; grad: Tensor }, ref: { out: Tensor; grad: Tensor }, what: string) {
  expect(fast.out.shape, what).toEqual(ref.out.shape);
  expect(bits(fast.out), `${what}: value`).toEqual(bits(ref.out));
  expect(bits(fast.grad), `${what}: gradient`).toEqual(bits(ref.grad));
}

describe("reduction fast paths match the general path bit for bit", () => {
  const cases: [number[], number | number[] | undefined, boolean][] = [
    [[3, 5, 7], -1, true], [[3, 5, 7], -1, false], [[3, 5, 7], 1, false], [[3, 5, 7], [1, 2], true],
    [[3, 5, 7], [0, 1], false], [[3, 5, 7], 0, true], [[3, 5, 7], [0, 2], false], [[3, 5, 7], undefined, false],
    [[4, 1], -1, true], [[1, 6], 0, false], [[2, 0, 3], 1, false], [[2, 3, 0], -1, true], [[1000], 0, false],
  ];
  it("sum over the last axis, a middle run, leading axes, and the general cases", () => {
    for (const [shape, axis, keep] of cases) {
      const a = rt(shape);
      const what = `sum ${JSON.stringify(shape)} axis ${JSON.stringify(axis)} keepDims ${keep}`;
      expectSameBits(valueAndGradOf((x) => ops.sum(x, axis, keep), a), valueAndGradOf((x) => sumReference(x, axis, keep), a), what);
    }
  });
});

describe("transpose fast path matches the general path bit for bit", () => {
  const cases: [number[], number[] | undefined][] = [
    [[2, 5, 3, 4], [0, 2, 1, 3]], // head split [B, T, H, D] → [B, H, T, D]
    [[2, 3, 5, 4], [0, 2, 1, 3]], // and merge
    [[7, 5], undefined], [[7, 5], [1, 0]], [[3, 4, 5], [1, 0, 2]], [[3, 4, 5], [0, 2, 1]], [[3, 4, 5], [2, 0, 1]],
    [[3, 4, 5], [1, 2, 0]], [[1, 4, 1, 5], [2, 3, 0, 1]], [[4, 1, 5], [1, 0, 2]], [[2, 1, 3, 4], [0, 2, 1, 3]], [[3, 1, 1, 2], [2, 0, 3, 1]],
    [[2, 3, 4], [2, 1, 0]], [[2, 3, 4, 5], [1, 0, 3, 2]], // not a single swap: the general path
    [[0, 3], [1, 0]], [[1], [0]],
  ];
  it("swaps of neighbouring axis groups, moves of size-1 axes, and the general cases", () => {
    for (const [shape, perm] of cases) {
      const a = rt(shape);
      const what = `transpose ${JSON.stringify(shape)} by ${JSON.stringify(perm)}`;
      expectSameBits(valueAndGradOf((x) => ops.transpose(x, perm), a), valueAndGradOf((x) => transposeReference(x, perm), a), what);
    }
  });
});

describe("a transpose that moves only size-1 axes is a reshape", () => {
  it("shares the input's values (no copy): a decoding step's head split [B, 1, H, D] → [B, H, 1, D]", () => {
    const a = rt([2, 1, 3, 4]);
    const y = ops.transpose(a, [0, 2, 1, 3]);
    expect(y.shape).toEqual([2, 3, 1, 4]);
    expect(y.data).toBe(a.data);
    const b = rt([2, 3, 1, 4]); // the merge back [B, H, 1, D] → [B, 1, H, D] too
    expect(ops.transpose(b, [0, 2, 1, 3]).data).toBe(b.data);
    const c = rt([2, 3, 2, 4]); // a real move still copies
    expect(ops.transpose(c, [0, 2, 1, 3]).data).not.toBe(c.data);
  });
});

describe("reduceToShape fast path matches the general path bit for bit", () => {
  const cases: [number[], number[]][] = [
    [[4, 3, 5], [3, 5]], [[4, 3, 5], [1, 3, 5]], [[4, 3, 5], [4, 3, 1]], [[4, 3, 5], []], [[4, 3, 5], [1, 1, 1]],
    [[4, 3, 5], [4, 1, 5]], [[4, 3, 5], [5]], [[2, 1, 3], [1, 1, 3]], [[0, 3], [3]], [[6], [1]],
  ];
  it("rows, columns, scalars, size-1 axes and the general case", () => {
    for (const [from, to] of cases) {
      const g = rt(from);
      g.data[0] = -0;
      expect(bits(reduceToShape(g.data, from, to)), `${JSON.stringify(from)} → ${JSON.stringify(to)}`).toEqual(bits(reduceToShapeGeneral(g.data, from, to)));
    }
  });
});

describe("gradient buffers passed through (add, sub, reshape) are taken over, never shared", () => {
  it("x + x, (x + y) reshaped and reused, and a pass-through into the loss", () => {
    const x = new Tensor(new Float32Array([1, 2, 3, 4]), [2, 2]), y = new Tensor(new Float32Array([5, 6, 7, 8]), [2, 2]);
    // f = Σ (x + x) · w + Σ reshape(x + y) · v + Σ (x − y): ∂f/∂x = 2w + v + 1, ∂f/∂y = v − 1
    const w = new Tensor(new Float32Array([1, -1, 2, -2]), [2, 2]), v = new Tensor(new Float32Array([3, 0, -3, 0.5]), [4]);
    const { grads } = valueAndGrad(() => {
      const s = ops.add(x, y);
      return ops.add(ops.add(ops.sum(ops.mul(ops.add(x, x), w)), ops.sum(ops.mul(ops.reshape(s, [4]), v))), ops.sum(ops.sub(x, y)));
    }, [x, y]);
    expect(Array.from(grads[0].data)).toEqual([6, -1, 2, -2.5]);
    expect(Array.from(grads[1].data)).toEqual([2, -1, -4, -0.5]);
    expect(grads[0].data).not.toBe(grads[1].data);
  });
});

describe("unary op loops match the plainest loop over their rule bit for bit", () => {
  it("every op, on values of both signs, zeros and large magnitudes", () => {
    // 28 elements: below 32, from where ops.gelu runs its WebAssembly kernel instead of the loop (tested against the
    // same rule within float32 rounding in geluKernel.test.ts)
    const a = rt([4, 7]);
    a.data.set([0, -0, 30, -30, 1e-8, -750, 750]);
    const positive = new Tensor(a.data.map((v) => Math.abs(v) + 1e-3), a.shape);
    const names = ["neg", "exp", "log", "sqrt", "square", "tanh", "sigmoid", "relu", "gelu", "scale"] as const;
    for (const name of names) {
      const x = name === "log" || name === "sqrt" ? positive : a;
      const fast = (t: Tensor) => (name === "scale" ? ops.scale(t, -1.7) : ops[name](t));
      expectSameBits(valueAndGradOf(fast, x), valueAndGradOf((t) => unaryReference(name, t, -1.7), x), name);
    }
  });
});

describe("padding a mini-batch in one copy (stackPadded) equals concat-with-zeros then stack", () => {
  it("values and the gradient of every row, with lengths 3, 1, 5 and a trailing axis", () => {
    const rows = [rt([3, 2]), rt([1, 2]), rt([5, 2])];
    const T = 5;
    const composed = (xs: Tensor[]) => ops.stack(xs.map((x) => (x.shape[0] === T ? x : ops.concat([x, new Tensor(new Float32Array((T - x.shape[0]) * 2), [T - x.shape[0], 2])], 0))), 0);
    const w = rt([3, T, 2]);
    const run = (f: (xs: Tensor[]) => Tensor) => {
      let out: Tensor | undefined;
      const { grads } = valueAndGrad(() => { out = f(rows); return ops.sum(ops.mul(out, w)); }, rows);
      return { out: out!, grads };
    };
    const fast = run((xs) => stackPadded(xs, T)), ref = run(composed);
    expect(fast.out.shape).toEqual([3, 5, 2]);
    expect(bits(fast.out)).toEqual(bits(ref.out));
    fast.grads.forEach((g, i) => expect(bits(g), `row ${i + 1}`).toEqual(bits(ref.grads[i])));
    expect(() => stackPadded([rt([6, 2])], T)).toThrow(/ops.stackPadded: tensor 1 has shape \[6, 2\]; expected \[≤ 5, 2\]/);
  });
});

describe("layer normalization as one node matches its composition from ops bit for bit", () => {
  it("values and the gradients of x, scale and offset; C = 1, odd C, a large offset", () => {
    for (const [shape, epsilon] of [[[2, 5, 7], 1e-5], [[3, 1], 1e-5], [[4, 12], 0.1], [[1, 1, 3], 1e-3]] as [number[], number][]) {
      const C = shape[shape.length - 1];
      const x = rt(shape), scale = rt([C]), offset = rt([C]);
      x.data[0] += 100;
      const w = rt(shape);
      const run = (f: typeof layerNorm) => {
        let out: Tensor | undefined;
        const { grads } = valueAndGrad(() => { out = f(x, scale, offset, epsilon); return ops.sum(ops.mul(out, w)); }, [x, scale, offset]);
        return { out: out!, grads };
      };
      const fast = run(layerNorm), ref = run(layerNormReference);
      expect(bits(fast.out), `${JSON.stringify(shape)} value`).toEqual(bits(ref.out));
      ["x", "scale", "offset"].forEach((name, i) => expect(bits(fast.grads[i]), `${JSON.stringify(shape)} ∂${name}`).toEqual(bits(ref.grads[i])));
    }
  });
});

describe("pooling over valid time steps as one node matches sum(mul(x, w), 1) bit for bit", () => {
  it("values and gradient, with padding, a zero-length row and T = 1", () => {
    for (const [B, T, C, lengths] of [[3, 4, 5, [4, 1, 0]], [2, 1, 3, [1, 1]]] as [number, number, number, number[]][]) {
      const x = rt([B, T, C]), g = rt([B, C]);
      const w = new Float32Array(B * T);
      lengths.forEach((len, b) => w.fill(1 / len, b * T, b * T + len));
      const run = (f: (x: Tensor) => Tensor) => {
        let out: Tensor | undefined;
        const { grads } = valueAndGrad(() => { out = f(x); return ops.sum(ops.mul(out, g)); }, [x]);
        return { out: out!, grad: grads[0] };
      };
      expectSameBits(run((t) => weightedTimeSum(t, w)), run((t) => ops.sum(ops.mul(t, new Tensor(w, [B, T, 1])), 1)), `[${B}, ${T}, ${C}]`);
    }
  });
});

describe("keepWhere on a broadcast plan matches its index-map path bit for bit", () => {
  it("same shape, a [B, T, 1] column of flags, a row, a scalar, and a middle broadcast; NaN and ±∞ are cut", () => {
    const x = rt([2, 3, 4]);
    x.data.set([NaN, Infinity, -Infinity], 5);
    const flags = (shape: number[]) => new Tensor(Float32Array.from({ length: shape.reduce((p, d) => p * d, 1) }, (_, i) => (i % 3 === 1 ? 0 : 1)), shape);
    for (const shape of [[2, 3, 4], [2, 3, 1], [4], [1], [2, 1, 4]]) {
      const keep = flags(shape);
      expectSameBits(valueAndGradOf((t) => ops.keepWhere(t, keep), x), valueAndGradOf((t) => keepWhereReference(t, keep), x), `keep ${JSON.stringify(shape)}`);
    }
  });
});
