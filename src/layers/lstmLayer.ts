// lstmLayer and bilstmLayer (MATLAB): gates in MATLAB's order i (input), f (forget), g (cell candidate), o (output).
//   z_t = W x_t + R h_{t−1} + b   (W [4H, C], R [4H, H], b [4H]; bilstmLayer: [8H, C], [8H, H], [8H], forward then backward)
//   i = σ(z_i), f = σ(z_f), g = tanh(z_g), o = σ(z_o);  c_t = f ∘ c_{t−1} + i ∘ g;  h_t = o ∘ tanh(c_t)
// Output modes, state ports and directions: ./recurrentLayer.ts.
import { lstmRecurrence, type LstmOptions } from "../tensor/ops/lstm.js";
import type { Tensor } from "../tensor/tensor.js";
import { RecurrentLayer, type RecurrenceRun, type RecurrentLayerOptions } from "./recurrentLayer.js";

/** Options of lstmLayer and bilstmLayer: output mode (every step or the last), state ports, input size, name. */
export type LstmLayerOptions = RecurrentLayerOptions;

/** A long short-term memory layer (MATLAB gate order i, f, g, o): [B, T, C] → [B, T, H] or the last step [B, H]. */
export class LstmLayer extends RecurrentLayer {
  constructor(numHiddenUnits: number, options: LstmLayerOptions = {}, bidirectional = false) {
    super(numHiddenUnits, options, { kind: bidirectional ? "bilstmLayer" : "lstmLayer", gates: 4, biasUnits: 4, cell: true, options: [], bidirectional });
  }

  /** MATLAB's "unit-forget-gate" (the default biasInitializer): forget-gate bias 1, the rest 0. */
  protected override initialBias(length: number): Float32Array {
    const H = length / 4;
    return new Float32Array(length).fill(1, H, 2 * H);
  }

  protected recur(p: Tensor, r: Tensor, bias: Tensor, options: LstmOptions): RecurrenceRun {
    return lstmRecurrence(p, r, bias, options);
  }
}

/** MATLAB bilstmLayer: a forward and a backward LSTM over each row's valid steps, out [h_fwd; h_bwd] ([B, T, 2H]). */
export class BilstmLayer extends LstmLayer {
  constructor(numHiddenUnits: number, options: LstmLayerOptions = {}) {
    super(numHiddenUnits, options, true);
  }
}

/**
 * MATLAB lstmLayer(numHiddenUnits, options).
 * @example lstmLayer(100, { outputMode: "last" })
 */
export function lstmLayer(numHiddenUnits: number, options?: LstmLayerOptions): LstmLayer {
  return new LstmLayer(numHiddenUnits, options);
}

/**
 * MATLAB bilstmLayer(numHiddenUnits, options): outputs 2·numHiddenUnits channels, [forward; backward].
 * @example bilstmLayer(50, { outputMode: "last" })
 */
export function bilstmLayer(numHiddenUnits: number, options?: LstmLayerOptions): BilstmLayer {
  return new BilstmLayer(numHiddenUnits, options);
}

import { defineLayerKind } from "./layerKind.js";

/** The lstmLayer kind: config args [numHiddenUnits, options]. */
export const lstmLayerKind = defineLayerKind({ kind: "lstmLayer", positional: ["numHiddenUnits"], fromConfig: ([n, o]) => new LstmLayer(n, o) });
/** The bilstmLayer kind: config args [numHiddenUnits, options]. */
export const bilstmLayerKind = defineLayerKind({ kind: "bilstmLayer", positional: ["numHiddenUnits"], fromConfig: ([n, o]) => new BilstmLayer(n, o) });
