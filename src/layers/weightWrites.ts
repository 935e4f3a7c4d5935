// A count of the writes into live parameter arrays made through the library (setParameter, the optimizers,
// trainNet's restores). Whatever was computed from the weights when the count was n is stale once it differs:
// the kernels' resident copies (kernels/wasm/resident.ts, told by each write) and a decoder's values computed
// from its fixed inputs and the weights alone (its memory, cross-attention's key-side values). A hand-written
// change to a parameter's `.data` is not counted.
import { noteWeightWrites as residentCopiesStale } from "../kernels/wasm/resident.js";

let writes = 0;

/** Called wherever the library writes into live parameter arrays. */
export function noteWeightWrites(): void {
  writes++;
  residentCopiesStale();
}

/** The number of such writes so far. */
export function weightWrites(): number {
  return writes;
}
