// basicRecurrentLayer (Wolfram BasicRecurrentLayer, PyTorch nn.RNN with tanh): h_t = tanh(W x_t + R h_{t−1} + b),
// W [H, C], R [H, H], b [H]; bidirectional: true stacks a backward one ([forward; backward]). Output modes and
// state ports: ./recurrentLayer.ts.
import type { LstmOptions } from "../tensor/ops/lstm.js";
import { rnnRecurrence } from "../tensor/ops/rnn.js";
import type { Tensor } from "../tensor/tensor.js";
import { RecurrentLayer, type RecurrenceRun, type RecurrentLayerOptions } from "./recurrentLayer.js";

/** Options of basicRecurrentLayer: the common recurrent ones and a backward direction. */
export interface BasicRecurrentLayerOptions extends RecurrentLayerOptions {
  /** true: a forward and a backward recurrence, out [h_fwd; h_bwd] (2·numHiddenUnits channels) */
  bidirectional?: boolean;
}

/** A basic (Elman, tanh) recurrent layer: [B, T, C] → [B, T, H] or the last step [B, H]. */
export class BasicRecurrentLayer extends RecurrentLayer {

  constructor(numHiddenUnits: number, options: BasicRecurrentLayerOptions = {}) {
    super(numHiddenUnits, options, { kind: "basicRecurrentLayer", gates: 1, biasUnits: 1, cell: false, options: ["bidirectional"] });
  }

  protected recur(p: Tensor, r: Tensor, bias: Tensor, { h0, lengths, reverse }: LstmOptions): RecurrenceRun {
    return rnnRecurrence(p, r, bias, { h0, lengths, reverse });
  }

  override config() {
    return { kind: this.kind, args: [this.numHiddenUnits, this.options({ bidirectional: this.directions === 2 || undefined })] };
  }
}

/**
 * Wolfram BasicRecurrentLayer(n) as basicRecurrentLayer(numHiddenUnits, options).
 * @example basicRecurrentLayer(16, { hasStateInputs: true, hasStateOutputs: true })
 */
export function basicRecurrentLayer(numHiddenUnits: number, options?: BasicRecurrentLayerOptions): BasicRecurrentLayer {
  return new BasicRecurrentLayer(numHiddenUnits, options);
}

import { defineLayerKind } from "./layerKind.js";

/** The basicRecurrentLayer kind: config args [numHiddenUnits, options]. */
export const basicRecurrentLayerKind = defineLayerKind({ kind: "basicRecurrentLayer", positional: ["numHiddenUnits"], fromConfig: ([n, o]) => new BasicRecurrentLayer(n, o) });
