// Threads for the WebAssembly kernels: a pool of workers that each instantiate the same module on the
// same shared WebAssembly.Memory. A kernel call hands each thread its work (thread 0 is the calling
// thread): a fixed range (the additive scores' rows, a step program), or ranges of work items the threads claim
// from a shared counter as they go (the GEMM, attention, the pointwise kernels); it returns when all are done, so
// the API stays synchronous: the caller blocks in Atomics.wait. No element's summation order depends on who computes it: results are
// bit-identical for every thread count.
// The worker loop is sent to workers as source text, claimAll included (via toString): a build that
// instruments source (coverage) would break it.
//
// Where threads run:
//   Node ≥ 20.16: worker_threads (reached through process.getBuiltinModule, so no static node:* import
//     keeps this file from bundling for browsers), started synchronously on first need; Node allows
//     Atomics.wait on its main thread.
//   Browsers: only in a cross-origin isolated page (shared memory) and only when the caller is itself a
//     worker (a page's main thread may not block in Atomics.wait). Workers there start asynchronously, so
//     ready() starts them (and setNumThreads starts more); until they report in, the kernels use fewer.
//   Anywhere else (and in Node without --allow-worker under the permission model): one thread.
// Lowering the count stops the workers beyond it; releaseMemory() stops them all and drops the memory they share,
// and so does lowering it to 1 (a shared WebAssembly.Memory cannot shrink: only dropping it gives it back).
import { warnOnce } from "../../util/warnings.js";
import { dropInstance, isReady, ready as loadKernels, wasmKernels, wasmUsable, type KernelExports } from "./loader.js";

interface NodeWorker { unref(): void; terminate(): unknown }
interface WorkerThreads { Worker: new (code: string, options: { eval: true; workerData: unknown }) => NodeWorker }

// Control block: one 256-byte slot per worker. Int32 view: [seq, done, kernel, argc, failed, items, min grain, threads,
// taken, quantum]; Float64 view from byte 64: up to 24 arguments. After the slots, one Int32: the claim counter.
// `taken` is the last sequence number whose work someone took: the worker when it starts it, or the caller
// when the worker has not started by the time the caller's own share is done (then the caller runs that
// share itself, or, for claimed items, finds none left): a late wake-up (tens to hundreds of µs on a busy or
// virtual machine, as long as a small call's whole share) never holds the caller up.
const SLOT_BYTES = 256, SLOT_INTS = SLOT_BYTES / 4, ARGS_AT = 8, MAX_ARGS = 24, MAX_WORKERS = 256;
const SEQ = 0, DONE = 1, KERNEL = 2, ARGC = 3, FAILED = 4, ITEMS = 5, MIN_GRAIN = 6, THREADS = 7, TAKEN = 8, QUANTUM = 9;

/** How long (ms) the caller polls for a worker that has taken its share to finish before it sleeps in Atomics.wait (which costs a wake-up). */
const DONE_SPIN_MS = 0.2;
/**
 * How long (ms) a worker polls its slot for the next call before it sleeps in Atomics.wait: a call that comes
 * sooner (decoding's many small calls per token, a training step's back-to-back kernels) then finds it awake,
 * not paying a wake-up as long as a small call's whole share (which the caller would take back and run alone).
 * Measured on an idle 2-core machine, 2 threads ÷ 1 thread, medians of interleaved runs (0 ms = sleep at once):
 * decoding (bench decoding's model, batch 1) 0.89× at 0 ms → 1.11× at 0.25 ms (1.06× at 0.1, 1.12–1.15× at 0.5,
 * 1.14× at 2 ms); the GPT training step (bench/training/gpt.mjs, ~235 ms) unchanged up to 0.5 ms (within ±2%),
 * 8% slower at 2 ms (the spinning worker takes the core the caller's single-threaded stretches need).
 * Against main at 0.25 ms (5 interleaved runs): decoding 382.5 → 489.3 tokens/s at 2 threads (0.88× → 1.17×), GPT step
 * 232.3 → 227.1 ms at 2 threads, 312.9 → 306.3 ms at 1.
 * One thread has no workers, so it is untouched.
 */
const WORKER_SPIN_MS = 0.25;
const CLAIMS_AT = SLOT_BYTES * MAX_WORKERS;

// The worker's loop, as source (only a worker ever runs it; bundlers see a string): instantiate the module
// on the shared memory, say so, then run whatever its slot asks, forever: the kernel once with its
// arguments, or (items > 0) on ranges of work items claimed from the shared counter until none are left.
const WORKER_LOOP = `
const claimAll = ${claimAll.toString()};
function serve({ module, memory, control, slot, names }, started) {
  const kernels = new WebAssembly.Instance(module, { env: { memory } }).exports;
  const ints = new Int32Array(control, slot * ${SLOT_BYTES}, ${SLOT_INTS});
  const args = new Float64Array(control, slot * ${SLOT_BYTES} + ${ARGS_AT * 8}, ${MAX_ARGS});
  const claims = new Int32Array(control, ${CLAIMS_AT}, 1);
  started();
  let seen = 0;
  for (;;) {
    for (const until = performance.now() + ${WORKER_SPIN_MS}; Atomics.load(ints, ${SEQ}) === seen && performance.now() < until;);
    Atomics.wait(ints, ${SEQ}, seen);
    seen = Atomics.load(ints, ${SEQ});
    if (Atomics.compareExchange(ints, ${TAKEN}, seen - 1, seen) !== seen - 1) continue; // the caller took it back
    try {
      const kernel = kernels[names[ints[${KERNEL}]]], own = Array.from(args.subarray(0, ints[${ARGC}]));
      const items = ints[${ITEMS}];
      if (items === 0) kernel(...own);
      else claimAll(claims, items, ints[${MIN_GRAIN}], ints[${THREADS}], (first, end) => kernel(...own, first, end), ints[${QUANTUM}]);
      ints[${FAILED}] = 0;
    } catch (e) {
      ints[${FAILED}] = 1;
    }
    Atomics.store(ints, ${DONE}, seen);
    Atomics.notify(ints, ${DONE});
  }
}
`;
/**
 * Node: a script run with eval in a worker thread; its setup arrives as workerData. The worker inherits the
 * process's flags, and under --input-type=module its script is a module without require (it failed to start,
 * leaving the caller waiting): there it reaches worker_threads through import() (which costs the worker
 * a module loader, so require stays the usual way). Until a worker serves, work posted to its slot waits there
 * (its first Atomics.wait returns at once when the sequence number has moved).
 */
const NODE_WORKER_SOURCE = `${WORKER_LOOP}
if (typeof require === "function") serve(require("worker_threads").workerData, () => {});
else import("worker_threads").then(({ workerData }) => serve(workerData, () => {}));`;
/** Browsers: a classic worker script from a blob URL; its setup arrives as the first message. */
const BROWSER_WORKER_SOURCE = `${WORKER_LOOP}\nself.onmessage = (e) => serve(e.data, () => self.postMessage("started"));`;

/** The kernels a worker may be asked to run (by index in this list); all take numbers only. */
const KERNEL_NAMES = [
  "attentionPack", "attentionForward", "attentionBackwardDelta", "attentionBackwardKeyValue", "attentionBackwardQuery",
  "attentionDecodePartial", "attentionDecodeMerge",
  "geluForward", "geluBackward", "layerNormForward", "layerNormBackward", "layerNormParamGrads",
  "crossentropyLogitsForward", "crossentropyLogitsBackward", "adamUpdate", "additiveScoresForward", "additiveScoresBackward",
  "columnSums", "gemmClaimed", "gemmPackA", "gemmPackB", "headsLastToPadded", "paddedToHeadsLast", "stepProgramRun",
] as const;
export type ParallelKernel = (typeof KERNEL_NAMES)[number];

let requested: number | null = null; // setNumThreads' value; null = the machine's cores
let control: SharedArrayBuffer | null = null;
const workers: unknown[] = []; // slot i belongs to workers[i]
let started = 0; // browsers: workers that have instantiated the module and can take work (Node: all of them)

function nodeBuiltin<T>(name: string): T | null {
  const p = (globalThis as { process?: { versions?: { node?: string }; getBuiltinModule?: (id: string) => unknown } }).process;
  if (typeof p?.versions?.node !== "string" || typeof p.getBuiltinModule !== "function") return null;
  return p.getBuiltinModule(name) as T;
}

let cores: number | undefined; // neither the core count nor the pool kind changes in a process: found once
let kind: "node" | "browser" | null | undefined;

function machineCores(): number {
  return (cores ??= countCores());
}

function countCores(): number {
  const os = nodeBuiltin<{ availableParallelism?: () => number; cpus: () => unknown[] }>("node:os");
  if (os) return os.availableParallelism?.() ?? os.cpus().length;
  const nav = (globalThis as { navigator?: { hardwareConcurrency?: number } }).navigator;
  return nav?.hardwareConcurrency ?? 1;
}

/** Which pool can run here: "node", "browser" (a worker of a cross-origin isolated page), or none. */
function poolKind(): "node" | "browser" | null {
  if (kind === undefined) kind = findPoolKind(); // null (no pool) is an answer too
  return kind;
}

function findPoolKind(): "node" | "browser" | null {
  const g = globalThis as { WorkerGlobalScope?: unknown; crossOriginIsolated?: boolean; Worker?: unknown; process?: { permission?: { has(scope: string): boolean } } };
  if (!wasmUsable()) return null;
  if (nodeBuiltin("node:worker_threads") !== null) {
    if (g.process?.permission?.has("worker") === false) return noWorkers("Node's permission model does not allow worker threads (run with --allow-worker)");
    return wasmKernels().variant.endsWith("-shared") ? "node" : null;
  }
  const inIsolatedWorker = g.WorkerGlobalScope !== undefined && g.crossOriginIsolated === true && typeof g.Worker === "function";
  return inIsolatedWorker && wasmKernels().variant.endsWith("-shared") ? "browser" : null;
}

/** Workers cannot start here: says why, once, and leaves the kernels on one thread. */
function noWorkers(reason: string): null {
  warnOnce("workers", `attention-layers: ${reason}; the kernels run on one thread`);
  return null;
}

/**
 * Sets how many threads the kernels split their work over (1 = no workers; at most 257). Results do not
 * depend on it. Where threads are unavailable the kernels use one thread whatever is set (see getNumThreads).
 * A lower count stops the workers beyond it (each holds its own engine instance, ~9 MB); their shared memory
 * (grown to the largest call's need) cannot shrink, so it stays until the count goes down to 1, which releases
 * it (as releaseMemory: the next kernel call starts on a small memory).
 */
export function setNumThreads(n: number): void {
  if (!Number.isInteger(n) || n < 1 || n > MAX_WORKERS + 1) {
    throw new Error(`setNumThreads: n must be an integer from 1 to ${MAX_WORKERS + 1}, got ${typeof n === "string" ? JSON.stringify(n) : String(n)}`);
  }
  requested = n;
  if (n === 1 && workers.length > 0) releaseMemory(); // no pool left to share the memory with: drop it
  else stopWorkers(n - 1);
  if (isReady() && poolKind() === "browser") void startBrowserWorkers(n - 1);
}

/** Stops the workers beyond the first `keep`. */
function stopWorkers(keep: number): void {
  while (workers.length > keep) void (workers.pop() as NodeWorker).terminate();
  started = Math.min(started, workers.length);
}

/**
 * Gives the kernels' memory back: stops the worker threads and drops the WebAssembly instance with its
 * memory (which can only grow, to the largest call's need). The next kernel call instantiates afresh on a
 * small memory and restarts workers as needed (in a browser, `await ready()` again to restart its pool).
 * The library does this by itself once the memory exceeds 256 MiB and the process has been idle for 2 s.
 */
export function releaseMemory(): void {
  if (idleTimer !== null) clearTimeout(idleTimer);
  idleTimer = null;
  stopWorkers(0);
  dropInstance();
}

/** Above this much kernel memory, releaseMemory runs by itself once the process has been idle for IDLE_MS. */
const IDLE_RELEASE_BYTES = 256 * 2 ** 20, IDLE_MS = 2000, LATE_MS = 500;
let idleTimer: ReturnType<typeof setTimeout> | null = null;

/** Called by every kernel call with the memory's size: (re)arms the idle release while the memory is large. */
export function noteMemorySize(bytes: number): void {
  if (bytes <= IDLE_RELEASE_BYTES || typeof setTimeout !== "function") return;
  armIdleRelease();
}

/**
 * Releases after IDLE_MS of quiet: a kernel call re-arms the timer, and so does a timer that fires late (the
 * thread was busy past the deadline, e.g. in the long call that armed it), so the countdown starts over then.
 */
function armIdleRelease(): void {
  if (idleTimer !== null) clearTimeout(idleTimer);
  const due = Date.now() + IDLE_MS;
  idleTimer = setTimeout(() => (Date.now() - due > LATE_MS ? armIdleRelease() : releaseMemory()), IDLE_MS);
  (idleTimer as { unref?: () => void }).unref?.(); // never keeps the process alive
}

/**
 * The number of threads the kernels use: setNumThreads' value (default: the machine's cores); 1 where
 * threads are unavailable; in a browser worker, at most 1 + the workers that have started so far.
 */
export function getNumThreads(): number {
  const want = requested ?? machineCores();
  const pool = poolKind();
  if (pool === "node") return want;
  if (pool === "browser") return Math.min(want, started + 1);
  return 1;
}

/** Resolves once the kernels can run and, in a browser worker with threads, the pool has started. */
export async function ready(): Promise<void> {
  await loadKernels();
  if (poolKind() === "browser") await startBrowserWorkers((requested ?? machineCores()) - 1);
}

/** How many workers the pool has started. */
export function workerCount(): number {
  return workers.length;
}

let dispatches = 0;
/** How many calls so far handed work to workers (for the tests: proof that a given call really split). */
export function parallelDispatches(): number {
  return dispatches;
}

let takenBackCount = 0;
/** How many workers' shares the calling thread has run itself so far, their workers late (for the tests). */
export function takenBackShares(): number {
  return takenBackCount;
}

/**
 * How many workers are asleep in Atomics.wait between calls (for the tests: a worker still polling for the next
 * call is not). Counting wakes them; each finds no new call and goes back to polling, then to sleep.
 */
export function sleepingWorkers(): number {
  let asleep = 0;
  for (let w = 0; w < workers.length; w++) asleep += Atomics.notify(slotOf(w).ints, SEQ);
  return asleep;
}

function controlBlock(): SharedArrayBuffer {
  control ??= new SharedArrayBuffer(CLAIMS_AT + 64);
  return control;
}

/** Slot w's Int32 fields and Float64 arguments (views made once: the control block is never replaced). */
const slotViews: { ints: Int32Array; args: Float64Array }[] = [];
function slotOf(w: number): { ints: Int32Array; args: Float64Array } {
  return (slotViews[w] ??= { ints: new Int32Array(controlBlock(), w * SLOT_BYTES, SLOT_INTS), args: new Float64Array(controlBlock(), w * SLOT_BYTES + ARGS_AT * 8, MAX_ARGS) });
}
let claimCounter: Int32Array | null = null;

/** Node: starts workers up to `count` (synchronously; they pick up work once running). */
function ensureNodeWorkers(count: number): void {
  const wt = nodeBuiltin<WorkerThreads>("node:worker_threads")!;
  const { module, memory } = wasmKernels();
  while (workers.length < count) {
    const slot = workers.length;
    slotOf(slot).ints.fill(0);
    let w: NodeWorker;
    try {
      w = new wt.Worker(NODE_WORKER_SOURCE, { eval: true, workerData: { module, memory, control: controlBlock(), slot, names: KERNEL_NAMES } });
    } catch (e) {
      stopWorkers(0);
      kind = noWorkers(`worker threads cannot start here (${String(e)})`);
      return;
    }
    w.unref(); // an idle pool never keeps the process alive
    workers.push(w);
    started = workers.length;
  }
}

/** Browsers: starts workers up to `count` and resolves when each has instantiated the module. */
async function startBrowserWorkers(count: number): Promise<void> {
  const { module, memory } = wasmKernels();
  const url = URL.createObjectURL(new Blob([BROWSER_WORKER_SOURCE], { type: "text/javascript" }));
  const pending: Promise<void>[] = [];
  while (workers.length < Math.min(count, MAX_WORKERS)) {
    const slot = workers.length;
    slotOf(slot).ints.fill(0);
    const w = new Worker(url);
    workers.push(w);
    pending.push(new Promise((resolve, reject) => {
      w.onmessage = () => { started++; resolve(); };
      w.onerror = (e) => reject(new Error(`attention-layers: a kernel worker failed to start: ${e.message}`));
    }));
    w.postMessage({ module, memory, control: controlBlock(), slot, names: KERNEL_NAMES });
  }
  await Promise.all(pending);
  URL.revokeObjectURL(url);
}

/**
 * Work items handed out on demand: every thread runs kernel(...its arguments, first, end) on ranges of
 * items it claims from a shared counter until [0, items) is done, so a thread that runs slower (or is
 * interrupted) simply takes fewer. Only for kernels whose items are independent (each writes its own
 * outputs and starts from its own zeros), so which thread runs an item changes no bit.
 */
export interface Claims {
  items: number;
  /** the first item: the run covers [first, items) (default 0; a multiple of quantum), e.g. one chunk of a pipelined call (./pipeline.ts) */
  first?: number;
  minGrain: number;
  /** ranges start and end at multiples of this many items (the last ends at `items`); default 1 */
  quantum?: number;
}

/**
 * One thread's share of a claimed run (guided scheduling): it takes 1/(2·threads) of what is left, at least
 * minGrain items, rounded up to a multiple of `quantum` (a SIMD width, a register tile's rows), until nothing
 * is left; ranges shrink toward the end, so the threads finish together.
 * Runs in the workers too (as source), so it uses nothing from this module.
 */
export function claimAll(counter: Int32Array, items: number, minGrain: number, threads: number, run: (first: number, end: number) => void, quantum = 1): void {
  for (;;) {
    const first = Atomics.load(counter, 0); // a multiple of quantum (or items): every range ends on one
    if (first >= items) return;
    const want = first + Math.max(minGrain, Math.ceil((items - first) / (2 * threads)));
    const end = Math.min(items, Math.ceil(want / quantum) * quantum);
    if (Atomics.compareExchange(counter, 0, first, end) === first) run(first, end);
  }
}

/**
 * Wakes the workers that a call on `threads` threads will use, ahead of it: a host calls this before copying
 * its inputs into kernel memory, so a sleeping worker's wake-up (tens to hundreds of µs) overlaps the copy.
 * A woken worker finds no new call and polls its slot (WORKER_SPIN_MS) before it sleeps again.
 */
export function wakeWorkers(threads: number): void {
  if (control === null) return;
  for (let w = 0; w < Math.min(threads - 1, started); w++) Atomics.notify(slotOf(w).ints, SEQ);
}

/**
 * Runs a range kernel over the items [first, items) (first default 0) on `threads` threads that claim ranges as they go (claimAll):
 * kernel(...shared, ...perThread[t], first, end). `perThread` gives each thread its own scratch (default none).
 * For kernels whose items are independent, so results do not depend on who runs which range.
 */
export function runClaimed(kernel: ParallelKernel, threads: number, shared: readonly number[], claims: Claims, perThread?: readonly (readonly number[])[]): void {
  startClaimed(kernel, threads, shared, claims, perThread)();
}

/** runClaimed started (see startParallel): the workers begin claiming now, the returned function joins them. */
export function startClaimed(kernel: ParallelKernel, threads: number, shared: readonly number[], claims: Claims, perThread?: readonly (readonly number[])[]): () => void {
  const n = Math.max(1, Math.min(threads, Math.ceil((claims.items - (claims.first ?? 0)) / Math.max(claims.minGrain, claims.quantum ?? 1, 1))));
  return startParallel(kernel, Array.from({ length: n }, (_, t) => (perThread ? [...shared, ...perThread[t]] : shared)), claims);
}

/**
 * Runs `kernel` once per element of `args` (element 0 on this thread, the others on workers), each with
 * those arguments, or, given `claims`, on claimed ranges after them; returns when all have finished.
 * An element whose worker has not started by the time this thread's share is done runs here instead.
 * One element runs without any worker; none does nothing.
 */
export function runParallel(kernel: ParallelKernel, args: readonly (readonly number[])[], claims?: Claims): void {
  startParallel(kernel, args, claims)();
}

let unfinished = false; // a started call has not been joined yet

/**
 * runParallel in two halves: the workers start on their shares now, and the returned function runs this thread's
 * share (claimed items: whatever is left) and waits for them. In between, this thread may do work that touches
 * none of the call's memory (copy the next operand in, the previous result out), overlapping the workers' share:
 * serial time hidden. The returned function must be called (in a finally), and before any other call starts (one
 * claim counter).
 */
export function startParallel(kernel: ParallelKernel, args: readonly (readonly number[])[], claims?: Claims): () => void {
  if (unfinished) throw new Error("attention-layers: a kernel call started before the previous one was joined");
  const exports: KernelExports = wasmKernels().exports;
  const run = exports[kernel] as (...args: number[]) => void; // every kernel takes numbers (flags as 0/1)
  const first = claims?.first ?? 0;
  if (args.length === 0 || (claims && claims.items <= first)) return () => {}; // no work items (e.g. attention with Tq = 0, Tk = 0 or B = 0)
  if (args.length > 1 && poolKind() === "node") ensureNodeWorkers(args.length - 1);
  if (args.length === 1 || poolKind() === null) { // one share, or workers refused to start: every share here, in turn
    if (claims) return () => run(...args[0], first, claims.items);
    return () => { for (const own of args) run(...own); };
  }
  if (args.length - 1 > started) throw new Error(`runParallel: ${args.length} threads asked, ${started + 1} available`);
  dispatches++;
  const kernelIndex = KERNEL_NAMES.indexOf(kernel);
  const counter = (claimCounter ??= new Int32Array(controlBlock(), CLAIMS_AT, 1));
  if (claims) Atomics.store(counter, 0, first); // claimAll hands out [first, items) from here
  const slots = args.slice(1).map((own, w) => {
    if (own.length > MAX_ARGS) throw new Error(`runParallel: ${kernel} takes at most ${MAX_ARGS} arguments, got ${own.length}`);
    const { ints, args: slotArgs } = slotOf(w);
    slotArgs.set(own);
    ints[KERNEL] = kernelIndex;
    ints[ARGC] = own.length;
    ints[ITEMS] = claims?.items ?? 0;
    ints[MIN_GRAIN] = claims?.minGrain ?? 0;
    ints[QUANTUM] = claims?.quantum ?? 1;
    ints[THREADS] = args.length;
    const seq = Atomics.add(ints, SEQ, 1) + 1;
    Atomics.notify(ints, SEQ);
    return { ints, seq, own };
  });
  unfinished = true;
  return () => finishParallel(kernel, run, args, claims, counter, slots);
}

/** The second half of startParallel: this thread's share, then the workers' (their results, or their shares if they never started). */
function finishParallel(
  kernel: ParallelKernel, run: (...args: number[]) => void, args: readonly (readonly number[])[], claims: Claims | undefined,
  counter: Int32Array, slots: readonly { ints: Int32Array; seq: number; own: readonly number[] }[],
): void {
  unfinished = false;
  let failed = false;
  const takenBack: (readonly number[])[] = [];
  try {
    if (!claims) run(...args[0]);
    else claimAll(counter, claims.items, claims.minGrain, args.length, (first, end) => run(...args[0], first, end), claims.quantum);
  } finally {
    // also when this thread's share threw: a worker still claiming must finish before the next call resets the counter
    for (const { ints, seq, own } of slots) {
      if (Atomics.compareExchange(ints, TAKEN, seq - 1, seq) === seq - 1) { takenBackCount++; takenBack.push(own); continue; } // not started: never will
      for (const until = performance.now() + DONE_SPIN_MS; Atomics.load(ints, DONE) !== seq && performance.now() < until;);
      for (let v = Atomics.load(ints, DONE); v !== seq; v = Atomics.load(ints, DONE)) Atomics.wait(ints, DONE, v);
      failed ||= ints[FAILED] !== 0;
    }
  }
  if (!claims) for (const own of takenBack) run(...own); // claimed items: this thread has claimed them all by now
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
