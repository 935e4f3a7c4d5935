// Float32Arrays reused from one training step to the next. A step (forward, backward, update) allocates the
// same intermediate tensors, gradients and kernel outputs every time (~135 MB for the bench's 2-block GPT at
// batch 16); making them new each step costs the allocation, its zero fill and the collector's time.
//
// trainNet runs each step inside withStepPool(step). There, allocFloats hands out views of pooled buffers and
// records them; when the step returns (or throws), every buffer it was handed goes back to the pool for the
// next step. Outside a step, allocFloats is `new Float32Array(n)`: inference, valueAndGrad and everything a
// user calls directly never touch the pool.
//
// What callers must keep to:
// - allocFloats gives values left by an earlier step (allocZeros gives zeros): a producer writes every element.
// - Nothing allocated inside a step may outlive it. trainNet's steps hand users numbers only (the loss, the
//   progress), parameters and optimizer state are made with `new Float32Array`, and no layer caches a tensor
//   it computed; a new cache of step results must copy them with `new Float32Array`.
//
// Capacities come in classes of four per octave ((4, 5, 6 or 7) · 2ˢ floats, at most 25 % over a request of
// 16 or more), and a request takes a free buffer of its own class or of the next four (best fit by class, at
// most 2.5 times the request), so tensors whose sizes change between steps (batches padded to another length)
// still reuse memory.
// The pool keeps its free buffers between steps and between trainNet calls (what one step has in use, more when
// sizes vary by more than an octave between steps: each size range keeps its own), and lets them go after 2 s without a step (as the kernels' memory, ../kernels/wasm/threads.ts), or at
// releaseStepPool(). trainNet runs synchronously, so the timer never fires between its steps.

/** Requests larger than this many floats (1 GiB) are never pooled. */
const MAX_POOLED = 2 ** 28;
/** A request takes a free buffer at most this many classes (one octave) above its own. */
const FIT_CLASSES = 4;
/** The free buffers go after this long without a step. */
const IDLE_MS = 2000;

/** Free buffers by capacity class. */
const free: ArrayBuffer[][] = [];
/** The buffers handed out by each open step, innermost last. */
const steps: ArrayBuffer[][] = [];
let idleTimer: ReturnType<typeof setTimeout> | null = null;
let enabled = true;
let poison = false;
const counts = { allocatedBytes: 0, reusedBytes: 0 };

/** Capacity in floats of class c: (4 + c mod 4) · 2^⌊c / 4⌋. */
const capacityOf = (c: number): number => (4 + (c & 3)) * 2 ** (c >> 2);

/** The smallest class whose capacity holds n ≥ 1 floats. */
function classOf(n: number): number {
  if (n <= 4) return 0;
  const s = 29 - Math.clz32(n - 1); // 2^(s+2) ≤ n − 1 < 2^(s+3), so n ∈ (4·2ˢ, 8·2ˢ]
  const m = Math.ceil(n / 2 ** s); // 5 … 8
  return m === 8 ? 4 * (s + 1) : 4 * s + (m - 4);
}

/** n floats: from the pool inside a step (values left by an earlier step), else a new zeroed array. */
export function allocFloats(n: number): Float32Array {
  const step = steps[steps.length - 1];
  if (step === undefined || !enabled || n === 0 || n > MAX_POOLED) return new Float32Array(n);
  const c = classOf(n);
  let buffer: ArrayBuffer | undefined;
  for (let k = c; k <= c + FIT_CLASSES && buffer === undefined; k++) buffer = free[k]?.pop();
  if (buffer === undefined) {
    buffer = new ArrayBuffer(capacityOf(c) * 4);
    counts.allocatedBytes += buffer.byteLength;
  } else counts.reusedBytes += buffer.byteLength;
  step.push(buffer);
  return new Float32Array(buffer, 0, n);
}

/** n zeros: allocFloats filled with 0 (for producers that accumulate into their output). */
export function allocZeros(n: number): Float32Array {
  const a = allocFloats(n);
  return stepPoolOpen() ? a.fill(0) : a;
}

/** A copy of `src` in an array from allocFloats (the pool's `slice()`). */
export function copyFloats(src: Float32Array): Float32Array {
  const a = allocFloats(src.length);
  a.set(src);
  return a;
}

/**
 * Runs one training step: arrays from allocFloats during `step` come from the pool and all go back to it when
 * `step` returns or throws. Steps nest (a step run inside another gives back only its own arrays).
 */
export function withStepPool<T>(step: () => T): T {
  const handedOut: ArrayBuffer[] = [];
  steps.push(handedOut);
  try {
    return step();
  } finally {
    steps.pop();
    for (const buffer of handedOut) {
      if (poison) new Float32Array(buffer).fill(NaN);
      (free[classOf(buffer.byteLength / 4)] ??= []).push(buffer);
    }
    if (steps.length === 0 && handedOut.length > 0) armIdleRelease();
  }
}

/** (Re)starts the countdown to releaseStepPool after the last step. */
function armIdleRelease(): void {
  if (typeof setTimeout !== "function") return;
  if (idleTimer !== null) clearTimeout(idleTimer);
  idleTimer = setTimeout(releaseStepPool, IDLE_MS);
  (idleTimer as { unref?: () => void }).unref?.(); // never keeps the process alive
}

/** Drops the pool's free buffers (the memory of one training step), for the collector to take. */
export function releaseStepPool(): void {
  free.length = 0;
  if (idleTimer !== null) clearTimeout(idleTimer);
  idleTimer = null;
}

/** True inside withStepPool (allocFloats then hands out pooled arrays). */
export const stepPoolOpen = (): boolean => steps.length > 0 && enabled;

/**
 * For tests and measurements: `enabled` false makes allocFloats always allocate (every step as without the
 * pool); `poison` fills every buffer with NaN as it goes back, so a value read after its step, or a value a
 * producer failed to write, shows as NaN. Returns the bytes allocated and reused since the last call.
 */
export function stepPoolSettings(settings: { enabled?: boolean; poison?: boolean } = {}): { allocatedBytes: number; reusedBytes: number } {
  enabled = settings.enabled ?? enabled;
  poison = settings.poison ?? poison;
  const out = { ...counts };
  counts.allocatedBytes = 0;
  counts.reusedBytes = 0;
  return out;
}
