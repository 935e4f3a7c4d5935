// Threads for the WebAssembly kernels: a pool of workers that each instantiate the same module on the
// same shared WebAssembly.Memory. A kernel call hands each thread a range of its work (thread 0 is the
// calling thread) and returns when all are done, so the API stays synchronous: the caller blocks in
// Atomics.wait, which Node allows on its main thread. Kernels split work so that no element's summation
// order depends on the split: results are bit-identical for every thread count.
//
// Where threads run: Node ≥ 20.16 (process.getBuiltinModule gives worker_threads without a static
// node:* import, so this file stays browser-clean) with the shared-memory build of the kernels. In a
// browser the kernels run on one thread for now (a pool there would need cross-origin isolation, a
// worker as the caller, and asynchronous startup in ready()).
import { wasmKernels, type KernelExports } from "./loader.js";

interface NodeWorker { unref(): void }
interface WorkerThreads { Worker: new (code: string, options: { eval: true; workerData: unknown }) => NodeWorker }

// Control block: one 256-byte slot per worker. Int32 view: [seq, done, kernel, argc, failed]; Float64
// view from byte 64: up to 24 arguments.
const SLOT_BYTES = 256, SLOT_INTS = SLOT_BYTES / 4, ARGS_AT = 8, MAX_ARGS = 24, MAX_WORKERS = 256;
const SEQ = 0, DONE = 1, KERNEL = 2, ARGC = 3, FAILED = 4;

// The worker, a CommonJS script run with eval in a Node worker thread (only Node ever runs it; bundlers see
// a string): instantiate the module on the shared memory,
// then run whatever its slot asks, forever.
const WORKER_SOURCE = `
const { workerData } = require("worker_threads");
const { module, memory, control, slot, names } = workerData;
const kernels = new WebAssembly.Instance(module, { env: { memory } }).exports;
const ints = new Int32Array(control, slot * ${SLOT_BYTES}, ${SLOT_INTS});
const args = new Float64Array(control, slot * ${SLOT_BYTES} + ${ARGS_AT * 8}, ${MAX_ARGS});
let seen = 0;
for (;;) {
  Atomics.wait(ints, ${SEQ}, seen);
  seen = Atomics.load(ints, ${SEQ});
  try {
    kernels[names[ints[${KERNEL}]]](...args.subarray(0, ints[${ARGC}]));
    ints[${FAILED}] = 0;
  } catch (e) {
    ints[${FAILED}] = 1;
  }
  Atomics.store(ints, ${DONE}, seen);
  Atomics.notify(ints, ${DONE});
}
`;

/** The kernels a worker may be asked to run (by index in this list); all take numbers only. */
const KERNEL_NAMES = [
  "gemm", "attentionPack", "attentionForward", "attentionBackwardDelta", "attentionBackwardKeyValue", "attentionBackwardQuery",
] as const;
export type ParallelKernel = (typeof KERNEL_NAMES)[number];

let requested: number | null = null; // setNumThreads' value; null = the machine's cores
let workers: NodeWorker[] = [];
let control: SharedArrayBuffer | null = null;

function nodeBuiltin<T>(name: string): T | null {
  const p = (globalThis as { process?: { versions?: { node?: string }; getBuiltinModule?: (id: string) => unknown } }).process;
  if (typeof p?.versions?.node !== "string" || typeof p.getBuiltinModule !== "function") return null;
  return p.getBuiltinModule(name) as T;
}

function machineCores(): number {
  const os = nodeBuiltin<{ availableParallelism?: () => number; cpus: () => unknown[] }>("node:os");
  if (os) return os.availableParallelism?.() ?? os.cpus().length;
  const nav = (globalThis as { navigator?: { hardwareConcurrency?: number } }).navigator;
  return nav?.hardwareConcurrency ?? 1;
}

/** True where a pool can run: Node with worker_threads and the shared-memory kernels. */
function poolPossible(): boolean {
  return nodeBuiltin("node:worker_threads") !== null && wasmKernels().variant.endsWith("-shared");
}

/**
 * Sets how many threads the kernels split their work over (1 = no workers). Results do not depend on it.
 * Where threads are unavailable (browsers, for now) the kernels use one thread whatever is set.
 */
export function setNumThreads(n: number): void {
  if (!Number.isInteger(n) || n < 1 || n > MAX_WORKERS + 1) {
    throw new Error(`setNumThreads: n must be an integer from 1 to ${MAX_WORKERS + 1}, got ${String(n)}`);
  }
  requested = n; // idle workers beyond n stay parked in Atomics.wait (unref'd), ready if n grows again
}

/** The number of threads the kernels use: setNumThreads' value (default: the machine's cores), or 1 where threads are unavailable. */
export function getNumThreads(): number {
  return poolPossible() ? (requested ?? machineCores()) : 1;
}

/** How many workers the pool has started (for the tests: proof that work really left this thread). */
export function workerCount(): number {
  return workers.length;
}

function ensureWorkers(count: number): void {
  const wt = nodeBuiltin<WorkerThreads>("node:worker_threads")!;
  const { module, memory } = wasmKernels();
  control ??= new SharedArrayBuffer(SLOT_BYTES * MAX_WORKERS);
  while (workers.length < count) {
    const slot = workers.length;
    new Int32Array(control, slot * SLOT_BYTES, SLOT_INTS).fill(0);
    const w = new wt.Worker(WORKER_SOURCE, { eval: true, workerData: { module, memory, control, slot, names: KERNEL_NAMES } });
    w.unref(); // an idle pool never keeps the process alive
    workers.push(w);
  }
}

/**
 * Runs `kernel` once per element of `ranges` (its arguments), element 0 on this thread and the others on
 * workers, and returns when all have finished. One element runs without any worker; none does nothing.
 */
export function runParallel(kernel: ParallelKernel, ranges: readonly (readonly number[])[]): void {
  const exports: KernelExports = wasmKernels().exports;
  const run = exports[kernel] as (...args: number[]) => void; // every kernel takes numbers (flags as 0/1)
  if (ranges.length === 0) return; // no work items (e.g. attention with Tq = 0, Tk = 0 or B = 0)
  if (ranges.length === 1) return run(...ranges[0]);
  ensureWorkers(ranges.length - 1);
  const kernelIndex = KERNEL_NAMES.indexOf(kernel);
  const slots = ranges.slice(1).map((args, w) => {
    if (args.length > MAX_ARGS) throw new Error(`runParallel: ${kernel} takes at most ${MAX_ARGS} arguments, got ${args.length}`);
    const ints = new Int32Array(control!, w * SLOT_BYTES, SLOT_INTS);
    new Float64Array(control!, w * SLOT_BYTES + ARGS_AT * 8, MAX_ARGS).set(args);
    ints[KERNEL] = kernelIndex;
    ints[ARGC] = args.length;
    const seq = Atomics.add(ints, SEQ, 1) + 1;
    Atomics.notify(ints, SEQ);
    return { ints, seq };
  });
  run(...ranges[0]);
  let failed = false;
  for (const { ints, seq } of slots) {
    for (let v = Atomics.load(ints, DONE); v !== seq; v = Atomics.load(ints, DONE)) Atomics.wait(ints, DONE, v);
    failed ||= ints[FAILED] !== 0;
  }
  if (failed) throw new Error(`attention-layers: the WebAssembly kernel ${kernel} failed in a worker thread`);
}

/** Splits [0, total) into at most `parts` ranges whose boundaries are multiples of `quantum`. */
export function splitRange(total: number, parts: number, quantum: number): [number, number][] {
  const units = Math.ceil(total / quantum);
  const n = Math.max(1, Math.min(parts, units));
  const out: [number, number][] = [];
  for (let p = 0; p < n; p++) {
    const start = Math.min(total, Math.floor((units * p) / n) * quantum), end = Math.min(total, Math.floor((units * (p + 1)) / n) * quantum);
    if (end > start) out.push([start, end]);
  }
  return out;
}
