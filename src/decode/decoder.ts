// A net's incremental decoding (docs/architecture.md "Decoding state"): the record of its nodes' states, fed the
// new positions of each sequence per call. The invariant: the outputs of next() over any split of a sequence into
// consecutive calls, concatenated, equal net.predict on the whole sequence (within float32 rounding).
// Inputs given to startDecoding (`inputs`) are fixed: whole values for the whole decoding (a seq2seq source),
// run once through every node that depends on them alone (the encoder); next() takes the other, stepped, inputs.
import { withResident } from "../kernels/wasm/resident.js";
import { EmbeddingLayer } from "../layers/embeddingLayers.js";
import { idsWithoutColumn, isSequenceList } from "../layers/applyInput.js";
import { Pending, type NetValue } from "../layers/layer.js";
import { batchRow, padSequences } from "../layers/sequenceBatch.js";
import type { NetGraph } from "../nets/netGraph.js";
import * as ops from "../tensor/ops/index.js";
import { Random } from "../tensor/random.js";
import { formatShape } from "../tensor/shape.js";
import { asTensor, Tensor, type TensorLike } from "../tensor/tensor.js";
import { checkInteger, checkOptionNames } from "../util/validate.js";
import { describe, isRecord } from "../util/validate.js";
import { RowPositions, type NetState } from "./state.js";
import { checkEncoderFits } from "./encoderFits.js";
import { programStep } from "./stepProgram.js";

/** startDecoding's options: the number of sequences decoded together, the cache room to start with, and fixed inputs. */
export interface DecodingOptions {
  /** sequences decoded side by side (default 1, or the number of rows of the fixed inputs) */
  batch?: number;
  /** positions the caches hold before they first grow (default 128; they double when full) */
  capacity?: number;
  /**
   * fixed inputs by port: whole values given once for the whole decoding (a seq2seq net's source), in the forms
   * predict takes (one example, a batch, or a list of rows of different lengths); next() takes the other ports
   */
  inputs?: Readonly<Record<string, TensorLike | readonly TensorLike[]>>;
}

/** What next() returns: the output for the new positions (a record by name for a net with several outputs). */
export type DecoderOutput = Tensor | Record<string, Tensor>;

/** The input forms next() takes: one sequence, a batch, or a list of sequences of different lengths. */
type Form = "single" | "batch" | "list";

/** A port of the net as the decoder reads it: token ids (it feeds an embeddingLayer) or vectors, and the rank of one example. */
interface PortForm {
  name: string;
  ids: boolean;
  /** rank of one example: 1 for ids [T] (or a state [H]), 2 for vectors [T, C] */
  rank: number;
  /** examples are sequences (padded with lengths in a batch) */
  sequence: boolean;
}

/** Incremental decoding of a net (net.startDecoding): next(x) for the new positions, position, fork(), select(rows). */
export class Decoder {
  /** @internal use net.startDecoding */
  constructor(readonly net: NetGraph, private readonly state: NetState, private readonly consumed: RowPositions, private readonly ports: readonly PortForm[]) {}

  /** The stepped input ports (those startDecoding's `inputs` did not fix), in the net's order. */
  get steppedInputs(): string[] {
    return this.ports.map((p) => p.name);
  }

  /** The number of sequences decoded side by side. */
  get batch(): number {
    return this.consumed.rows.length;
  }

  /** Positions consumed so far: a number for one sequence, one per row for a batch. */
  get position(): number | number[] {
    return this.consumed.rows.length === 1 ? this.consumed.rows[0] : this.consumed.rows.slice();
  }

  /** An independent copy (its caches copied; fixed values shared): beam search, several continuations of one prompt. */
  fork(): Decoder {
    return new Decoder(this.net, this.state.clone(), this.consumed.clone(), this.ports);
  }

  /**
   * A new decoder whose row i continues row rows[i] of this one (rows may repeat or be left out): beam search
   * reorders its beams so, and batched generation drops the rows that have finished. This decoder is unchanged.
   */
  select(rows: readonly number[]): Decoder {
    const where = `${this.net.label}: decoder.select`;
    const B = this.batch;
    if (!Array.isArray(rows) || rows.length === 0) throw new Error(`${where}: rows must be a non-empty array of row indices, got ${describe(rows)}`);
    rows.forEach((r, i) => {
      if (!Number.isInteger(r) || r < 0 || r >= B) throw new Error(`${where}: rows[${i}] is ${describe(r)}, but the decoder has rows 0 … ${B - 1}`);
    });
    return new Decoder(this.net, this.state.select(rows), this.consumed.select(rows), this.ports);
  }

  /**
   * The new positions of each sequence → their outputs. Nets that start with an embeddingLayer take token ids
   * [Tnew] (one sequence), [B, Tnew], or a list of B id arrays of different lengths; other nets take [Tnew, C],
   * [B, Tnew, C], or a list of B sequences [Tᵢ, C]. The result has the same form: [Tnew, O], [B, Tnew, O], or a
   * list of [Tᵢ, O]. A net with a textEncoder also takes a string (one sequence: its codes). A net with several
   * stepped inputs takes a record of them by port (each in one of those forms, the same for all, with the same
   * number of new positions per row). A call that fails changes nothing.
   */
  next(x: TensorLike | readonly TensorLike[] | string | Readonly<Record<string, TensorLike | readonly TensorLike[]>>): DecoderOutput | DecoderOutput[] {
    const token = this.oneToken(x);
    if (token) { // generate's call per token: straight to a step program, without the forms' checks and reshapes
      const outs = withResident(this.weightArrays(), () => programStep(this.net, this.state, token.id));
      if (outs) {
        this.consumed.rows[0]++;
        return outputOf(outs, (t) => (token.single ? new Tensor(t.data, t.shape.slice(1)) : t));
      }
    }
    const where = `${this.net.label}: decoder.next`;
    const given = this.portValues(x, where);
    const batches = this.ports.map((p) => ({ port: p, ...asBatch(given[p.name], p, where, this.ports.length > 1 ? `input "${p.name}"` : "input", "Tnew") }));
    const { form } = batches[0], counts = batches[0].value.lengths!;
    const B = this.batch;
    for (const { port, value, form: f } of batches) {
      const which = this.ports.length > 1 ? ` (input "${port.name}")` : "";
      if (value.x.shape[0] !== B) throw new Error(`${where}: the decoder was started for ${B} sequence${B === 1 ? "" : "s"} but got ${value.x.shape[0]}${which} (input shape ${formatShape(port.ids ? value.x.shape.slice(0, -1) : value.x.shape)})`);
      if (f !== form || value.lengths!.some((n, b) => n !== counts[b])) {
        throw new Error(`${where}: the stepped inputs must give the same number of new positions per row in the same form: "${batches[0].port.name}" gives ${counts.join(", ")}, "${port.name}" gives ${value.lengths!.join(", ")}`);
      }
    }
    // the weight matrices stay in the kernels' memory from step to step (src/kernels/wasm/resident.ts)
    let outs = !token && B === 1 && counts[0] === 1 && batches.length === 1 && batches[0].port.ids // (a token the shortcut above tried and the program refused goes layer by layer)
      ? withResident(this.weightArrays(), () => programStep(this.net, this.state, batches[0].value.x.data[0])) // one token: one kernel call (./stepProgram.ts)
      : null;
    if (!outs) {
      const undo = this.state.mark();
      try {
        outs = withResident(this.weightArrays(), () => this.net.step(Object.fromEntries(batches.map((b) => [b.port.name, b.value])), this.state, { training: false, random: new Random(0), pending: new Pending() }));
      } catch (e) {
        undo();
        throw e;
      }
    }
    counts.forEach((n, b) => (this.consumed.rows[b] += n));
    const values = outs; // (not narrowed inside the closures)
    if (form === "list") return counts.map((_, b) => outputOf(values, (t) => batchRow(t, b, counts)));
    return outputOf(values, (t) => (form === "single" ? batchRow(t, 0) : t));
  }

  /**
   * x as one token id for a decoder of one sequence whose one stepped input takes ids: a Tensor of one element, [1]
   * (single: the result is [1, O]) or [1, 1] / [1, 1, 1] (a batch: [1, 1, O]); else undefined (the general path).
   */
  private oneToken(x: unknown): { id: number; single: boolean } | undefined {
    if (!(x instanceof Tensor) || x.size !== 1 || this.consumed.rows.length !== 1 || this.ports.length !== 1 || !this.ports[0].ids) return undefined;
    const [a, b = 1, c = 1] = x.shape;
    if (x.rank < 1 || x.rank > 3 || a !== 1 || b !== 1 || c !== 1) return undefined;
    return { id: x.data[0], single: x.rank === 1 };
  }

  private weights?: { tensors: readonly Tensor[]; arrays: readonly Float32Array[] };
  /** The data of the net's parameters (made again only when its parameter list has changed). */
  private weightArrays(): readonly Float32Array[] {
    const tensors = this.net.parameterList;
    if (this.weights?.tensors !== tensors) this.weights = { tensors, arrays: tensors.map((t) => t.data) };
    return this.weights.arrays;
  }

  /** next()'s argument by stepped port: the value itself for one port (a string through the textEncoder), else a record of them. */
  private portValues(x: unknown, where: string): Record<string, TensorLike | readonly TensorLike[]> {
    if (this.ports.length === 1) {
      const port = this.ports[0];
      if (typeof x !== "string") return { [port.name]: x as TensorLike };
      if (!this.net.textEncoder) throw new Error(`${where}: a string input needs a net with a textEncoder (net.textEncoder = characterEncoder(...)); or pass token ids`);
      if (!port.ids) throw new Error(`${where}: a string input needs a net that starts with an embeddingLayer (it takes token ids); ${this.net.label} does not`);
      return { [port.name]: this.net.textEncoder.encode(x) };
    }
    const names = this.ports.map((p) => p.name);
    const list = names.map((n) => `"${n}"`).join(", ");
    if (!isRecord(x) || x instanceof Tensor) throw new Error(`${where}: the net steps inputs ${list}; pass a record of them by port, got ${describe(x)}`);
    for (const k of Object.keys(x)) if (!names.includes(k)) throw new Error(`${where}: unknown stepped input "${k}" (stepped inputs: ${list})`);
    const missing = names.find((n) => !Object.hasOwn(x, n));
    if (missing) throw new Error(`${where}: missing stepped input "${missing}" (stepped inputs: ${list})`);
    return x as Record<string, TensorLike>;
  }
}

/** The net's outputs as next() returns them: the one output's tensor, or a record by name, each through `take`. */
function outputOf(outs: Record<string, NetValue>, take: (t: Tensor) => Tensor): DecoderOutput {
  const names = Object.keys(outs);
  return names.length === 1 ? take(outs[names[0]].x) : Object.fromEntries(names.map((k) => [k, take(outs[k].x)]));
}

/**
 * One port's value as a padded batch with each row's length (token ids as [B, T, 1]: an embeddingLayer reads
 * [B, T] with T = 1 as one position per row), and the form it came in: one example, a batch, or a list of rows.
 */
function asBatch(x: TensorLike | readonly TensorLike[], port: PortForm, where: string, what: string, T = "T"): { value: NetValue; form: Form } {
  // the forms the port takes, for messages (built only when one is thrown: a decoding step checks every token)
  const shape = () => (port.ids ? `token ids [${T}], [B, ${T}] (or [B, ${T}, 1]) or a list of id arrays (each [Tᵢ] or [Tᵢ, 1])` : port.rank === 2 ? `[${T}, C], [B, ${T}, C] or a list of [Tᵢ, C]` : `rank ${port.rank} (one row), a batch or a list of rows`);
  const checkRow = (t: Tensor, i?: number) => {
    if (t.rank !== port.rank || (port.sequence && t.shape[0] === 0)) throw new Error(`${where}: ${i === undefined ? what : `row ${i + 1} of ${what}`} must be ${shape()}${port.sequence ? " with at least one position" : ""}, got shape ${formatShape(t.shape)}`);
    return t;
  };
  const done = (x: Tensor, lengths: number[], form: Form) => ({ value: { x: port.ids ? ops.reshape(x, [...x.shape, 1]) : x, lengths: port.sequence ? lengths : undefined }, form });
  const ids = (t: Tensor, rank?: number) => (port.ids ? idsWithoutColumn(t, rank) : t); // ids [T] or [T, 1] (applyInput.ts)
  if (isSequenceList(x)) {
    const { x: padded, lengths } = padSequences(x.map((s, i) => checkRow(ids(asTensor(s, where)), i)));
    return done(padded, lengths, "list");
  }
  const t = ids(asTensor(x as TensorLike, where), 2);
  if (t.rank === port.rank) return done(ops.reshape(checkRow(t), [1, ...t.shape]), [t.shape[0]], "single");
  if (t.rank !== port.rank + 1 || (port.sequence && t.shape[1] === 0)) throw new Error(`${where}: ${what} must be ${shape()}${port.sequence ? " with at least one position" : ""}, got shape ${formatShape(t.shape)}`);
  return done(t, new Array<number>(t.shape[0]).fill(t.shape[1]), "batch");
}

/** net.startDecoding: checks the options and the net, runs the fixed inputs through what depends on them alone, then starts every other node's state. */
export function startDecoder(net: NetGraph, options: DecodingOptions = {}): Decoder {
  const where = `${net.label}.startDecoding`;
  checkOptionNames(options, ["batch", "capacity", "inputs"], where);
  const capacity = options.capacity === undefined ? 128 : checkInteger(options.capacity, where, "capacity");
  if (options.inputs !== undefined && (!isRecord(options.inputs) || options.inputs instanceof Tensor)) throw new Error(`${where}: inputs must be a record of fixed inputs by port (${net.inputNames.join(", ")}), got ${describe(options.inputs)}`);
  const given = options.inputs ?? {};
  for (const port of Object.keys(given)) if (!net.inputNames.includes(port)) throw new Error(`${where}: inputs has an unknown port "${port}" (the net's inputs: ${net.inputNames.join(", ")})`);
  const stepped = net.inputNames.filter((p) => !Object.hasOwn(given, p));
  if (stepped.length === 0) throw new Error(`${where}: every input (${net.inputNames.join(", ")}) is fixed by inputs; leave out the one that next() steps (a seq2seq net's decoder input)`);
  if (!net.isInitialized) throw new Error(`${where}: the net is not initialized; call initialize() (or train or predict once) first`);
  if (net.textEncoder) checkEncoderFits(net, net.textEncoder, stepped, where);
  const fixed = Object.fromEntries(Object.entries(given).map(([port, v]) => [port, asBatch(v, portForm(net, port), where, `inputs.${port}`).value]));
  const rows = [...new Set(Object.values(fixed).map((v) => v.x.shape[0]))];
  if (rows.length > 1) throw new Error(`${where}: the fixed inputs have different numbers of rows: ${Object.entries(fixed).map(([p, v]) => `${p} ${v.x.shape[0]}`).join(", ")}`);
  const batch = options.batch === undefined ? rows[0] ?? 1 : checkInteger(options.batch, where, "batch");
  if (rows.length === 1 && batch !== rows[0]) throw new Error(`${where}: batch is ${batch} but the fixed inputs have ${rows[0]} row${rows[0] === 1 ? "" : "s"}; give one row per sequence (decoder.select repeats rows, e.g. for beams of one source)`);
  let state: NetState;
  try {
    state = stepped.length === net.inputNames.length ? net.startState(batch, capacity)
      : net.startFixedState(batch, capacity, fixed, { training: false, random: new Random(0), pending: new Pending() });
  } catch (e) {
    // a multi-input net that steps every input: the node may only need its inputs fixed (a seq2seq encoder)
    if (stepped.length < 2) throw e;
    throw new Error(`${(e as Error).message} (the net steps all of its inputs ${stepped.join(", ")}; fix those that stay the same, such as a seq2seq source, with startDecoding({ inputs: { ${stepped[0]}: … } }))`);
  }
  return new Decoder(net, state, RowPositions.zeros(batch), stepped.map((p) => portForm(net, p)));
}

/** How the decoder reads input `port`: token ids when it feeds an embeddingLayer, else vectors of the rank its consumers say. */
function portForm(net: NetGraph, port: string): PortForm {
  const ids = feedsEmbedding(net, port);
  const rank = ids ? 1 : net.exampleRank(port) ?? 2;
  return { name: port, ids, rank, sequence: ids || rank === 2 };
}

/** True when graph input `port` feeds an embeddingLayer (its data are token ids). */
export function feedsEmbedding(net: NetGraph, port: string): boolean {
  return net.isIdInput(port);
}

/** The embeddingLayers graph input `port` feeds directly, by node name. */
export function embeddingsFedBy(net: NetGraph, port: string): [string, EmbeddingLayer][] {
  return net.order.flatMap((n) => {
    const layer = net.nodes[n];
    const fed = layer instanceof EmbeddingLayer && layer.inputNames.some((p) => {
      const s = net.inputSource(n, p);
      return s.node === undefined && s.port === port;
    });
    return fed ? [[n, layer] as [string, EmbeddingLayer]] : [];
  });
}
