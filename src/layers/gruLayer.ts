// gruLayer (MATLAB): gates in MATLAB's order r (reset), z (update), h̃ (candidate), its three reset-gate modes
// (math in ../tensor/ops/gru.ts):
//   r = σ(W_r x + R_r h + b_r), z = σ(W_z x + R_z h + b_z),  h̃ = tanh(W_h̃ x + b_h̃ + r ∘ (R_h̃ h))  (after-multiplication)
//   h' = (1 − z) ∘ h̃ + z ∘ h;   W [3H, C], R [3H, H], bias [3H] ([6H]: input then recurrent bias, for
//   "recurrent-bias-after-multiplication", PyTorch's and cuDNN's GRU). bidirectional: true stacks a backward GRU
//   as bilstmLayer does ([forward; backward] rows and channels). Output modes and state ports: ./recurrentLayer.ts.
import { GRU_RESET_GATE_MODES, gruRecurrence, type GruResetGateMode } from "../tensor/ops/gru.js";
import type { LstmOptions } from "../tensor/ops/lstm.js";
import type { Tensor } from "../tensor/tensor.js";
import { RecurrentLayer, type RecurrenceRun, type RecurrentLayerOptions } from "./recurrentLayer.js";
import { enumOption } from "./validate.js";

/** Options of gruLayer: the common recurrent ones, MATLAB's ResetGateMode, and a backward direction. */
export interface GruLayerOptions extends RecurrentLayerOptions {
  resetGateMode?: GruResetGateMode;
  /** true: a forward and a backward GRU, out [h_fwd; h_bwd] (2·numHiddenUnits channels), weights stacked [forward; backward] */
  bidirectional?: boolean;
}

/** A gated recurrent unit layer (MATLAB gate order r, z, h̃): [B, T, C] → [B, T, H] or the last step [B, H]. */
export class GruLayer extends RecurrentLayer {
  readonly resetGateMode: GruResetGateMode;

  constructor(numHiddenUnits: number, options: GruLayerOptions = {}) {
    const recurrentBias = options?.resetGateMode === "recurrent-bias-after-multiplication";
    super(numHiddenUnits, options, { kind: "gruLayer", gates: 3, biasUnits: recurrentBias ? 6 : 3, cell: false, options: ["resetGateMode", "bidirectional"] });
    this.resetGateMode = enumOption(options.resetGateMode, GRU_RESET_GATE_MODES, "resetGateMode", this);
  }

  protected recur(p: Tensor, r: Tensor, bias: Tensor, { h0, lengths, reverse }: LstmOptions): RecurrenceRun {
    return gruRecurrence(p, r, bias, { resetGateMode: this.resetGateMode, h0, lengths, reverse });
  }

  override config() {
    return { kind: this.kind, args: [this.numHiddenUnits, this.options({ resetGateMode: this.resetGateMode, bidirectional: this.directions === 2 || undefined })] };
  }
}

/**
 * MATLAB gruLayer(numHiddenUnits, options).
 * @example gruLayer(64, { outputMode: "last", bidirectional: true })
 */
export function gruLayer(numHiddenUnits: number, options?: GruLayerOptions): GruLayer {
  return new GruLayer(numHiddenUnits, options);
}

import { defineLayerKind } from "./layerKind.js";

/** The gruLayer kind: config args [numHiddenUnits, options]. */
export const gruLayerKind = defineLayerKind({ kind: "gruLayer", positional: ["numHiddenUnits"], fromConfig: ([n, o]) => new GruLayer(n, o) });
