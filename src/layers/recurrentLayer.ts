// What the recurrent layers (lstmLayer, bilstmLayer, gruLayer, basicRecurrentLayer) share, with MATLAB's semantics:
//   the input part P = x Wᵀ for every step at once (W [D·G·H, C]: D directions of G gates of H units, stacked
//   [forward; backward] as MATLAB's bilstmLayer), then one recurrence op per direction (../tensor/ops: lstm.ts,
//   gru.ts, rnn.ts) over each row's valid steps, the backward direction visiting them from the last to the first.
//   out: outputMode "sequence": [B, T, D·H], each step's [h_fwd; h_bwd], zeros at padded steps;
//        outputMode "last": that output at each row's last valid step, [B, D·H] (MATLAB: Y(:, end)).
//   hasStateInputs: inputs "hidden" (and "cell") [B, D·H], each direction's initial state (zeros otherwise).
//   hasStateOutputs: outputs "hidden" (and "cell") [B, D·H], each direction's state after its last step.
//   Initializers (MATLAB's names and defaults): inputWeightsInitializer "glorot", recurrentWeightsInitializer
//   "orthogonal" (the whole [D·G·H, H] matrix, as MATLAB's sz = [4·H, H]: RᵀR = I), biasInitializer
//   "unit-forget-gate" for LSTMs (forget-gate bias 1, the rest 0), "zeros" for the others.
import * as ops from "../tensor/ops/index.js";
import type { LstmOptions } from "../tensor/ops/lstm.js";
import { Random } from "../tensor/random.js";
import { formatShape } from "../tensor/shape.js";
import { Tensor, type Mirror, type TensorLike } from "../tensor/tensor.js";
import { RecurrentState } from "../decode/recurrentState.js";
import type { DecodeState } from "../decode/state.js";
import type { ApplyInput, ApplyResult } from "./applyInput.js";
import { checkOptionNames } from "../util/validate.js";
import { checkInitializer, initialize, WEIGHT_INITIALIZERS, type Initializer } from "./initializers.js";
import { Layer, type ForwardContext, type JsonValue, type LayerConfig, type NetValue, type Pending, type WeightSpec } from "./layer.js";
import { booleanOption, checkPositiveInteger, enumOption, layerName, sizeOrAuto } from "./validate.js";

/** Options every recurrent layer takes: output mode, state ports, input size, name. */
export interface RecurrentLayerOptions {
  /** "sequence" (default): every step, [B, T, H]; "last": each row's last valid step, [B, H] */
  outputMode?: "sequence" | "last";
  /** inputs "hidden" (and "cell" for LSTMs) [B, H]: the initial state (MATLAB's HasStateInputs) */
  hasStateInputs?: boolean;
  /** outputs "hidden" (and "cell" for LSTMs) [B, H]: the final state (MATLAB's HasStateOutputs) */
  hasStateOutputs?: boolean;
  inputSize?: number | "auto";
  /** W [D·G·H, C]: "glorot" (default), "he", "orthogonal", "narrow-normal", "zeros", "ones" or a function of the shape */
  inputWeightsInitializer?: Initializer;
  /** R [D·G·H, H]: "orthogonal" (default: RᵀR = I), or any inputWeightsInitializer value */
  recurrentWeightsInitializer?: Initializer;
  /** the bias: "unit-forget-gate" (LSTM default), "zeros" (default of the others), "narrow-normal", "ones" or a function */
  biasInitializer?: "unit-forget-gate" | Exclude<Initializer, "glorot" | "he" | "orthogonal">;
  name?: string;
}

/** One direction's run of a recurrence op: every step's h, and the final states. */
export interface RecurrenceRun { h: Tensor; hLast: Tensor; cLast?: Tensor }

/** How a recurrent layer kind differs: its gates, its bias length in units of H, its state ports, its options. */
export interface RecurrentCell {
  /** the layer kind */
  kind: string;
  /** G: the gates of one direction (LSTM 4, GRU 3, basic 1) */
  gates: number;
  /** the bias of one direction, in units of H (G, or 2G with a recurrent bias) */
  biasUnits: number;
  /** true: a cell state besides the hidden one (LSTM) */
  cell: boolean;
  /** the option names the kind takes besides the common ones */
  options: readonly string[];
  /** true: two directions whatever the options (bilstmLayer); else the option `bidirectional` decides, when allowed */
  bidirectional?: boolean;
}

const COMMON_OPTIONS = ["outputMode", "hasStateInputs", "hasStateOutputs", "inputSize", "inputWeightsInitializer", "recurrentWeightsInitializer", "biasInitializer", "name"];

/** The base of the recurrent layers: ports, sizes, weights and the forward over directions; kinds give the cell. */
export abstract class RecurrentLayer extends Layer {
  readonly kind: string;
  readonly outputMode: "sequence" | "last";
  readonly hasStateInputs: boolean;
  readonly hasStateOutputs: boolean;
  /** D: 1, or 2 for a bidirectional layer */
  readonly directions: 1 | 2;
  readonly inputNames: readonly string[];
  readonly outputNames: readonly string[];
  private readonly stateNames: readonly string[];
  readonly inputWeightsInitializer: Initializer;
  readonly recurrentWeightsInitializer: Initializer;
  readonly biasInitializer: NonNullable<RecurrentLayerOptions["biasInitializer"]>;

  constructor(readonly numHiddenUnits: number, options: RecurrentLayerOptions & { bidirectional?: boolean }, readonly cell: RecurrentCell) {
    super();
    this.kind = cell.kind;
    this.name = layerName(options, this.kind);
    checkOptionNames(options, [...COMMON_OPTIONS.slice(0, -1), ...cell.options, "name"], this.label);
    checkPositiveInteger(numHiddenUnits, "numHiddenUnits", this);
    this.outputMode = enumOption(options.outputMode, ["sequence", "last"] as const, "outputMode", this);
    this.hasStateInputs = booleanOption(options.hasStateInputs, false, "hasStateInputs", this);
    this.hasStateOutputs = booleanOption(options.hasStateOutputs, false, "hasStateOutputs", this);
    this.directions = cell.bidirectional || booleanOption(options.bidirectional, false, "bidirectional", this) ? 2 : 1;
    this.stateNames = cell.cell ? ["hidden", "cell"] : ["hidden"];
    this.inputNames = this.hasStateInputs ? ["in", ...this.stateNames] : ["in"];
    this.outputNames = this.hasStateOutputs ? ["out", ...this.stateNames] : ["out"];
    this.declareSizes({ inputSize: sizeOrAuto(options.inputSize, "inputSize", this) });
    this.inputWeightsInitializer = options.inputWeightsInitializer ?? "glorot";
    this.recurrentWeightsInitializer = options.recurrentWeightsInitializer ?? "orthogonal";
    this.biasInitializer = options.biasInitializer ?? (cell.cell ? "unit-forget-gate" : "zeros");
    checkInitializer(this.inputWeightsInitializer, WEIGHT_INITIALIZERS, `${this.label}: inputWeightsInitializer`);
    checkInitializer(this.recurrentWeightsInitializer, WEIGHT_INITIALIZERS, `${this.label}: recurrentWeightsInitializer`);
    checkInitializer(this.biasInitializer, [...(cell.cell ? ["unit-forget-gate"] : []), "zeros", "narrow-normal", "ones"], `${this.label}: biasInitializer`);
  }

  get inputSize(): number | "auto" {
    return this.size(this.sizesIn(), "inputSize");
  }

  /** D·H: the channels of "out" and of each state port. */
  get outputSize(): number {
    return this.directions * this.numHiddenUnits;
  }

  /** One direction's recurrence (../tensor/ops) from P [B, T, G·H], R [G·H, H], its bias, states and row lengths. */
  protected abstract recur(p: Tensor, r: Tensor, bias: Tensor, options: LstmOptions): RecurrenceRun;

  /** The bias of one direction with biasInitializer "unit-forget-gate" (LSTMs only). */
  protected initialBias(length: number): Float32Array {
    return new Float32Array(length);
  }

  protected override weights(): WeightSpec[] {
    const { gates: G, biasUnits } = this.cell, H = this.numHiddenUnits, D = this.directions;
    const init = (name: string, how: Initializer) => (shape: number[], random: Random) =>
      initialize(how, shape, { numIn: shape[1] ?? H, numOut: shape[0] }, random, `${this.label}: ${name}`);
    return [
      { name: "inputWeights", shape: [D * G * H, "inputSize"], initializer: init("inputWeights", this.inputWeightsInitializer) },
      { name: "recurrentWeights", shape: [D * G * H, H], initializer: init("recurrentWeights", this.recurrentWeightsInitializer) },
      {
        name: "bias", shape: [D * biasUnits * H],
        initializer: this.biasInitializer !== "unit-forget-gate" ? init("bias", this.biasInitializer) : (shape) => {
          const b = new Tensor(new Float32Array(shape[0]), shape), one = this.initialBias(biasUnits * H);
          for (let d = 0; d < D; d++) b.data.set(one, d * one.length);
          return b;
        },
      },
    ];
  }

  protected override setSizes(sizes: Record<string, number>, pending: Pending): void {
    if (sizes.inputSize !== undefined) this.fixInputSize(pending, sizes.inputSize);
  }

  override isSequenceInput(port: string): boolean {
    return port === "in";
  }

  override exampleRank(port: string): number {
    return port === "in" ? 2 : 1;
  }

  override inferSizes(inputs: Record<string, number>, pending?: Pending): Record<string, number> {
    return this.staged(pending, (p) => {
      this.fixInputSize(p, inputs.in);
      for (const s of this.hasStateInputs ? this.stateNames : []) {
        if (inputs[s] !== this.outputSize) throw this.error(`input "${s}" has ${inputs[s]} channels but the state has ${this.outputSize} (${this.directions === 2 ? "2 × " : ""}numHiddenUnits)`);
      }
      return Object.fromEntries(this.outputNames.map((n) => [n, this.outputSize]));
    });
  }

  override forward(inputs: Record<string, NetValue>, context: ForwardContext): Record<string, NetValue> {
    if (inputs.in.x.rank === 2) {
      // one sequence [T, C] (with states [D·H]): a batch of one, its outputs without the batch axis
      const batch = Object.fromEntries(Object.entries(inputs).map(([k, v]) => [k, { x: ops.reshape(v.x, [1, ...v.x.shape]) }]));
      const outs = this.forward(batch, context);
      return Object.fromEntries(Object.entries(outs).map(([k, v]) => [k, { x: ops.reshape(v.x, v.x.shape.slice(1)) }]));
    }
    return this.staged(context.pending, (pending) => {
      const { x, lengths } = inputs.in;
      const { h, hidden, cell } = this.run(x, lengths, this.stateInputs(inputs, x.shape[0]), pending);
      const [B, T] = x.shape;
      const out: NetValue = this.outputMode === "sequence" ? { x: h, lengths }
        // each row's last valid step, as rows b·T + L_b − 1 of h seen as [B·T, D·H]
        : { x: ops.gather(ops.reshape(h, [B * T, this.outputSize]), (lengths ?? new Array<number>(B).fill(T)).map((L, b) => b * T + Math.max(L - 1, 0))) };
      return this.withStates(out, hidden, cell);
    });
  }

  /** The "hidden" (and "cell") inputs of a batch of B rows, checked: [B, D·H] each (none without hasStateInputs). */
  private stateInputs(inputs: Record<string, NetValue>, B: number): Record<string, Tensor> {
    const states: Record<string, Tensor> = {}, HD = this.outputSize;
    for (const s of this.hasStateInputs ? this.stateNames : []) {
      const t = inputs[s]?.x;
      if (!t || t.rank !== 2 || t.shape[0] !== B || t.shape[1] !== HD) {
        throw this.error(`input "${s}" must be [B, ${this.directions === 2 ? "2·" : ""}numHiddenUnits] = ${formatShape([B, HD])}, got ${t ? formatShape(t.shape) : "nothing"}`);
      }
      states[s] = t;
    }
    return states;
  }

  /** Every direction's recurrence over x [B, T, C] (row b's first lengths[b] steps) from the given states: h [B, T, D·H] and the final states [B, D·H]. */
  private run(x: Tensor, lengths: readonly number[] | undefined, states: Record<string, Tensor | undefined>, pending: Pending): { h: Tensor; hidden: Tensor; cell?: Tensor } {
    if (x.rank !== 3 || x.shape[2] === 0) throw this.error(`input "in" must be [T, C] or [B, T, C] with C ≥ 1, got shape ${formatShape(x.shape)}`);
    const H = this.numHiddenUnits;
    this.fixInputSize(pending, x.shape[2]);
    this.ensureBuilt(pending);
    const { gates: G, biasUnits } = this.cell;
    const P = ops.linear(x, this.parameter("inputWeights", pending)); // [B, T, D·G·H]: every step's input part in one GEMM
    const R = this.parameter("recurrentWeights", pending), bias = this.parameter("bias", pending);
    const part = (t: Tensor, axis: number, d: number, width: number) => (this.directions === 1 ? t : ops.slice(t, axis, d * width, (d + 1) * width));
    const runs: RecurrenceRun[] = [];
    for (let d = 0; d < this.directions; d++) {
      runs.push(this.recur(part(P, 2, d, G * H), part(R, 0, d, G * H), part(bias, 0, d, biasUnits * H), {
        h0: states.hidden && part(states.hidden, 1, d, H), c0: states.cell && part(states.cell, 1, d, H), lengths, reverse: d === 1,
      }));
    }
    const join = (ts: Tensor[]) => (ts.length === 1 ? ts[0] : ops.concat(ts, -1));
    return { h: join(runs.map((r) => r.h)), hidden: join(runs.map((r) => r.hLast)), cell: this.cell.cell ? join(runs.map((r) => r.cLast!)) : undefined };
  }

  /** The result record: "out", then with hasStateOutputs the states "hidden" (and "cell"). */
  private withStates(out: NetValue, hidden: Tensor, cell: Tensor | undefined): Record<string, NetValue> {
    const result: Record<string, NetValue> = { out };
    if (this.hasStateOutputs) {
      result.hidden = { x: hidden };
      if (cell) result.cell = { x: cell };
    }
    return result;
  }

  /** The constructor's options as JSON: the common ones, the state ports only when set, then the kind's own. */
  protected options(own: Record<string, JsonValue> = {}): Record<string, JsonValue> {
    // initializers only when named and not the default (functions are not saved; the weights are)
    const named = (i: unknown, byDefault: string) => (typeof i === "string" && i !== byDefault ? i : undefined);
    return {
      outputMode: this.outputMode, inputSize: this.inputSize, name: this.name,
      hasStateInputs: this.hasStateInputs || undefined, hasStateOutputs: this.hasStateOutputs || undefined,
      inputWeightsInitializer: named(this.inputWeightsInitializer, "glorot"),
      recurrentWeightsInitializer: named(this.recurrentWeightsInitializer, "orthogonal"),
      biasInitializer: named(this.biasInitializer, this.cell.cell ? "unit-forget-gate" : "zeros"), ...own,
    };
  }

  override config(): LayerConfig {
    return { kind: this.kind, args: [this.numHiddenUnits, this.options()] };
  }

  /** Fixed "hidden"/"cell" inputs are each row's initial state (a seq2seq encoder's final state); "in" steps. */
  override fixedInputsRefusal(fixed: readonly string[]): string | undefined {
    return fixed.includes("in") ? super.fixedInputsRefusal(fixed) : undefined;
  }

  /**
   * Decoding keeps each row's hidden (and cell) state (../decode/recurrentState.ts). Only one direction over the
   * whole sequence can decode: a backward direction starts at each sequence's end, and outputMode "last" has one
   * output per sequence, at its end; neither is known while the sequence is still arriving.
   */
  override startState(batch: number): RecurrentState {
    const why = this.directions === 2 ? "it is bidirectional, and its backward direction starts at each sequence's end, which is not known while decoding"
      : this.outputMode === "last" ? `its outputMode is "last", one output at each sequence's end, which is not known while decoding; decode with outputMode "sequence" and take the last position's output`
      : undefined;
    if (why) throw this.error(`cannot decode step by step: ${why}`);
    return RecurrentState.zeros(batch, this.numHiddenUnits, this.cell.cell);
  }

  /**
   * New positions x [B, Tnew, C] (row b's first lengths[b]): each row's recurrence continues from its state over
   * them; out holds their outputs (zeros at padding), "hidden"/"cell" (hasStateOutputs) the states so far. With
   * hasStateInputs, a row's first step starts from the "hidden"/"cell" inputs of that call (later calls' are unused).
   * The "hidden"/"cell" outputs are copies of the state kept: a decoder hands them to its caller, who may write into them.
   */
  override step(inputs: Record<string, NetValue>, state: DecodeState | undefined, context: ForwardContext): Record<string, NetValue> {
    const s = state as RecurrentState, { x, lengths } = inputs.in, B = x.shape[0];
    const counts = lengths ?? new Array<number>(B).fill(x.shape[1]);
    const given = this.stateInputs(inputs, B);
    // a row starting now takes its given initial state (rows with no new positions keep theirs: a run of length 0)
    const starting = counts.map((n, b) => n > 0 && !s.started[b] && this.hasStateInputs);
    const from = (held: Tensor, input: Tensor | undefined) => (input && starting.includes(true) ? rowsFrom(held, input, starting) : held);
    return this.staged(context.pending, (pending) => {
      const { h, hidden, cell } = this.run(x, counts, { hidden: from(s.hidden, given.hidden), cell: s.cell && from(s.cell, given.cell) }, pending);
      s.hidden = hidden;
      s.cell = cell;
      counts.forEach((n, b) => (s.started[b] ||= n > 0));
      const copy = (t: Tensor) => new Tensor(t.data.slice(), t.shape);
      return this.withStates({ x: h, lengths }, copy(hidden), cell && copy(cell));
    });
  }

  /** Applies the layer to sequences ([T, C], [B, T, C] or a list of [Tᵢ, C]), or to a record { in, hidden, … } or a list of them. */
  override apply<T extends TensorLike>(input: T, options?: { training?: boolean; seed?: number }): Mirror<T>;
  override apply(input: ApplyInput, options?: { training?: boolean; seed?: number }): ApplyResult;
  override apply(input: ApplyInput, options?: { training?: boolean; seed?: number }): ApplyResult {
    return super.apply(input, options);
  }
}

/** held [B, H] with the rows where `take` is true replaced by those of `given` [B, H]. */
function rowsFrom(held: Tensor, given: Tensor, take: readonly boolean[]): Tensor {
  const H = held.shape[1], data = held.data.slice();
  take.forEach((t, b) => t && data.set(given.data.subarray(b * H, (b + 1) * H), b * H));
  return new Tensor(data, held.shape);
}
