// Tier 1: every op's gradient against central finite differences, with broadcasting and odd shapes.
import { describe, expect, it } from "vitest";
import { Random, ops, tensor, valueAndGrad } from "../../src/index.js";
import { checkGradients, expectClose, projectionLoss, randomTensor } from "../helpers/numeric.js";

const random = new Random(7);
const loss = projectionLoss(new Random(8));
const rt = (...shape: number[]) => randomTensor(shape, random);
const positive = (...shape: number[]) => { const t = rt(...shape); t.data.forEach((v, i) => (t.data[i] = Math.abs(v) + 0.5)); return t; };

describe("op gradients (finite differences)", () => {
  const binaries = { add: ops.add, sub: ops.sub, mul: ops.mul, maximum: ops.maximum } as const;
  for (const [name, op] of Object.entries(binaries)) {
    it(`${name} with broadcasting [3,1,4] ∘ [2,1]`, () => {
      const a = rt(3, 1, 4), b = rt(2, 1);
      checkGradients(() => loss(op(a, b), name), [a, b], { what: name });
    });
  }
  it("div", () => {
    const a = rt(2, 3), b = positive(3);
    checkGradients(() => loss(ops.div(a, b), "div"), [a, b], { what: "div" });
  });
  const unaries = { neg: ops.neg, exp: ops.exp, tanh: ops.tanh, sigmoid: ops.sigmoid, gelu: ops.gelu, square: ops.square, relu: ops.relu } as const;
  for (const [name, op] of Object.entries(unaries)) {
    it(name, () => {
      const a = rt(3, 5);
      if (name === "relu") a.data.forEach((v, i) => (a.data[i] = Math.abs(v) < 0.05 ? 0.3 : v)); // away from the kink
      checkGradients(() => loss(op(a), name), [a], { what: name });
    });
  }
  it("log and sqrt", () => {
    const a = positive(4, 2);
    checkGradients(() => loss(ops.add(ops.log(a), ops.sqrt(a)), "logsqrt"), [a]);
  });
  it("scale", () => {
    const a = rt(5);
    checkGradients(() => loss(ops.scale(a, -2.5), "scale"), [a]);
  });
  it("sum and mean over axes, with and without keepDims", () => {
    const a = rt(2, 3, 4);
    checkGradients(() => loss(ops.sum(a, 1), "s1"), [a]);
    checkGradients(() => loss(ops.mean(a, [0, 2], true), "m02"), [a]);
    checkGradients(() => ops.sum(a), [a]);
  });
  it("matmul: batched with broadcasting, and vector operands", () => {
    const a = rt(2, 1, 3, 4), b = rt(3, 4, 5);
    checkGradients(() => loss(ops.matmul(a, b), "mm"), [a, b], { what: "matmul" });
    const v = rt(4), m = rt(4, 3);
    checkGradients(() => loss(ops.matmul(v, m), "vm"), [v, m], { what: "vector·matrix" });
    checkGradients(() => loss(ops.matmul(ops.transpose(m), v), "mv"), [v, m], { what: "matrix·vector" });
  });
  it("reshape, transpose, slice, concat, stack, broadcastTo", () => {
    const a = rt(2, 3, 4), b = rt(2, 2, 4);
    checkGradients(() => loss(ops.transpose(ops.reshape(a, [6, 4]), [1, 0]), "rt"), [a]);
    checkGradients(() => loss(ops.transpose(a, [2, 0, 1]), "t3"), [a]);
    checkGradients(() => loss(ops.slice(a, 1, 1, 3), "sl"), [a]);
    checkGradients(() => loss(ops.concat([a, b], 1), "cat"), [a, b]);
    checkGradients(() => loss(ops.stack([a, a], 1), "stk"), [a]);
    checkGradients(() => loss(ops.broadcastTo(ops.slice(a, 0, 0, 1), [3, 3, 4]), "bc"), [a]);
  });
  it("broadcastTo copies every element from where broadcasting says, whole trailing blocks or not", () => {
    // out[i…] = a[i…] with broadcast axes at index 0, against an explicit odometer over the output
    const cases: [number[], number[]][] = [[[2, 1, 1, 20], [2, 1, 3, 20]], [[1, 3, 20], [2, 4, 3, 20]], [[3, 1], [3, 5]], [[20], [2, 3, 20]], [[2, 1, 17, 1], [2, 2, 17, 3]]];
    for (const [from, to] of cases) {
      const a = rt(...from), y = ops.broadcastTo(a, to);
      const expected = Array.from({ length: to.reduce((p, d) => p * d, 1) }, (_, flat) => {
        let rest = flat, offset = 0, stride = 1;
        const idx = to.map((d) => d).reverse().map((d) => { const i = rest % d; rest = Math.floor(rest / d); return i; }).reverse();
        for (let ax = from.length - 1; ax >= 0; ax--) {
          offset += (from[ax] === 1 ? 0 : idx[to.length - from.length + ax]) * stride;
          stride *= from[ax];
        }
        return a.data[offset];
      });
      expect(Array.from(y.data), `${from} → ${to}`).toEqual(expected);
    }
    const c = rt(2, 1, 20);
    checkGradients(() => loss(ops.broadcastTo(c, [2, 3, 20]), "bcBlock"), [c]);
  });
  it("gather scatter-adds repeated rows", () => {
    const table = rt(5, 3);
    checkGradients(() => loss(ops.gather(table, [4, 0, 4, 2]), "g"), [table]);
  });
  it("gather names the bad index, its position and the table", () => {
    const table = rt(5, 3);
    expect(() => ops.gather(table, [0, 1.5])).toThrow(/^ops\.gather: indices\[1\] must be an integer in \[0, 5\) \(the rows of table \[5, 3\]\), got 1\.5$/);
    expect(() => ops.gather(table, [5])).toThrow(/^ops\.gather: indices\[0\] must be an integer in \[0, 5\) .*, got 5$/);
  });
  it("softmax, logSoftmax and maskedSoftmax along any axis", () => {
    const a = rt(3, 4, 2);
    checkGradients(() => loss(ops.softmax(a, 1), "sm1"), [a]);
    checkGradients(() => loss(ops.logSoftmax(a, -1), "lsm"), [a]);
    const allowed = tensor([[[1, 0], [1, 1], [0, 0], [1, 1]], [[0, 1], [1, 1], [1, 0], [0, 0]], [[1, 1], [1, 1], [1, 1], [1, 1]]]);
    checkGradients(() => loss(ops.maskedSoftmax(a, allowed, -1), "msm"), [a]);
  });
  it("dropout is seeded and its gradient uses the same mask", () => {
    const a = rt(6, 7);
    checkGradients(() => loss(ops.dropout(a, 0.3, 42), "do"), [a]);
    expect([...ops.dropout(a, 0.3, 42).data]).toEqual([...ops.dropout(a, 0.3, 42).data]);
    expect([...ops.dropout(a, 0.3, 42).data]).not.toEqual([...ops.dropout(a, 0.3, 43).data]);
  });
});

describe("op values", () => {
  it("softmax is stable for very large logits and rows sum to one", () => {
    const y = ops.softmax(tensor([[1e30, 1e30 - 1e24, -1e30], [1000, 1001, 1002]]));
    expect(y.data.every(Number.isFinite)).toBe(true);
    expectClose(ops.sum(y, -1), [1, 1], 1e-6, 1e-6);
    expectClose(y.data.subarray(3), [Math.exp(-2) / (1 + Math.exp(-1) + Math.exp(-2)), Math.exp(-1) / (1 + Math.exp(-1) + Math.exp(-2)), 1 / (1 + Math.exp(-1) + Math.exp(-2))], 1e-6, 1e-7);
  });
  it("maskedSoftmax: a fully blocked row is zeros, blocked NaN never leaks", () => {
    const x = tensor([[NaN, 1, 2], [NaN, NaN, Infinity]]);
    const y = ops.maskedSoftmax(x, tensor([[0, 1, 1], [0, 0, 0]]));
    expect([...y.data.subarray(3)]).toEqual([0, 0, 0]);
    expect(y.data[0]).toBe(0);
    expect(y.data.every(Number.isFinite)).toBe(true);
    const { grads } = valueAndGrad(() => ops.sum(ops.mul(ops.maskedSoftmax(x, tensor([[0, 1, 1], [0, 0, 0]])), tensor([[1, 2, 3], [4, 5, 6]]))), [x]);
    expect(grads[0].data.every(Number.isFinite)).toBe(true);
  });
  it("matmul matches a hand computation", () => {
    const c = ops.matmul(tensor([[1, 2], [3, 4]]), tensor([[5, 6], [7, 8]]));
    expect(c.toArray()).toEqual([[19, 22], [43, 50]]);
  });
  it("tensor round-trips nested arrays and rejects ragged ones", () => {
    expect(tensor([[1, 2, 3], [4, 5, 6]]).toArray()).toEqual([[1, 2, 3], [4, 5, 6]]);
    expect(() => tensor([[1, 2], [3]])).toThrow(/ragged/);
    expect(() => tensor([1, 2, 3], [2, 2])).toThrow(/needs 4 values/);
  });
  it("broadcasting errors name both shapes", () => {
    expect(() => ops.add(tensor([[1, 2, 3]]), tensor([[1, 2]]))).toThrow(/\[1, 3\] and \[1, 2\]/);
    expect(() => ops.matmul(tensor([[1, 2, 3]]), tensor([[1, 2]]))).toThrow(/inner sizes differ/);
  });
  it("valueAndGrad: unused inputs get zero gradients; non-scalar results are refused", () => {
    const a = rt(2), b = rt(3);
    const { value, grads } = valueAndGrad(() => ops.sum(ops.square(a)), [a, b]);
    expect(value).toBeCloseTo(a.data[0] ** 2 + a.data[1] ** 2, 5);
    expect([...grads[1].data]).toEqual([0, 0, 0]);
    expect(() => valueAndGrad(() => a, [a])).toThrow(/one-element tensor/);
  });
  it("valueAndGrad accumulates a tensor used several times", () => {
    const a = tensor([3]);
    const { grads } = valueAndGrad(() => ops.add(ops.mul(a, a), ops.add(a, a)), [a]);
    expect(grads[0].data[0]).toBe(8); // d(a² + 2a)/da = 2a + 2
  });
  it("a vjp returning one buffer for two inputs does not alias their gradients", () => {
    const a = tensor([1, 2]), b = tensor([3, 4]);
    const { grads } = valueAndGrad(() => ops.sum(ops.mul(ops.add(a, b), ops.add(a, tensor([1, 1])))), [a, b]);
    // d/da (a+b)(a+1) = (a+1) + (a+b); d/db = a+1
    expect([...grads[0].data]).toEqual([2 + 4, 3 + 6]);
    expect([...grads[1].data]).toEqual([2, 3]);
  });
});
