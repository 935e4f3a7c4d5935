// A net's incremental decoding (docs/architecture.md "Decoding state"): the record of its nodes' states, fed the
// new positions of each sequence per call. The invariant: the outputs of next() over any split of a sequence into
// consecutive calls, concatenated, equal net.predict on the whole sequence (within float32 rounding).
import { withResident } from "../kernels/wasm/resident.js";
import { EmbeddingLayer } from "../layers/embeddingLayers.js";
import { isSequenceList } from "../layers/applyInput.js";
import { Pending, type NetValue } from "../layers/layer.js";
import { batchRow, padSequences } from "../layers/sequenceBatch.js";
import type { NetGraph } from "../nets/netGraph.js";
import * as ops from "../tensor/ops/index.js";
import { Random } from "../tensor/random.js";
import { formatShape } from "../tensor/shape.js";
import { asTensor, type Tensor, type TensorLike } from "../tensor/tensor.js";
import { checkInteger, checkOptionNames } from "../util/validate.js";
import { RowPositions, type NetState } from "./state.js";

/** startDecoding's options: the number of sequences decoded together, and the cache room to start with. */
export interface DecodingOptions {
  /** sequences decoded side by side (default 1) */
  batch?: number;
  /** positions the caches hold before they first grow (default 128; they double when full) */
  capacity?: number;
}

/** What next() returns: the output for the new positions (a record by name for a net with several outputs). */
export type DecoderOutput = Tensor | Record<string, Tensor>;

/** The input forms next() takes, by whether the net starts with an embeddingLayer (token ids) or takes vectors. */
type Form = "single" | "batch" | "list";

/** Incremental decoding of a net (net.startDecoding): next(x) for the new positions, position, fork(). */
export class Decoder {
  /** @internal use net.startDecoding */
  constructor(readonly net: NetGraph, private readonly state: NetState, private readonly consumed: RowPositions, private readonly takesIds: boolean) {}

  /** Positions consumed so far: a number for one sequence, one per row for a batch. */
  get position(): number | number[] {
    return this.consumed.rows.length === 1 ? this.consumed.rows[0] : this.consumed.rows.slice();
  }

  /** An independent copy (its caches copied): beam search, several continuations of one prompt. */
  fork(): Decoder {
    return new Decoder(this.net, this.state.clone(), this.consumed.clone(), this.takesIds);
  }

  /**
   * The new positions of each sequence → their outputs. Nets that start with an embeddingLayer take token ids
   * [Tnew] (one sequence), [B, Tnew], or a list of B id arrays of different lengths; other nets take [Tnew, C],
   * [B, Tnew, C], or a list of B sequences [Tᵢ, C]. The result has the same form: [Tnew, O], [B, Tnew, O], or a
   * list of [Tᵢ, O]. A net with a textEncoder also takes a string (one sequence: its codes). A call that fails
   * changes nothing.
   */
  next(x: TensorLike | readonly TensorLike[] | string): DecoderOutput | DecoderOutput[] {
    const where = `${this.net.label}: decoder.next`;
    if (typeof x === "string") {
      if (!this.net.textEncoder) throw new Error(`${where}: a string input needs a net with a textEncoder (net.textEncoder = characterEncoder(...)); or pass token ids`);
      if (!this.takesIds) throw new Error(`${where}: a string input needs a net that starts with an embeddingLayer (it takes token ids); ${this.net.label} does not`);
      x = this.net.textEncoder.encode(x);
    }
    const { value: batch, form } = this.batchOf(x, where);
    // token ids go in as [B, T, 1]: an embeddingLayer reads [B, T] with T = 1 as one position per row
    const value = this.takesIds ? { ...batch, x: ops.reshape(batch.x, [...batch.x.shape, 1]) } : batch;
    const B = this.consumed.rows.length, counts = value.lengths!;
    if (value.x.shape[0] !== B) throw new Error(`${where}: the decoder was started for ${B} sequence${B === 1 ? "" : "s"} but got ${value.x.shape[0]} (input shape ${formatShape(value.x.shape)})`);
    const undo = this.state.mark();
    let outs: Record<string, NetValue>;
    try {
      // the weight matrices stay in the kernels' memory from step to step (src/kernels/wasm/resident.ts)
      const weights = Object.values(this.net.parameters).map((t) => t.data);
      outs = withResident(weights, () => this.net.step({ [this.net.inputNames[0]]: value }, this.state, { training: false, random: new Random(0), pending: new Pending() }));
    } catch (e) {
      undo();
      throw e;
    }
    counts.forEach((n, b) => (this.consumed.rows[b] += n));
    const result = (take: (t: Tensor) => Tensor): DecoderOutput => {
      const names = Object.keys(outs);
      return names.length === 1 ? take(outs[names[0]].x) : Object.fromEntries(names.map((k) => [k, take(outs[k].x)]));
    };
    if (form === "list") return counts.map((_, b) => result((t) => batchRow(t, b, counts)));
    return result((t) => (form === "single" ? batchRow(t, 0) : t));
  }

  /** The input as one padded batch with each row's count of new positions, and the form to give results in. */
  private batchOf(x: TensorLike | readonly TensorLike[], where: string): { value: NetValue; form: Form } {
    const rank = this.takesIds ? 1 : 2; // of one sequence
    const what = this.takesIds ? "token ids [Tnew], [B, Tnew] or a list of id arrays" : "[Tnew, C], [B, Tnew, C] or a list of [Tᵢ, C]";
    const checkRow = (t: Tensor, i?: number) => {
      if (t.rank !== rank || t.shape[0] === 0) throw new Error(`${where}: ${i === undefined ? "input" : `sequence ${i + 1}`} must be ${what} with at least one position, got shape ${formatShape(t.shape)}`);
      return t;
    };
    if (isSequenceList(x)) {
      const { x: padded, lengths } = padSequences(x.map((s, i) => checkRow(asTensor(s, where), i)));
      return { value: { x: padded, lengths }, form: "list" };
    }
    const t = asTensor(x as TensorLike, where);
    if (t.rank === rank) return { value: { x: ops.reshape(checkRow(t), [1, ...t.shape]), lengths: [t.shape[0]] }, form: "single" };
    if (t.rank !== rank + 1 || t.shape[1] === 0) throw new Error(`${where}: input must be ${what} with at least one position, got shape ${formatShape(t.shape)}`);
    return { value: { x: t, lengths: new Array<number>(t.shape[0]).fill(t.shape[1]) }, form: "batch" };
  }
}

/** net.startDecoding: checks the options and the net, then starts every node's state. */
export function startDecoder(net: NetGraph, options: DecodingOptions = {}): Decoder {
  const where = `${net.label}.startDecoding`;
  checkOptionNames(options, ["batch", "capacity"], where);
  const batch = options.batch === undefined ? 1 : checkInteger(options.batch, where, "batch");
  const capacity = options.capacity === undefined ? 128 : checkInteger(options.capacity, where, "capacity");
  if (net.inputNames.length !== 1) throw new Error(`${where}: decodes nets with one input, this one has ${net.inputNames.length} (${net.inputNames.join(", ")})`);
  if (!net.isInitialized) throw new Error(`${where}: the net is not initialized; call initialize() (or train or predict once) first`);
  const state = net.startState(batch, capacity);
  return new Decoder(net, state, RowPositions.zeros(batch), startsWithEmbedding(net));
}

/** True when the net's input feeds an embeddingLayer (its data are token ids). */
export function startsWithEmbedding(net: NetGraph): boolean {
  const port = net.inputNames[0];
  return net.order.some((n) => net.nodes[n] instanceof EmbeddingLayer && net.nodes[n].inputNames.some((p) => {
    const s = net.inputSource(n, p);
    return s.node === undefined && s.port === port;
  }));
}
