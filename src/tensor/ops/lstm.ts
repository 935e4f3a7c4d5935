// The LSTM recurrence as one autodiff node (math and backward in ../../kernels/lstm.ts): from the
// input part P [B, T, 4H] (x·Wᵀ for all steps), the recurrent weights R [4H, H] and the bias b [4H], the hidden
// states h [B, T, H]; or, given lastSteps, each row's h at its own last step, [B, H] (zeros for a row
// whose last step is outside 0…T−1).
import { lstmBackward, lstmForward } from "../../kernels/lstm.js";
import { record } from "../autodiff.js";
import { formatShape } from "../shape.js";
import { Tensor, uncheckedTensor } from "../tensor.js";

export function lstmRecurrence(p: Tensor, r: Tensor, bias: Tensor, lastSteps?: readonly number[]): Tensor {
  const [B, T, G] = p.shape, H = r.shape[1];
  if (p.rank !== 3 || r.rank !== 2 || G !== 4 * H || r.shape[0] !== G || bias.size !== G) {
    throw new Error(`lstmRecurrence: expected P [B, T, 4H], R [4H, H] and b [4H], got ${formatShape(p.shape)}, ${formatShape(r.shape)} and ${formatShape(bias.shape)}`);
  }
  const { h, trace } = lstmForward(p.data, r.data, bias.data, B, T, H);
  const picked = (b: number) => (lastSteps !== undefined && lastSteps[b] >= 0 && lastSteps[b] < T ? lastSteps[b] : -1);
  let y: Tensor;
  if (lastSteps === undefined) y = uncheckedTensor(h, [B, T, H]);
  else {
    const last = new Float32Array(B * H);
    for (let b = 0; b < B; b++) if (picked(b) >= 0) last.set(h.subarray((b * T + picked(b)) * H, (b * T + picked(b) + 1) * H), b * H);
    y = uncheckedTensor(last, [B, H]);
  }
  record([y], [p, r, bias], ([g]) => {
    let dh = g!;
    if (lastSteps !== undefined) {
      dh = new Float32Array(B * T * H);
      for (let b = 0; b < B; b++) if (picked(b) >= 0) dh.set(g!.subarray(b * H, (b + 1) * H), (b * T + picked(b)) * H);
    }
    const { dp, dr, db } = lstmBackward(dh, r.data, trace);
    return [dp, dr, db];
  });
  return y;
}
