// A layer's decoding state (docs/architecture.md "Decoding state"): what a layer keeps between steps of
// incremental decoding. Position-wise layers keep none (undefined). Every state can be copied (`clone`, for
// beam search and several continuations) and marked (`mark`: a function that puts back what the state held
// then, so a step that fails half-way through a net leaves every state as it was).
export interface DecodeState {
  clone(): DecodeState;
  /** the undo of everything done to the state after this call (cheap: states only append past their lengths) */
  mark(): () => void;
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
}

/** A net's state: its nodes' states by node name (undefined for position-wise nodes). */
export class NetState implements DecodeState {
  constructor(readonly nodes: ReadonlyMap<string, DecodeState | undefined>) {}
  clone(): NetState {
    return new NetState(new Map([...this.nodes].map(([n, s]) => [n, s?.clone()])));
  }
  mark(): () => void {
    const undos = [...this.nodes.values()].flatMap((s) => (s ? [s.mark()] : []));
    return () => undos.forEach((undo) => undo());
  }
}
