// A layer's decoding state (docs/architecture.md "Decoding state"): what a layer keeps between steps of
// incremental decoding. Position-wise layers keep none (undefined). Every state can be copied (`clone`, for
// beam search and several continuations), marked (`mark`: a function that puts back what the state held
// then, so a step that fails half-way through a net leaves every state as it was), and cut to chosen batch
// rows (`select`: row i of the result continues row rows[i]; rows may repeat, as beams of one source do).
import type { NetValue } from "../layers/layer.js";
import { weightWrites } from "../layers/weightWrites.js";
import { Tensor } from "../tensor/tensor.js";

export interface DecodeState {
  clone(): DecodeState;
  /** the undo of everything done to the state after this call (cheap: states only append past their lengths) */
  mark(): () => void;
  /** a new state whose row i is a copy of row rows[i] of this one (beam search reorders its beams so) */
  select(rows: readonly number[]): DecodeState;
}

/** The number of positions each batch row has consumed (a position embedding's running position, a decoder's position). */
export class RowPositions implements DecodeState {
  constructor(readonly rows: number[]) {}
  static zeros(batch: number): RowPositions {
    return new RowPositions(new Array(batch).fill(0));
  }
  clone(): RowPositions {
    return new RowPositions(this.rows.slice());
  }
  mark(): () => void {
    const saved = this.rows.slice();
    return () => saved.forEach((p, b) => (this.rows[b] = p));
  }
  select(rows: readonly number[]): RowPositions {
    return new RowPositions(rows.map((r) => this.rows[r]));
  }
}

/**
 * A net's state: its stepped nodes' states by node name (undefined for position-wise nodes), and its memory:
 * the values that decoding with fixed inputs computed at the start (the fixed graph inputs and every node output
 * that depends on them alone, by sourceKey), read by every step. The memory is a function of the fixed inputs and
 * the weights: the net computes it again (a new map) when a weight was written since `memoryWeights`
 * (weightWrites()). It is never written into, so copies share it.
 */
export class NetState implements DecodeState {
  constructor(readonly nodes: ReadonlyMap<string, DecodeState | undefined>, public memory: ReadonlyMap<string, NetValue> = new Map(), public memoryWeights = weightWrites()) {}
  clone(): NetState {
    return new NetState(new Map([...this.nodes].map(([n, s]) => [n, s?.clone()])), this.memory, this.memoryWeights);
  }
  mark(): () => void {
    const undos = [...this.nodes.values()].flatMap((s) => (s ? [s.mark()] : []));
    return () => undos.forEach((undo) => undo());
  }
  select(rows: readonly number[]): NetState {
    // the memory holds graph values, batch-major by the nets' rule ([B, …], B the fixed inputs' rows, which
    // startDecoding makes the decoder's batch), never one example without its batch axis
    const memory = new Map([...this.memory].map(([k, v]) => [k, { x: selectRows(v.x, rows), lengths: v.lengths && rows.map((r) => v.lengths![r]) }]));
    return new NetState(new Map([...this.nodes].map(([n, s]) => [n, s?.select(rows)])), memory, this.memoryWeights);
  }
}

/** Rows `rows` of t [B, ...] along its first axis: [rows.length, ...] (a copy). */
export function selectRows(t: Tensor, rows: readonly number[]): Tensor {
  const size = t.shape.slice(1).reduce((a, b) => a * b, 1), out = new Float32Array(rows.length * size);
  rows.forEach((r, i) => out.set(t.data.subarray(r * size, (r + 1) * size), i * size));
  return new Tensor(out, [rows.length, ...t.shape.slice(1)]);
}
