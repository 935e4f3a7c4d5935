// Loads the WebAssembly kernels: picks the best variant the engine accepts, compiles it, and gives the
// host one linear memory to lay arrays out in.
//   relaxed SIMD (fused multiply-add) when WebAssembly.validate accepts that build, SIMD128 otherwise;
//   a shared memory where the engine allows one (Node; browsers when cross-origin isolated), so worker
//   threads can run the same module on the same memory.
// In Node (and other engines that allow it) the module compiles synchronously on first use. Browsers
// refuse to compile modules over 4 KB synchronously on the main thread, so there the caller must
// `await ready()` first; using a kernel before that is an error that says so, never a silent fallback.
import { wasmBinaries } from "./binaries.generated.js";

/** The module's exports (kernels take byte offsets into `memory`). */
export interface KernelExports {
  gemm: import("./gemm.js").GemmKernel; gemmWorkspaceBytes(): number;
  lstmForward: import("./lstm.js").LstmForwardKernel;
  lstmBackward: import("./lstm.js").LstmBackwardKernel;
  [kernel: string]: unknown;
}

export interface WasmKernels {
  readonly variant: keyof typeof wasmBinaries;
  readonly module: WebAssembly.Module;
  readonly memory: WebAssembly.Memory;
  readonly exports: KernelExports;
}

const MAX_PAGES = 65536; // as in tools/build-wasm.mjs

let loaded: WasmKernels | null = null;
let pending: Promise<WasmKernels> | null = null;

function decode(base64: string): Uint8Array<ArrayBuffer> {
  const text = atob(base64);
  const bytes = new Uint8Array(text.length);
  for (let i = 0; i < text.length; i++) bytes[i] = text.charCodeAt(i);
  return bytes;
}

function sharedMemoryWorks(): boolean {
  if (typeof SharedArrayBuffer === "undefined") return false;
  const g = globalThis as { crossOriginIsolated?: boolean; document?: unknown; WorkerGlobalScope?: unknown };
  // a page that is not cross-origin isolated cannot hand a shared memory to its workers
  if ((g.document !== undefined || g.WorkerGlobalScope !== undefined) && g.crossOriginIsolated !== true) return false;
  try {
    new WebAssembly.Memory({ initial: 1, maximum: 1, shared: true });
    return true;
  } catch {
    return false;
  }
}

/** The variant to run here and its bytes. */
function choose(): { variant: keyof typeof wasmBinaries; bytes: Uint8Array<ArrayBuffer> } {
  const shared = sharedMemoryWorks();
  const relaxed = decode(wasmBinaries[shared ? "relaxed-shared" : "relaxed"]);
  if (WebAssembly.validate(relaxed)) return { variant: shared ? "relaxed-shared" : "relaxed", bytes: relaxed };
  const variant = shared ? "simd-shared" : "simd";
  return { variant, bytes: decode(wasmBinaries[variant]) };
}

function newMemory(variant: string): WebAssembly.Memory {
  const shared = variant.endsWith("-shared");
  return shared ? new WebAssembly.Memory({ initial: 1, maximum: MAX_PAGES, shared: true }) : new WebAssembly.Memory({ initial: 1 });
}

function instantiate(variant: keyof typeof wasmBinaries, module: WebAssembly.Module): WasmKernels {
  const memory = newMemory(variant);
  const instance = new WebAssembly.Instance(module, { env: { memory } });
  return { variant, module, memory, exports: instance.exports as unknown as KernelExports };
}

function isNode(): boolean {
  const p = (globalThis as { process?: { versions?: { node?: string } } }).process;
  return typeof p?.versions?.node === "string";
}

/** Resolves once the kernels can run (compiles them asynchronously; needed in browsers, like tf.ready()). */
export function ready(): Promise<void> {
  if (loaded) return Promise.resolve();
  pending ??= (async () => {
    const { variant, bytes } = choose();
    const module = await WebAssembly.compile(bytes);
    loaded ??= instantiate(variant, module);
    return loaded;
  })();
  return pending.then(() => undefined);
}

/** True once the kernels are loaded (after ready() resolved, or a synchronous load in Node). */
export function isReady(): boolean {
  return loaded !== null;
}

/** The loaded kernels; in Node they load synchronously here, elsewhere ready() must have resolved. */
export function wasmKernels(): WasmKernels {
  if (loaded) return loaded;
  if (!isNode()) {
    throw new Error('attention-layers: the WebAssembly kernels are not loaded yet; call "await ready()" once before using them (browsers cannot compile them synchronously)');
  }
  const { variant, bytes } = choose();
  loaded = instantiate(variant, new WebAssembly.Module(bytes));
  return loaded;
}
