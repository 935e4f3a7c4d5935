// What the recurrent layers (lstmLayer, bilstmLayer, gruLayer, basicRecurrentLayer) share, with MATLAB's semantics:
//   the input part P = x Wᵀ for every step at once (W [D·G·H, C]: D directions of G gates of H units, stacked
//   [forward; backward] as MATLAB's bilstmLayer), then one recurrence op per direction (../tensor/ops: lstm.ts,
//   gru.ts, rnn.ts) over each row's valid steps, the backward direction visiting them from the last to the first.
//   out: outputMode "sequence": [B, T, D·H], each step's [h_fwd; h_bwd], zeros at padded steps;
//        outputMode "last": that output at each row's last valid step, [B, D·H] (MATLAB: Y(:, end)).
//   hasStateInputs: inputs "hidden" (and "cell") [B, D·H], each direction's initial state (zeros otherwise).
//   hasStateOutputs: outputs "hidden" (and "cell") [B, D·H], each direction's state after its last step.
import * as ops from "../tensor/ops/index.js";
import type { LstmOptions } from "../tensor/ops/lstm.js";
import { Random } from "../tensor/random.js";
import { formatShape } from "../tensor/shape.js";
import { Tensor, type Mirror, type TensorLike } from "../tensor/tensor.js";
import type { ApplyInput, ApplyResult } from "./applyInput.js";
import { checkOptionNames } from "../util/validate.js";
import { initialize } from "./initializers.js";
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

const COMMON_OPTIONS = ["outputMode", "hasStateInputs", "hasStateOutputs", "inputSize", "name"];

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

  /** The bias of one direction before training (zeros unless a kind says otherwise). */
  protected initialBias(length: number): Float32Array {
    return new Float32Array(length);
  }

  protected override weights(): WeightSpec[] {
    const { gates: G, biasUnits } = this.cell, H = this.numHiddenUnits, D = this.directions;
    const glorot = (name: string) => (shape: number[], random: Random) => initialize("glorot", shape, { numIn: shape[1], numOut: shape[0] }, random, `${this.label}: ${name}`);
    return [
      { name: "inputWeights", shape: [D * G * H, "inputSize"], initializer: glorot("inputWeights") },
      { name: "recurrentWeights", shape: [D * G * H, H], initializer: glorot("recurrentWeights") },
      {
        name: "bias", shape: [D * biasUnits * H],
        initializer: (shape) => {
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
      if (x.rank !== 3 || x.shape[2] === 0) throw this.error(`input "in" must be [T, C] or [B, T, C] with C ≥ 1, got shape ${formatShape(x.shape)}`);
      const [B, T] = x.shape, H = this.numHiddenUnits, HD = this.outputSize;
      this.fixInputSize(pending, x.shape[2]);
      const states: Record<string, Tensor> = {};
      for (const s of this.hasStateInputs ? this.stateNames : []) {
        const t = inputs[s]?.x;
        if (!t || t.rank !== 2 || t.shape[0] !== B || t.shape[1] !== HD) {
          throw this.error(`input "${s}" must be [B, ${this.directions === 2 ? "2·" : ""}numHiddenUnits] = ${formatShape([B, HD])}, got ${t ? formatShape(t.shape) : "nothing"}`);
        }
        states[s] = t;
      }
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
      const h = join(runs.map((r) => r.h)); // [B, T, D·H]
      const out: NetValue = this.outputMode === "sequence" ? { x: h, lengths }
        // each row's last valid step, as rows b·T + L_b − 1 of h seen as [B·T, D·H]
        : { x: ops.gather(ops.reshape(h, [B * T, HD]), (lengths ?? new Array<number>(B).fill(T)).map((L, b) => b * T + Math.max(L - 1, 0))) };
      const result: Record<string, NetValue> = { out };
      if (this.hasStateOutputs) {
        result.hidden = { x: join(runs.map((r) => r.hLast)) };
        if (this.cell.cell) result.cell = { x: join(runs.map((r) => r.cLast!)) };
      }
      return result;
    });
  }

  /** The constructor's options as JSON: the common ones, the state ports only when set, then the kind's own. */
  protected options(own: Record<string, JsonValue> = {}): Record<string, JsonValue> {
    return {
      outputMode: this.outputMode, inputSize: this.inputSize, name: this.name,
      hasStateInputs: this.hasStateInputs || undefined, hasStateOutputs: this.hasStateOutputs || undefined, ...own,
    };
  }

  override config(): LayerConfig {
    return { kind: this.kind, args: [this.numHiddenUnits, this.options()] };
  }

  /** Refuses for now (issue 17's step API): its hidden (and cell) state are not yet kept between decoding steps. */
  override startState(): never {
    throw this.error(`cannot decode step by step yet: its ${this.stateNames.join(" and ")} state are not kept between steps (run net.predict on the whole sequence)`);
  }

  /** Applies the layer to sequences ([T, C], [B, T, C] or a list of [Tᵢ, C]), or to a record { in, hidden, … } or a list of them. */
  override apply<T extends TensorLike>(input: T, options?: { training?: boolean; seed?: number }): Mirror<T>;
  override apply(input: ApplyInput, options?: { training?: boolean; seed?: number }): ApplyResult;
  override apply(input: ApplyInput, options?: { training?: boolean; seed?: number }): ApplyResult {
    return super.apply(input, options);
  }
}
