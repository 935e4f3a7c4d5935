// Weights kept in the kernels' memory between calls. A decoding step multiplies one row per sequence by the
// same weight matrices every time, so copying each matrix into linear memory per product (what gemmWasm does
// for arbitrary operands) costs more than the product itself. Inside withResident(arrays, run), gemmWasm reads
// a B operand that is one of `arrays` from its resident copy instead.
// The copies are made once and made again when they may be stale: the kernel memory was dropped
// (releaseMemory), another set of arrays took the resident block, or a weight was written through the library
// since (noteWeightWrites: setParameter, the optimizers, trainNet's restores). A hand-written change to a
// parameter's `.data` is not seen until one of those happens.
import { wasmKernels, wasmUsable } from "./loader.js";
import { reserveResident } from "./memory.js";

let writes = 0;
/** Called wherever the library writes into live parameter arrays, so resident copies are made again. */
export function noteWeightWrites(): void {
  writes++;
}

/** `transposed`: the arrays whose resident copy holds them transposed, with the product shape it was made for (see residentOperand). */
interface Block { arrays: readonly Float32Array[]; offsets: Map<Float32Array, number>; memory: WebAssembly.Memory; writes: number; transposed: Map<Float32Array, { k: number; n: number }> }
let block: Block | null = null;
let active: Map<Float32Array, number> | null = null;

/** Runs `run` with `arrays` resident (copied in now unless the resident copies are current). */
export function withResident<T>(arrays: readonly Float32Array[], run: () => T): T {
  // nested: the outer call's block stays (replacing it would strand the outer offsets); no WebAssembly: gemm runs its reference
  if (active || !wasmUsable()) return run();
  if (!current(arrays)) {
    const mem = reserveResident(arrays.map((a) => a.length));
    arrays.forEach((a, i) => mem.write(mem.offsets[i], a));
    block = { arrays, offsets: new Map(arrays.map((a, i) => [a, mem.offsets[i]])), memory: mem.memory, writes, transposed: new Map() };
  }
  active = block!.offsets;
  try {
    return run();
  } finally {
    active = null;
  }
}

function current(arrays: readonly Float32Array[]): boolean {
  return block !== null && block.writes === writes && block.memory === wasmKernels().memory
    && block.arrays.length === arrays.length && block.arrays.every((a, i) => a === arrays[i]);
}

/** The byte offset of `a`'s resident copy inside a withResident call that holds it as it is, else undefined. */
export function residentOffset(a: Float32Array): number | undefined {
  return block?.transposed.has(a) ? undefined : active?.get(a);
}

/**
 * A matrix product's B operand from the resident copy of `b`, inside a withResident call that holds it: the byte
 * offset and how to read it (transB), else undefined. A weight used as x·Wᵀ (transB, W stored [n×k]: every dense
 * layer) by a product of fewer than 4 rows (a decoding step) is transposed in place to Wᵀ [k×n] the first time, so
 * that step's columns are contiguous (assembly/gemmFewRows.ts reads 16 of them per load line, no transposes in
 * registers); from then on every product x·Wᵀ of that shape reads Wᵀ as a plain [k×n] B. The kernels sum each
 * C(i, j) in the same order from either storage order, so the bits do not change.
 */
export function residentOperand(b: Float32Array, k: number, n: number, transB: boolean, rows: number): { offset: number; transB: boolean } | undefined {
  const offset = active?.get(b);
  if (offset === undefined) return undefined;
  const shape = block!.transposed.get(b);
  if (shape) return transB && shape.k === k && shape.n === n ? { offset, transB: false } : undefined;
  if (!transB || rows >= 4) return { offset, transB };
  const t = new Float32Array(block!.memory.buffer, offset, k * n); // b [n×k] → bᵀ [k×n]
  for (let j = 0; j < n; j++) for (let p = 0; p < k; p++) t[p * n + j] = b[j * k + p];
  block!.transposed.set(b, { k, n });
  return { offset, transB: false };
}
