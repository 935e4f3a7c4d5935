/**
 * Self-contained safetensors codec (F32 only) plus atomic file writes.
 *
 * Format (https://github.com/huggingface/safetensors, README "Format"):
 *
 *   [8 bytes]  N: unsigned little-endian u64, byte length of the header
 *   [N bytes]  UTF-8 JSON object:
 *                { "__metadata__": { "k": "v", ... },          (optional; string → string only)
 *                  "<name>": { "dtype": "F32", "shape": [d0, d1, ...],
 *                              "data_offsets": [begin, end] }, ... }
 *              Writers pad it with trailing spaces (0x20) so 8 + N is a multiple of 8;
 *              readers accept JSON whitespace around the object.
 *   [rest]     byte buffer: each tensor's elements, little-endian, C (row-major) order,
 *              at [begin, end) relative to the START OF THE BUFFER (not the file).
 *
 * Rules enforced (as the reference Rust reader does):
 *   - end - begin == product(shape) * sizeof(dtype); shape [] is a scalar (1 element),
 *     a shape containing 0 is an empty tensor with begin == end (allowed).
 *   - The tensors, ordered by offset, tile the buffer exactly from 0 to its end: no
 *     overlaps, no holes, no trailing bytes (this rules out polyglot files).
 *   - Header at most 100 000 000 bytes. Duplicate JSON keys are disallowed.
 * The reference writer orders tensors by descending dtype alignment then by name
 * (byte-wise UTF-8 comparison); with a single dtype that is plain name order, and the
 * header lists "__metadata__" first, then the tensors in offset order, as compact JSON.
 *
 * Only F32 tensors are supported; other dtypes are recognised by name for error messages.
 * This file is browser-clean (no node:* imports); atomic file writes live in src/node/atomicWrite.ts.
 * Decoded records have no prototype, so a tensor or metadata key named "__proto__" is kept as data.
 */
export type NamedArray = {
    dtype: "F32";
    shape: number[];
    data: Float32Array;
};
/**
 * Serialize F32 tensors (and optional string metadata) to safetensors bytes.
 * Tensors are laid out contiguously in name order; "__metadata__" is written only when
 * `metadata` is given (even if empty), matching the reference writer.
 */
export declare function encodeSafetensors(tensors: Record<string, NamedArray>, metadata?: Record<string, string>): Uint8Array;
/**
 * Parse safetensors bytes. Every structural rule is checked before any data is copied,
 * so a malformed file throws (naming the problem) and never yields partial results.
 * Tensor data is copied into fresh Float32Arrays (the input may be unaligned).
 */
export declare function decodeSafetensors(bytes: Uint8Array): {
    tensors: Record<string, NamedArray>;
    metadata: Record<string, string>;
};
