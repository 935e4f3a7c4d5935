import { type KernelExports } from "./loader.js";
export interface Layout {
    /** byte offsets of the requested arrays, in order */
    offsets: number[];
    exports: KernelExports;
    /** a live Float32Array view of `length` floats at byte offset `offset` (valid until the next layout) */
    f32(offset: number, length: number): Float32Array;
    /** copies `data` into memory at `offset` */
    write(offset: number, data: ArrayLike<number>): void;
}
/** Reserves room for arrays of the given float counts (growing the memory if needed). */
export declare function layout(floatCounts: readonly number[]): Layout;
