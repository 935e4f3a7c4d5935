// The public Tensor constructor checks what users pass; ops build their results through uncheckedTensor,
// which skips only the checks and must give the same kind of object (frozen shape, data used as is).
import { describe, expect, it } from "vitest";
import { Tensor, ops, tensor } from "../../src/index.js";
import { uncheckedTensor } from "../../src/tensor/tensor.js";

describe("Tensor construction", () => {
  it("new Tensor refuses bad data and shapes with the messages users see", () => {
    expect(() => new Tensor([1, 2] as never, [2])).toThrow(/^Tensor: data must be a Float32Array, got /);
    expect(() => new Tensor(new Float32Array(4), [2, -2])).toThrow(/^Tensor: shape must be an array of non-negative integers, got \[2, -2\]/);
    expect(() => new Tensor(new Float32Array(4), [2, 2.5])).toThrow(/^Tensor: shape must be an array of non-negative integers/);
    expect(() => new Tensor(new Float32Array(4), "4" as never)).toThrow(/^Tensor: shape must be an array of non-negative integers/);
    expect(() => new Tensor(new Float32Array(3), [2, 2])).toThrow(/^tensor: shape \[2, 2\] needs 4 values, got 3$/);
  });

  it("the constructor's checks stay on after op results were made without them", () => {
    const a = tensor([[1, 2], [3, 4]]);
    ops.add(ops.transpose(a), a); // results through uncheckedTensor
    uncheckedTensor(new Float32Array(1), []);
    expect(() => new Tensor(new Float32Array(3), [2, 2])).toThrow(/needs 4 values, got 3/);
    expect(() => new Tensor(new Float32Array(3), [3, -1])).toThrow(/shape must be an array of non-negative integers/);
  });

  it("a tensor's shape is frozen and independent of the caller's array; frozen shapes are shared", () => {
    for (const make of [(d: Float32Array, s: number[]) => new Tensor(d, s), uncheckedTensor]) {
      const shape = [2, 3], data = new Float32Array(6);
      const t = make(data, shape);
      expect(t).toBeInstanceOf(Tensor);
      expect(t.data).toBe(data);
      expect(Object.isFrozen(t.shape)).toBe(true);
      shape[0] = 7;
      expect(t.shape).toEqual([2, 3]);
      const u = make(new Float32Array(6), t.shape as number[]);
      expect(u.shape).toBe(t.shape);
    }
  });

  it("op results hold the shapes their checks imply", () => {
    const a = tensor([[1, 2, 3], [4, 5, 6]]);
    const results = [ops.transpose(a), ops.reshape(a, [3, -1]), ops.add(a, tensor([1, 2, 3])), ops.sum(a, 1), ops.matmul(a, ops.transpose(a)), ops.slice(a, 1, 1, 3)];
    expect(results.map((r) => [...r.shape])).toEqual([[3, 2], [3, 2], [2, 3], [2], [2, 2], [2, 2]]);
    for (const r of results) {
      expect(Object.isFrozen(r.shape)).toBe(true);
      expect(r.data.length).toBe(r.shape.reduce((p, d) => p * d, 1));
    }
  });
});
