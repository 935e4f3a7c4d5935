// Outputs past what a tensor can hold (2³¹ − 1 values) are refused before anything is allocated, with
// tensor()'s own message naming the op: broadcasting, matrix products, concatenation, stacking, gathering and attention's
// returned weights all grow small inputs into such outputs (they filled 8 GB before dying).
import { describe, expect, it } from "vitest";
import { dotProductAttention, ops, zeros } from "../../src/index.js";
import { stackPadded } from "../../src/tensor/ops/layout.js";

/** tensor()'s message for a shape, as another function would give it. */
function tooLarge(where: string, shape: number[]): string {
  let message = "";
  try { zeros(shape); } catch (e) { message = (e as Error).message; }
  expect(message).toMatch(/^zeros: shape .* more than a tensor can hold \(2147483647\)$/);
  return message.replace(/^zeros/, where);
}

describe("outputs larger than a tensor can hold", () => {
  // 65536 × 32769 = 2³¹ + 2¹⁶ values, from inputs of at most a few hundred kB
  const column = zeros([65536, 1]), row = zeros([1, 32769]), slab = zeros([1, 32768]);
  const wide = [65536, 32769];

  it("ops.add, ops.mul (broadcasting) and ops.broadcastTo", () => {
    expect(() => ops.add(column, row)).toThrow(tooLarge("ops.add", wide));
    expect(() => ops.mul(column, row)).toThrow(tooLarge("ops.mul", wide));
    expect(() => ops.broadcastTo(row, wide)).toThrow(tooLarge("ops.broadcastTo", wide));
  });

  it("ops.matmul and ops.linear (an outer product [m, 1]·[1, n])", () => {
    expect(() => ops.matmul(column, row)).toThrow(tooLarge("ops.matmul", wide));
    expect(() => ops.linear(column, zeros([32769, 1]))).toThrow(tooLarge("ops.linear", wide));
  });

  it("ops.concat, ops.stack, ops.stackPadded and ops.gather of many small pieces", () => {
    const many = new Array(65537).fill(slab);
    expect(() => ops.concat(many, 0)).toThrow(tooLarge("ops.concat", [65537, 32768]));
    expect(() => ops.stack(many, 0)).toThrow(tooLarge("ops.stack", [65537, 1, 32768]));
    expect(() => stackPadded(new Array(65537).fill(zeros([1, 32768])), 1)).toThrow(tooLarge("ops.stackPadded", [65537, 1, 32768]));
    expect(() => ops.gather(slab, new Array(65537).fill(0))).toThrow(tooLarge("ops.gather", [65537, 32768]));
  });

  it("dotProductAttention's returned weights [B, H, Tq, Tk] with either kernel (T = 46341: 46341² > 2³¹ − 1)", () => {
    const x = zeros([1, 1, 46341, 1]);
    for (const implementation of ["reference", "wasm"]) {
      expect(() => dotProductAttention(x, x, x, { returnWeights: true, implementation })).toThrow(tooLarge("dotProductAttention: weights", [1, 1, 46341, 46341]));
    }
  });

  it("dotProductAttention's output [B, H, Tq, Dv] from a long query and a wide value", () => {
    const q = zeros([1, 1, 65536, 1]), kv = zeros([1, 1, 1, 1]), v = zeros([1, 1, 1, 32769]);
    expect(() => dotProductAttention(q, kv, v)).toThrow(tooLarge("dotProductAttention: output", [1, 1, 65536, 32769]));
  });
});
