// Host-side helpers the recurrent kernels' wrappers (lstm.ts, gru.ts, rnn.ts) share.
import type { Layout } from "./memory.js";
import { copyFloats } from "../../util/stepPool.js";

/** Writes the row lengths (int32 per row) at a byte offset of the layout. */
export function writeLengths(mem: Layout, offset: number, lengths: Int32Array): void {
  new Int32Array(mem.f32(offset, lengths.length).buffer, offset, lengths.length).set(lengths);
}

/** Writes data at offset, or zeros when data is null (an omitted initial state or final-state gradient). */
export function writeOrZero(mem: Layout, offset: number, data: Float32Array | null | undefined, length: number): void {
  if (data) mem.write(offset, data);
  else mem.f32(offset, length).fill(0);
}

/** A copy of `length` floats at offset (the layout's memory is reused by the next call). */
export const copyOut = (mem: Layout, offset: number, length: number): Float32Array => copyFloats(mem.f32(offset, length));
