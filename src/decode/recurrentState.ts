// A recurrent layer's decoding state (docs/architecture.md "Decoding state"): each row's hidden state h [B, H]
// (and an LSTM's cell state c [B, H]) after the positions it has consumed, and whether it has consumed any (a
// row's first step takes its initial state from the layer's "hidden"/"cell" inputs when it has them, zeros
// otherwise). Steps replace the tensors rather than write into them, so clone and mark copy references only.
import { Tensor } from "../tensor/tensor.js";
import { selectRows, type DecodeState } from "./state.js";

export class RecurrentState implements DecodeState {
  constructor(public hidden: Tensor, public cell: Tensor | undefined, readonly started: boolean[]) {}

  /** Zero states for `batch` rows of H units (with a cell state when `cell`), no row started. */
  static zeros(batch: number, H: number, cell: boolean): RecurrentState {
    const zeros = () => new Tensor(new Float32Array(batch * H), [batch, H]);
    return new RecurrentState(zeros(), cell ? zeros() : undefined, new Array<boolean>(batch).fill(false));
  }

  clone(): RecurrentState {
    return new RecurrentState(this.hidden, this.cell, this.started.slice());
  }

  select(rows: readonly number[]): RecurrentState {
    return new RecurrentState(selectRows(this.hidden, rows), this.cell && selectRows(this.cell, rows), rows.map((r) => this.started[r]));
  }

  mark(): () => void {
    const { hidden, cell } = this, started = this.started.slice();
    return () => {
      this.hidden = hidden;
      this.cell = cell;
      started.forEach((s, b) => (this.started[b] = s));
    };
  }
}
