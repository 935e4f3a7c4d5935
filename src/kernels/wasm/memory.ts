// Laying arrays out in the kernels' linear memory. A kernel call copies its inputs in, runs, and copies
// its outputs out; the layout is rebuilt from the start of the heap on every call (calls are synchronous
// and never nested), so nothing is freed by hand. The copies cost O(inputs) against the kernels' O(n²)
// or O(n³) work. A large memory is given back once the kernels sit idle (noteMemorySize in ./threads.ts).
// Below the per-call arrays, the heap may start with a resident block (reserveResident: arrays that stay
// between calls, ./resident.ts) and an arena after it (arenaBlock: bytes that keep their contents between calls,
// ./cacheArena.ts lays decoding's key/value caches in it); the per-call layouts begin after both.
import { wasmKernels, type KernelExports } from "./loader.js";
import { noteMemorySize } from "./threads.js";

/** Page 0 holds the module's few bytes of static data; arrays start at page 1. */
const HEAP_START = 65536;
const ALIGN = 64; // a cache line

export interface Layout {
  /** byte offsets of the requested arrays, in order */
  offsets: number[];
  exports: KernelExports;
  /** a live Float32Array view of `length` floats at byte offset `offset` (valid until the next layout) */
  f32(offset: number, length: number): Float32Array;
  /** copies `data` into memory at `offset` */
  write(offset: number, data: ArrayLike<number>): void;
}

/** Where the per-call layouts start: after the resident block of the current memory, if any. */
let residentEnd = HEAP_START;
let residentMemory: WebAssembly.Memory | null = null;

/** The arena: `arenaBytes` from `arenaStart` in `arenaMemory`; `arenaEpoch` changes whenever its contents are lost. */
let arenaMemory: WebAssembly.Memory | null = null;
let arenaStart = HEAP_START, arenaBytes = 0, arenaEpoch = 0;

/** Reserves room for arrays of the given float counts (growing the memory if needed). */
export function layout(floatCounts: readonly number[]): Layout {
  const { memory } = wasmKernels();
  const afterResident = memory === residentMemory ? residentEnd : HEAP_START;
  return layoutFrom(memory === arenaMemory ? Math.max(afterResident, arenaStart + arenaBytes) : afterResident, floatCounts);
}

/**
 * The arena, at least `bytes` long (grown in place, its contents kept; the memory grows if needed): its byte
 * offset, length and epoch. A new epoch means the contents are gone: the memory was dropped, or a larger resident
 * block took its place (the arena then starts again, empty, after the resident block).
 */
export function arenaBlock(bytes: number): { start: number; bytes: number; epoch: number; memory: WebAssembly.Memory } {
  const { memory } = wasmKernels();
  if (memory !== arenaMemory) {
    arenaMemory = memory;
    arenaStart = memory === residentMemory ? residentEnd : HEAP_START;
    arenaBytes = 0;
    arenaEpoch++;
  }
  if (bytes > arenaBytes) {
    reach(memory, arenaStart + bytes);
    arenaBytes = bytes;
  }
  return { start: arenaStart, bytes: arenaBytes, epoch: arenaEpoch, memory };
}

/**
 * Makes the heap start with a resident block of arrays of these float counts (replacing any earlier one):
 * they stay between kernel calls until the next reserveResident, or until the memory is dropped (then the
 * returned `memory` is no longer the kernels' and the block is gone).
 */
export function reserveResident(floatCounts: readonly number[]): Layout & { memory: WebAssembly.Memory } {
  const placed = layoutFrom(HEAP_START, floatCounts);
  residentMemory = wasmKernels().memory;
  residentEnd = placed.end;
  if (arenaMemory === residentMemory && residentEnd > arenaStart) arenaMemory = null; // overwritten: the next arenaBlock starts it anew
  return { ...placed, memory: residentMemory };
}

/** Grows the memory to hold `end` bytes if it does not; its buffer (a new object after growing: views made before see the old length). */
function reach(memory: WebAssembly.Memory, end: number): ArrayBuffer | SharedArrayBuffer {
  const have = memory.buffer.byteLength;
  if (end > have) {
    const pages = Math.ceil((end - have) / 65536);
    try {
      memory.grow(pages);
    } catch {
      throw new Error(`attention-layers: the WebAssembly kernels need ${Math.ceil(end / 2 ** 20)} MiB of memory, more than the engine grants`);
    }
  }
  noteMemorySize(memory.buffer.byteLength);
  return memory.buffer;
}

function layoutFrom(start: number, floatCounts: readonly number[]): Layout & { end: number } {
  const { memory, exports } = wasmKernels();
  const offsets: number[] = [];
  let end = start;
  for (const n of floatCounts) {
    offsets.push(end);
    end += Math.ceil((n * 4) / ALIGN) * ALIGN;
  }
  const buffer = reach(memory, end);
  return {
    offsets, exports, end,
    f32: (offset, length) => new Float32Array(buffer, offset, length),
    write: (offset, data) => new Float32Array(buffer, offset, data.length).set(data),
  };
}
