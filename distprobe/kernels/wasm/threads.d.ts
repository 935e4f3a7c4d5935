/** The kernels a worker may be asked to run (by index in this list); all take numbers only. */
declare const KERNEL_NAMES: readonly ["gemm", "attentionPack", "attentionForward", "attentionBackwardDelta", "attentionBackwardKeyValue", "attentionBackwardQuery"];
export type ParallelKernel = (typeof KERNEL_NAMES)[number];
/**
 * Sets how many threads the kernels split their work over (1 = no workers). Results do not depend on it.
 * Where threads are unavailable the kernels use one thread whatever is set (see getNumThreads).
 */
export declare function setNumThreads(n: number): void;
/**
 * The number of threads the kernels use: setNumThreads' value (default: the machine's cores); 1 where
 * threads are unavailable; in a browser worker, at most 1 + the workers that have started so far.
 */
export declare function getNumThreads(): number;
/** Resolves once the kernels can run and, in a browser worker with threads, the pool has started. */
export declare function ready(): Promise<void>;
/** How many workers the pool has started (for the tests: proof that work really left this thread). */
export declare function workerCount(): number;
/**
 * Work items handed out on demand: every thread runs kernel(...its arguments, first, end) on ranges of
 * items it claims from a shared counter until [0, items) is done, so a thread that runs slower (or is
 * interrupted) simply takes fewer. Only for kernels whose items are independent (each writes its own
 * outputs and starts from its own zeros), so which thread runs an item changes no bit.
 */
export interface Claims {
    items: number;
    minGrain: number;
}
/**
 * Runs `kernel` once per element of `args` (element 0 on this thread, the others on workers), each with
 * those arguments, or, given `claims`, on claimed ranges after them; returns when all have finished.
 * One element runs without any worker; none does nothing.
 */
export declare function runParallel(kernel: ParallelKernel, args: readonly (readonly number[])[], claims?: Claims): void;
/** Splits [0, total) into at most `parts` ranges whose boundaries are multiples of `quantum`. */
export declare function splitRange(total: number, parts: number, quantum: number): [number, number][];
export {};
