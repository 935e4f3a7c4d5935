// Cross-attention's decoding state (an attention layer whose key and value are fixed inputs): nothing that the
// steps change, only what can be computed once from the fixed keys, the scoring net's key-only values (W₁k of
// Bahdanau's wᵀ tanh(W₁k + W₂q)), whether the keys are finite, the padding's visibility, kept for the keys tensor
// they came from. Selecting rows gives new fixed keys (those rows of the old ones); the values kept as batch-major
// tensors [B, …] come along as the same rows, the rest is computed again at the next step.
import { Tensor } from "../tensor/tensor.js";
import { selectRows, type DecodeState } from "./state.js";

/** What select hands on: the values of the old keys, their batch size, and the rows taken. */
interface Carried { saved: ReadonlyMap<string, unknown>; batch: number; rows: readonly number[] }

export class FixedKeys implements DecodeState {
  private keys: Tensor | undefined;
  private saved = new Map<string, unknown>();

  constructor(private carried?: Carried) {}

  /** The value `name` computed by `compute` from `keys`, computed once per keys tensor (or taken from the rows select kept). */
  get<T>(keys: Tensor, name: string, compute: () => T): T {
    if (this.keys !== keys) {
      this.saved = this.keys === undefined && this.carried ? carry(this.carried, keys) : new Map();
      this.keys = keys;
      this.carried = undefined;
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

  select(rows: readonly number[]): FixedKeys {
    if (this.keys) return new FixedKeys({ saved: this.saved, batch: this.keys.shape[0], rows });
    return new FixedKeys(this.carried && { ...this.carried, rows: rows.map((r) => this.carried!.rows[r]) });
  }
}

/**
 * The kept values that are batch-major tensors [B, …], cut to `rows`, for the new keys (whose row i is old row
 * rows[i]). Only from a batch of several rows to several rows: a batch of one keeps its values without the batch
 * axis (attentionLayer's attendCustom), so those are computed again.
 */
function carry({ saved, batch, rows }: Carried, keys: Tensor): Map<string, unknown> {
  const out = new Map<string, unknown>();
  if (batch < 2 || rows.length < 2 || keys.shape[0] !== rows.length) return out;
  for (const [name, v] of saved) if (v instanceof Tensor && v.rank >= 2 && v.shape[0] === batch) out.set(name, selectRows(v, rows));
  return out;
}
