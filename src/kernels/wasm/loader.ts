// Loads the WebAssembly kernels: picks the best variant the engine accepts, compiles it, and gives the
// host one linear memory to lay arrays out in.
//   relaxed SIMD (fused multiply-add) when WebAssembly.validate accepts that build, SIMD128 otherwise;
//   a shared memory where the engine allows one (Node; browsers when cross-origin isolated), so worker
//   threads can run the same module on the same memory.
// In Node (and other engines that allow it) the module compiles synchronously on first use. Browsers
// refuse to compile modules over 4 KB synchronously on the main thread, so there the caller must
// `await ready()` first; using a kernel before that is an error that says so, never a silent fallback.
// Where WebAssembly is missing or refused (node --jitless; a page whose Content-Security-Policy lacks
// 'wasm-unsafe-eval'), wasmUsable() says so, once, through the warning sink, and the callers run their
// TypeScript reference kernels instead.
// The memory only grows (WebAssembly cannot shrink it): dropInstance() forgets the instance and its memory
// (the compiled module stays), and the next use instantiates afresh on a one-page memory.
import { warnOnce } from "../../util/warnings.js";
import { wasmBinaries } from "./binaries.generated.js";

/** The module's exports (kernels take byte offsets into `memory`). */
export interface KernelExports {
  gemm: import("./gemm.js").GemmKernel; gemmWorkspaceBytes(): number;
  lstmForward: import("./lstm.js").LstmForwardKernel;
  lstmBackward: import("./lstm.js").LstmBackwardKernel;
  gruForward: import("./gru.js").GruForwardKernel;
  gruBackward: import("./gru.js").GruBackwardKernel;
  rnnForward: import("./rnn.js").RnnForwardKernel;
  rnnBackward: import("./rnn.js").RnnBackwardKernel;
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
let compiled: { variant: keyof typeof wasmBinaries; module: WebAssembly.Module } | null = null; // kept by dropInstance
let unavailable: string | null = null; // why WebAssembly cannot run here, once found

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

/** Resolves once the kernels can run (compiles them asynchronously; needed in browsers, like tf.ready()); where WebAssembly is unavailable, once that is known. */
export function ready(): Promise<void> {
  if (loaded || !wasmUsable()) return Promise.resolve();
  pending ??= (async () => {
    if (!compiled) {
      const { variant, bytes } = choose();
      compiled = { variant, module: await WebAssembly.compile(bytes) };
    }
    loaded ??= instantiate(compiled.variant, compiled.module);
    return loaded;
  })();
  return pending.then(() => undefined, (e: unknown) => { pending = null; refuse(`WebAssembly cannot compile here (${String(e)})`); });
}

/** Records why WebAssembly cannot run here and says so once; always false. */
function refuse(reason: string): false {
  unavailable = reason;
  warnOnce("wasm", `attention-layers: ${reason}; the kernels fall back to the TypeScript reference kernels on one thread (slower; results agree within float32 rounding)`);
  return false;
}

/**
 * Whether the WebAssembly kernels can run here: false (after one warning) where WebAssembly is missing or
 * refuses to compile, and the caller runs its reference kernel. In a browser before ready(), true: the
 * caller's wasmKernels() then says to await ready().
 */
export function wasmUsable(): boolean {
  if (loaded) return true;
  if (unavailable !== null) return false;
  if (typeof WebAssembly === "undefined") return refuse("WebAssembly is not defined here (node --jitless, or a page whose Content-Security-Policy lacks 'wasm-unsafe-eval')");
  if (!isNode()) return true;
  try {
    wasmKernels();
    return true;
  } catch (e) {
    return refuse(`WebAssembly cannot compile here (${String(e)})`);
  }
}

/** Forgets the instance and its memory (see releaseMemory in ./threads.ts); the next use instantiates afresh. */
export function dropInstance(): void {
  loaded = null;
  pending = null;
}

/** True once the kernels are loaded (after ready() resolved, or a synchronous load in Node). */
export function isReady(): boolean {
  return loaded !== null;
}

/** The loaded kernels; in Node they load synchronously here, elsewhere ready() must have resolved. */
export function wasmKernels(): WasmKernels {
  if (loaded) return loaded;
  if (!isNode()) {
    // after dropInstance a browser may still instantiate the compiled module synchronously (Chrome refuses large ones on the main thread)
    try {
      if (compiled) return (loaded = instantiate(compiled.variant, compiled.module));
    } catch { /* the message below says what to do */ }
    throw new Error('attention-layers: the WebAssembly kernels are not loaded yet; call "await ready()" once before using them (browsers cannot compile them synchronously)');
  }
  if (!compiled) {
    const { variant, bytes } = choose();
    compiled = { variant, module: new WebAssembly.Module(bytes) };
  }
  loaded = instantiate(compiled.variant, compiled.module);
  return loaded;
}
