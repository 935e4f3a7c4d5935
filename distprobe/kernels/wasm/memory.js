// Laying arrays out in the kernels' linear memory. A kernel call copies its inputs in, runs, and copies
// its outputs out; the layout is rebuilt from the start of the heap on every call (calls are synchronous
// and never nested), so nothing is freed by hand. The copies cost O(inputs) against the kernels' O(n²)
// or O(n³) work.
import { wasmKernels } from "./loader.js";
/** Page 0 holds the module's few bytes of static data; arrays start at page 1. */
const HEAP_START = 65536;
const ALIGN = 64; // a cache line
/** Reserves room for arrays of the given float counts (growing the memory if needed). */
export function layout(floatCounts) {
    const { memory, exports } = wasmKernels();
    const offsets = [];
    let end = HEAP_START;
    for (const n of floatCounts) {
        offsets.push(end);
        end += Math.ceil((n * 4) / ALIGN) * ALIGN;
    }
    const have = memory.buffer.byteLength;
    if (end > have) {
        const pages = Math.ceil((end - have) / 65536);
        try {
            memory.grow(pages);
        }
        catch {
            throw new Error(`attention-layers: the WebAssembly kernels need ${Math.ceil(end / 2 ** 20)} MiB of memory, more than the engine grants`);
        }
    }
    const buffer = memory.buffer;
    return {
        offsets, exports,
        f32: (offset, length) => new Float32Array(buffer, offset, length),
        write: (offset, data) => new Float32Array(buffer, offset, data.length).set(data),
    };
}
