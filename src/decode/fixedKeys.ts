// Cross-attention's decoding state (an attention layer whose key and value are fixed inputs): nothing that the
// steps change, only what can be computed once from the fixed keys, the scoring net's key-only values (W₁k of
// Bahdanau's wᵀ tanh(W₁k + W₂q)), whether the keys are finite, the padding's visibility, kept for the keys tensor
// they came from. Selecting rows gives new fixed keys (those rows of the old ones); the values their maker marked
// byRow (tensors [B, …] whose row b comes from row b of the keys alone) come along as the same rows, the rest is
// computed again at the next step. The shape does not tell: a value of one example has no batch axis, and a value
// with one (the visibility) may also depend on each row's query count, which the next step gives anew. Some of
// these values depend on the weights too (W₁k), so a weight written through the library (setParameter, an
// optimizer step: layers/weightWrites.ts) makes them all be computed again, as the step's other values are from
// the new weights.
import { weightWrites } from "../layers/weightWrites.js";
import { Tensor } from "../tensor/tensor.js";
import { selectRows, type DecodeState } from "./state.js";

/** A kept value, and whether it is [B, …] with row b from row b of the keys alone (so select can take its rows). */
interface Saved { value: unknown; byRow: boolean }

/** What select hands on: the values of the old keys, their batch size, the rows taken, and the weight writes they saw. */
interface Carried { saved: ReadonlyMap<string, Saved>; batch: number; rows: readonly number[]; weights: number }

export class FixedKeys implements DecodeState {
  private keys: Tensor | undefined;
  private saved = new Map<string, Saved>();
  /** weightWrites() when `saved` was started */
  private weights = weightWrites();

  constructor(private carried?: Carried) {}

  /**
   * The value `name` computed by `compute` from `keys` (and the weights), computed once per keys tensor and weights
   * (or taken from the rows select kept). `byRow`: the value is a tensor [B, …] whose row b comes from row b of the
   * keys alone, so that select may hand its rows on.
   */
  get<T>(keys: Tensor, name: string, compute: () => T, byRow = false): T {
    const weights = weightWrites();
    if (this.keys !== keys || this.weights !== weights) {
      this.saved = this.keys === undefined && this.carried?.weights === weights ? carry(this.carried, keys) : new Map();
      this.keys = keys;
      this.weights = weights;
      this.carried = undefined;
    }
    if (!this.saved.has(name)) this.saved.set(name, { value: compute(), byRow });
    return this.saved.get(name)!.value as T;
  }

  clone(): FixedKeys {
    return this; // what it holds depends on the fixed keys alone, which copies share
  }

  mark(): () => void {
    return () => {}; // steps never change what it holds
  }

  select(rows: readonly number[]): FixedKeys {
    if (this.keys) return new FixedKeys({ saved: this.saved, batch: this.keys.shape[0], rows, weights: this.weights });
    return new FixedKeys(this.carried && { ...this.carried, rows: rows.map((r) => this.carried!.rows[r]) });
  }
}

/**
 * The values kept byRow, cut to `rows`, for the new keys (whose row i is old row rows[i]). Not for a new batch of
 * one, whose values have no batch axis (attentionLayer's attendCustom).
 */
function carry({ saved, batch, rows }: Carried, keys: Tensor): Map<string, Saved> {
  const out = new Map<string, Saved>();
  if (rows.length < 2 || keys.shape[0] !== rows.length) return out;
  for (const [name, { value, byRow }] of saved) {
    if (byRow && value instanceof Tensor && value.shape[0] === batch) out.set(name, { value: selectRows(value, rows), byRow });
  }
  return out;
}
