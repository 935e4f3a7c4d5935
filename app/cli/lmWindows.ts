// The language-model job's data (shared with the browser demo's lm page, so no Node imports): the encoded corpus
// cut into a training split (the first 90%) and a validation split (the rest). Training windows of `context` ids
// start at random places in the training split; validation windows are spread evenly over the validation split.
// Each window's targets are the same window moved one id on (the next character at every step).
import { Random, Tensor } from "attention-layers";

/** Windows as trainNet takes them: ids [T, 1] and the next id at each step. */
export interface Windows { x: Tensor[]; y: number[][] }

export const VALIDATION_SHARE = 0.1;

/** Where the validation split starts in a corpus of `length` ids. */
export const validationStart = (length: number): number => Math.floor(length * (1 - VALIDATION_SHARE));

/** The window of `T` ids starting at `s` and its targets, the next id at each step. */
function windowAt(ids: readonly number[], s: number, T: number, out: Windows): void {
  out.x.push(new Tensor(Float32Array.from(ids.slice(s, s + T)), [T, 1]));
  out.y.push(ids.slice(s + 1, s + T + 1));
}

/** `count` random training windows (drawn with `seed`) and at most `maxValidation` validation windows of `T` ids. */
export function lmWindows(ids: readonly number[], T: number, count: number, maxValidation: number, seed: number): { train: Windows; validation: Windows } {
  const cut = validationStart(ids.length);
  const random = new Random(seed);
  const train: Windows = { x: [], y: [] }, validation: Windows = { x: [], y: [] };
  for (let i = 0; i < count; i++) windowAt(ids, Math.floor(random.uniform() * (cut - T)), T, train);
  const stride = Math.max(T, Math.floor((ids.length - cut - T - 1) / maxValidation));
  for (let s = cut; s + T + 1 <= ids.length && validation.x.length < maxValidation; s += stride) windowAt(ids, s, T, validation);
  return { train, validation };
}
