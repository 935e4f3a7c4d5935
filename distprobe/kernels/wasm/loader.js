// Loads the WebAssembly kernels: picks the best variant the engine accepts, compiles it, and gives the
// host one linear memory to lay arrays out in.
//   relaxed SIMD (fused multiply-add) when WebAssembly.validate accepts that build, SIMD128 otherwise;
//   a shared memory where the engine allows one (Node; browsers when cross-origin isolated), so worker
//   threads can run the same module on the same memory.
// In Node (and other engines that allow it) the module compiles synchronously on first use. Browsers
// refuse to compile modules over 4 KB synchronously on the main thread, so there the caller must
// `await ready()` first; using a kernel before that is an error that says so, never a silent fallback.
import { wasmBinaries } from "./binaries.generated.js";
const MAX_PAGES = 65536; // as in tools/build-wasm.mjs
let loaded = null;
let pending = null;
function decode(base64) {
    const text = atob(base64);
    const bytes = new Uint8Array(text.length);
    for (let i = 0; i < text.length; i++)
        bytes[i] = text.charCodeAt(i);
    return bytes;
}
function sharedMemoryWorks() {
    if (typeof SharedArrayBuffer === "undefined")
        return false;
    const g = globalThis;
    // a page that is not cross-origin isolated cannot hand a shared memory to its workers
    if ((g.document !== undefined || g.WorkerGlobalScope !== undefined) && g.crossOriginIsolated !== true)
        return false;
    try {
        new WebAssembly.Memory({ initial: 1, maximum: 1, shared: true });
        return true;
    }
    catch {
        return false;
    }
}
/** The variant to run here and its bytes. */
function choose() {
    const shared = sharedMemoryWorks();
    const relaxed = decode(wasmBinaries[shared ? "relaxed-shared" : "relaxed"]);
    if (WebAssembly.validate(relaxed))
        return { variant: shared ? "relaxed-shared" : "relaxed", bytes: relaxed };
    const variant = shared ? "simd-shared" : "simd";
    return { variant, bytes: decode(wasmBinaries[variant]) };
}
function newMemory(variant) {
    const shared = variant.endsWith("-shared");
    return shared ? new WebAssembly.Memory({ initial: 1, maximum: MAX_PAGES, shared: true }) : new WebAssembly.Memory({ initial: 1 });
}
function instantiate(variant, module) {
    const memory = newMemory(variant);
    const instance = new WebAssembly.Instance(module, { env: { memory } });
    return { variant, module, memory, exports: instance.exports };
}
function isNode() {
    const p = globalThis.process;
    return typeof p?.versions?.node === "string";
}
/** Resolves once the kernels can run (compiles them asynchronously; needed in browsers, like tf.ready()). */
export function ready() {
    if (loaded)
        return Promise.resolve();
    pending ??= (async () => {
        const { variant, bytes } = choose();
        const module = await WebAssembly.compile(bytes);
        loaded ??= instantiate(variant, module);
        return loaded;
    })();
    return pending.then(() => undefined);
}
/** True once the kernels are loaded (after ready() resolved, or a synchronous load in Node). */
export function isReady() {
    return loaded !== null;
}
/** The loaded kernels; in Node they load synchronously here, elsewhere ready() must have resolved. */
export function wasmKernels() {
    if (loaded)
        return loaded;
    if (!isNode()) {
        throw new Error('attention-layers: the WebAssembly kernels are not loaded yet; call "await ready()" once before using them (browsers cannot compile them synchronously)');
    }
    const { variant, bytes } = choose();
    loaded = instantiate(variant, new WebAssembly.Module(bytes));
    return loaded;
}
