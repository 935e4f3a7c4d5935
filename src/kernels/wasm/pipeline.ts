// Chunked kernel calls that hide this thread's copies behind the workers' compute. Only the calling thread can read
// and write the library's arrays (the workers see nothing but the kernels' shared memory), so a call's copies into
// and out of kernel memory are serial: with 2 threads, while this thread copies, the other core idles. Split into
// chunks of work items, a call runs chunk c on all threads while this thread copies chunk c+1's inputs in and chunk
// c−1's outputs out (startParallel's window in ./threads.ts), then joins the workers on what is left of chunk c:
//   copyIn(0);  for c = 0…n−1: start(c), copyIn(c+1), alongside(c), copyOut(c−1), join(c);  copyOut(n−1)
// Only the first chunk's inputs and the last chunk's outputs are copied with the workers idle. The kernels'
// items are independent (each writes its own outputs), so which chunk or thread computes an item changes no bit.
// On one thread there is nothing to overlap: one chunk, the copies in, the kernel, the copies out.
import { splitRange } from "./threads.js";

/**
 * How many chunks: `chunks` on more than one thread (fewer when a chunk would hold under minItems items), else one.
 * Chunk boundaries are multiples of `quantum` (as the kernel's claims).
 */
export function chunksOf(items: number, threads: number, quantum: number, chunks: number, minItems: number): [number, number][] {
  if (items === 0) return [];
  const parts = threads > 1 ? Math.max(1, Math.min(chunks, Math.floor(items / Math.max(minItems, 1)))) : 1;
  return splitRange(items, parts, quantum);
}

/** What a pipelined call does with each chunk [first, end) besides running the kernel on it. */
export interface ChunkCopies {
  /** copies the chunk's inputs in (before its kernel starts) */
  copyIn(first: number, end: number): void;
  /** copies the chunk's outputs out (after its kernel is joined) */
  copyOut(first: number, end: number): void;
  /** work for this thread while the chunk's kernel runs, touching nothing it reads or writes (e.g. a later kernel's inputs) */
  alongside?(first: number, end: number): void;
}

/**
 * Runs the chunks [first, end) in turn: `start` starts the kernel on one chunk and returns its join; the copies move
 * one chunk's arrays, overlapping the next and previous chunks' kernels as above (in the window of chunk c: copyIn(c+1),
 * alongside(c), copyOut(c−1)). `then`, if given, starts a kernel that reads none of the last chunk's outputs (returning
 * its join): the last copyOut overlaps it.
 */
export function pipelined(
  chunks: readonly (readonly [number, number])[], start: (first: number, end: number) => () => void,
  { copyIn, copyOut, alongside }: ChunkCopies, then?: () => () => void,
): void {
  if (chunks.length === 0) {
    then?.()();
    return;
  }
  copyIn(...chunks[0]);
  for (let c = 0; c < chunks.length; c++) {
    const join = start(...chunks[c]);
    try {
      if (c + 1 < chunks.length) copyIn(...chunks[c + 1]);
      alongside?.(...chunks[c]);
      if (c > 0) copyOut(...chunks[c - 1]);
    } finally {
      join();
    }
  }
  const join = then?.() ?? (() => {});
  try {
    copyOut(...chunks[chunks.length - 1]);
  } finally {
    join();
  }
}
