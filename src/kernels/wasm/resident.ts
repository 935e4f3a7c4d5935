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

interface Block { arrays: readonly Float32Array[]; offsets: Map<Float32Array, number>; memory: WebAssembly.Memory; writes: number }
let block: Block | null = null;
let epoch = 0; // counts the blocks made

/** Changes whenever the resident copies are made again (their offsets and storage orders may then differ). */
export function residentEpoch(): number {
  return epoch;
}
let active: Map<Float32Array, number> | null = null;

/** Runs `run` with `arrays` resident (copied in now unless the resident copies are current). */
export function withResident<T>(arrays: readonly Float32Array[], run: () => T): T {
  // nested: the outer call's block stays (replacing it would strand the outer offsets); no WebAssembly: gemm runs its reference
  if (active || !wasmUsable()) return run();
  if (!current(arrays)) {
    const mem = reserveResident(arrays.map((a) => a.length));
    arrays.forEach((a, i) => mem.write(mem.offsets[i], a));
    block = { arrays, offsets: new Map(arrays.map((a, i) => [a, mem.offsets[i]])), memory: mem.memory, writes };
    epoch++;
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

/**
 * The byte offset of `a`'s resident copy inside a withResident call that holds it, else undefined. The copy keeps
 * `a`'s storage order. For a dense layer's W [n×k] in x·Wᵀ, a decoding step's product of one row splits W's rows
 * (its output columns) over the threads, so each thread streams a contiguous share (assembly/gemmFewRows.ts reads
 * eight rows at a time). The copy was once transposed to Wᵀ for few-row products (a little faster on one thread),
 * but then each thread's share was a slice of every row of Wᵀ, and two threads streaming such slices gained little
 * over one.
 */
export function residentOffset(a: Float32Array): number | undefined {
  return active?.get(a);
}
