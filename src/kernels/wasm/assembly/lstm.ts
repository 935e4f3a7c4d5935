// The LSTM forward recurrence (math in ../../lstm.ts, whose plain-JS loop is the reference): per step one
// GEMM h_{t−1}·Rᵀ for all four gates of all rows, then the gates and the cell update, vectorized.
// Arrays (byte offsets): p [B, T, 4H] = x·Wᵀ, r [4H, H], bias [4H]; outputs h, cells, hPrev [B, T, H] and
// the activated gates [B, T, 4H]; scratch hCur, cCur [B, H], z [B, 4H] and gemmWork.
import { gemm } from "./gemm";
import { sigmoid1, sigmoidv, tanh1, tanhv } from "./activations";

export function lstmForward(
  p: usize, r: usize, bias: usize, B: i32, T: i32, H: i32,
  h: usize, gates: usize, cells: usize, hPrev: usize,
  hCur: usize, cCur: usize, z: usize, gemmWork: usize,
): void {
  const G = 4 * H;
  memory.fill(hCur, 0, <usize>(B * H) << 2);
  memory.fill(cCur, 0, <usize>(B * H) << 2);
  for (let t = 0; t < T; t++) {
    gemm(hCur, false, r, true, z, B, H, G, false, 0, B, 0, G, gemmWork); // [B, H]·[4H, H]ᵀ
    for (let b = 0; b < B; b++) {
      const row = b * T + t;
      const zr = z + (<usize>(b * G) << 2), pr = p + (<usize>(row * G) << 2), gr = gates + (<usize>(row * G) << 2);
      // gates: i, f, o = σ(z + p + b), g = tanh(z + p + b)
      for (let k = 0; k < 4; k++) {
        let j = k * H;
        const end = j + H;
        for (; j + 4 <= end; j += 4) {
          const o = <usize>j << 2;
          const v = f32x4.add(f32x4.add(v128.load(zr + o), v128.load(pr + o)), v128.load(bias + o));
          v128.store(gr + o, k == 2 ? tanhv(v) : sigmoidv(v));
        }
        for (; j < end; j++) {
          const o = <usize>j << 2;
          const v = load<f32>(zr + o) + load<f32>(pr + o) + load<f32>(bias + o);
          store<f32>(gr + o, k == 2 ? tanh1(v) : sigmoid1(v));
        }
      }
      // c = f∘c + i∘g;  h = o∘tanh(c)
      const hr = <usize>(row * H) << 2, br = <usize>(b * H) << 2;
      const gi = gr, gf = gr + (<usize>H << 2), gg = gr + (<usize>(2 * H) << 2), go = gr + (<usize>(3 * H) << 2);
      let j = 0;
      for (; j + 4 <= H; j += 4) {
        const o = <usize>j << 2;
        const hOld = v128.load(hCur + br + o);
        v128.store(hPrev + hr + o, hOld);
        const c = f32x4.add(f32x4.mul(v128.load(gf + o), v128.load(cCur + br + o)), f32x4.mul(v128.load(gi + o), v128.load(gg + o)));
        v128.store(cCur + br + o, c);
        v128.store(cells + hr + o, c);
        const hv = f32x4.mul(v128.load(go + o), tanhv(c));
        v128.store(hCur + br + o, hv);
        v128.store(h + hr + o, hv);
      }
      for (; j < H; j++) {
        const o = <usize>j << 2;
        store<f32>(hPrev + hr + o, load<f32>(hCur + br + o));
        const c = load<f32>(gf + o) * load<f32>(cCur + br + o) + load<f32>(gi + o) * load<f32>(gg + o);
        store<f32>(cCur + br + o, c);
        store<f32>(cells + hr + o, c);
        const hv = load<f32>(go + o) * tanh1(c);
        store<f32>(hCur + br + o, hv);
        store<f32>(h + hr + o, hv);
      }
    }
  }
}
