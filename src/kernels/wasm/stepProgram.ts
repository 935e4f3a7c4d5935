// Host side of assembly/stepProgram.ts: a decoding step written once as a list of operations on buffers, then run
// per step as one kernel call on every thread. A builder (StepProgram) takes the operations with their operands:
//   a Local: a buffer of this program (activations, an attention problem's fields and scratch), laid out per run
//     from the start of the call's memory, so its byte offset is the run's base plus a fixed offset;
//   an External: a value read per run (a resident weight's offset, a cache's offset, a position, a token id),
//     so that what moves between steps is written into the program as it runs, never baked in;
//   a plain number.
// A run lays out [image | buffers | each thread's scratch (its private buffers first)], writes the image (the
// operation words, zeroed counters, and the words of every Local given as words), and runs stepProgramRun on the
// threads.
import { wasmKernels } from "./loader.js";
import { layout } from "./memory.js";
import { getNumThreads, runParallel } from "./threads.js";

/** Operation codes of assembly/stepProgram.ts. */
export const STEP_OPS = { row: 1, add: 2, layerNorm: 3, linear: 4, gelu: 5, relu: 6, attend: 7 } as const;
export type StepOp = keyof typeof STEP_OPS;

const HEADER_WORDS = 16, OP_WORDS = 16, COUNTER_WORDS = 16; // a cache line each

/**
 * A buffer of the program: `bytes` at `offset` in its region: the image's words, the buffers after the image, or
 * each thread's private buffers (at the start of its scratch: an operation run by every thread for itself writes
 * them, and the items that thread runs read them).
 */
export interface Local { readonly kind: "local"; readonly region: "words" | "buffers" | "private"; readonly offset: number; readonly bytes: number }
/**
 * A value read when a run needs it (undefined: the run cannot go ahead): at every run when perStep (a position, a
 * cache's offset), else when the program's image is made (a resident weight's offset: see run's key).
 */
export interface External { readonly kind: "external"; readonly read: () => number | undefined; readonly perStep?: boolean }
export type Operand = number | Local | External;

/** A float's bits as an i32 word (the layer norm's ε, an attention's scale). */
export function floatWord(x: number): number {
  return new Int32Array(new Float32Array([x]).buffer)[0];
}

/** What a run leaves readable: a Local's floats or words (views into kernel memory, valid until the next kernel call). */
export interface StepRun { floats(local: Local, count: number): Float32Array; words(local: Local, count: number): Int32Array }

/** An operation as given to StepProgram.op, with where its threads start waiting and the program's first unjoined operation before it. */
interface Operation { code: StepOp; items: Operand; everyThread: boolean; waitFrom: number; args: Operand[]; reads: readonly Local[]; writes: readonly Local[]; unjoinedBefore: number }

export class StepProgram {
  private readonly ops: Operation[] = [];
  private readonly wordLocals: { local: Local; words: Operand[] }[] = [];
  private bufferBytes = 0;
  private privateBytes = 0;
  private wordBytes = 0;
  /** the index of the first operation whose items nobody has waited for yet */
  private unjoined = 0;

  /** A buffer of `floats` floats (its contents undefined at the start of a run). */
  buffer(floats: number): Local {
    const bytes = Math.ceil((Math.max(1, floats) * 4) / 64) * 64;
    const local = { kind: "local" as const, region: "buffers" as const, offset: this.bufferBytes, bytes };
    this.bufferBytes += bytes;
    return local;
  }

  /** A buffer of `floats` floats of each thread's own (see Local). */
  privateBuffer(floats: number): Local {
    const bytes = Math.ceil((Math.max(1, floats) * 4) / 64) * 64;
    const local = { kind: "local" as const, region: "private" as const, offset: this.privateBytes, bytes };
    this.privateBytes += bytes;
    return local;
  }

  /** A block of i32 words written at the start of each run (an attention problem's fields, an index). */
  words(words: Operand[]): Local {
    const local = { kind: "local" as const, region: "words" as const, offset: this.wordBytes, bytes: words.length * 4 };
    this.wordBytes += Math.ceil(local.bytes / 64) * 64;
    this.wordLocals.push({ local, words });
    return local;
  }

  /**
   * An operation of `items` work items on `args`, reading `reads` and writing `writes`. When it touches what an
   * operation not yet waited for writes (or writes what one reads), every thread first waits until all of those
   * have finished their items; otherwise the threads go on to it at once (a layer's three projections).
   */
  op(code: StepOp, items: Operand, args: Operand[], reads: readonly Local[], writes: readonly Local[]): void {
    this.push({ code, items, args, reads, writes, everyThread: false });
  }

  /**
   * An operation every thread runs for itself (one item each, no claims), writing only private buffers: its readers
   * in that thread come after it, so no thread waits for it. It waits, as any, for what it reads.
   */
  opOnEveryThread(code: StepOp, args: Operand[], reads: readonly Local[], writes: readonly Local[]): void {
    if (writes.some((w) => w.region !== "private")) throw new Error("StepProgram: an operation on every thread writes private buffers only");
    this.push({ code, items: 1, args, reads, writes, everyThread: true });
  }

  private push(o: Omit<Operation, "waitFrom" | "unjoinedBefore">): void {
    const shared = (list: readonly Local[]) => list.filter((l) => l.region !== "private");
    const reads = shared(o.reads), writes = shared(o.writes);
    const hazard = this.ops.slice(this.unjoined).some((p) => p.writes.some((w) => reads.includes(w) || writes.includes(w)) || p.reads.some((r) => writes.includes(r)));
    this.ops.push({ ...o, reads, writes, waitFrom: hazard ? this.unjoined : this.ops.length, unjoinedBefore: this.unjoined });
    if (hazard) this.unjoined = this.ops.length - 1; // those are joined from here on; this one is pending
  }

  /** The last operation given, taken back (to be given again changed: an elementwise layer fused into it). */
  takeLast(): Operation {
    const last = this.ops.pop()!;
    this.unjoined = last.unjoinedBefore;
    return last;
  }

  get operationCount(): number {
    return this.ops.length;
  }

  /**
   * Runs the program on the threads; null (nothing run) when an External has no value. The image is made again
   * only when `key` (what the Externals that are not perStep depend on: the resident weights' epoch, the thread
   * count) or the layout's base changed; otherwise only the perStep Externals are read again.
   */
  run(scratchBytes: number, key: string): StepRun | null {
    const threads = getNumThreads();
    const imageWords = HEADER_WORDS + this.ops.length * (OP_WORDS + COUNTER_WORDS) + this.wordBytes / 4;
    const imageBytes = Math.ceil((imageWords * 4) / 64) * 64, scratch = this.privateBytes + Math.ceil(scratchBytes / 64) * 64;
    const mem = layout([(imageBytes + this.bufferBytes + threads * scratch) / 4]);
    const base = mem.offsets[0], buffersAt = base + imageBytes, countersAt = base + (HEADER_WORDS + this.ops.length * OP_WORDS) * 4;
    const address = (l: Local) => (l.region === "private" ? -1 - l.offset : (l.region === "words" ? countersAt + this.ops.length * COUNTER_WORDS * 4 : buffersAt) + l.offset);
    if (!this.image || this.image.key !== key || this.image.base !== base) {
      this.image = null;
      this.image = this.makeImage(imageWords, address, key, base);
      if (!this.image) return null;
    } else {
      const { words, perStep } = this.image;
      for (let i = 0; i < perStep.length; i++) {
        const v = perStep[i].read.read();
        if (v === undefined) return null;
        words[perStep[i].at] = v;
      }
    }
    const buffer = mem.f32(0, 0).buffer;
    new Int32Array(buffer, base, imageWords).set(this.image.words); // with the counters at zero
    const scratchAt = buffersAt + this.bufferBytes;
    runParallel("stepProgramRun", Array.from({ length: threads }, (_, t) => [base, countersAt, scratchAt + t * scratch]));
    return { floats: (local, count) => new Float32Array(buffer, address(local), count), words: (local, count) => new Int32Array(buffer, address(local), count) };
  }

  private image: { key: string; base: number; words: Int32Array; perStep: { at: number; read: External }[] } | null = null;

  /** The program's words at `base` (operations, zeroed counters, the Locals given as words); null when an External has no value. */
  private makeImage(imageWords: number, address: (l: Local) => number, key: string, base: number) {
    const words = new Int32Array(imageWords), perStep: { at: number; read: External }[] = [];
    const put = (at: number, x: Operand): boolean => {
      const v = typeof x === "number" ? x : x.kind === "local" ? address(x) : x.read();
      if (v === undefined) return false;
      words[at] = v;
      if (typeof x !== "number" && x.kind === "external" && x.perStep) perStep.push({ at, read: x });
      return true;
    };
    words[0] = this.ops.length;
    words[1] = this.privateBytes;
    for (let i = 0; i < this.ops.length; i++) {
      const o = this.ops[i], at = HEADER_WORDS + i * OP_WORDS;
      words[at] = STEP_OPS[o.code]; words[at + 2] = o.waitFrom;
      if (!(o.everyThread ? put(at + 1, -1) : put(at + 1, o.items)) || !o.args.every((x, a) => put(at + 3 + a, x))) return null;
    }
    for (const { local, words: given } of this.wordLocals) {
      const at = (address(local) - base) / 4;
      if (!given.every((x, w) => put(at + w, x))) return null;
    }
    return { key, base, words, perStep };
  }
}

/** Bytes of scratch per thread for attention of padded head sizes up to D4, Dv4 (and the matrix product's area). */
export function stepScratchBytes(D4: number, Dv4: number): number {
  return (wasmKernels().exports.stepProgramScratchBytes as (d: number, dv: number) => number)(D4, Dv4);
}
