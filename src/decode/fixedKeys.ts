// Cross-attention's decoding state (an attention layer whose key and value are fixed inputs): nothing that the
// steps change, only what can be computed once from the fixed keys, the scoring net's key-only values (W₁k of
// Bahdanau's wᵀ tanh(W₁k + W₂q)) and whether the keys are finite, kept for the keys tensor they came from.
// Selecting rows gives new fixed keys, so `select` starts empty and the values are recomputed at the next step.
import type { Tensor } from "../tensor/tensor.js";
import type { DecodeState } from "./state.js";

export class FixedKeys implements DecodeState {
  private keys: Tensor | undefined;
  private saved = new Map<string, unknown>();

  /** The value `name` computed by `compute` from `keys`, computed once per keys tensor. */
  get<T>(keys: Tensor, name: string, compute: () => T): T {
    if (this.keys !== keys) {
      this.keys = keys;
      this.saved = new Map();
    }
    if (!this.saved.has(name)) this.saved.set(name, compute());
    return this.saved.get(name) as T;
  }

  clone(): FixedKeys {
    return this; // what it holds depends on the fixed keys alone, which copies share
  }

  mark(): () => void {
    return () => {}; // steps never change what it holds
  }

  select(): FixedKeys {
    return new FixedKeys();
  }
}
