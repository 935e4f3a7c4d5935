// The recurrent kernels (GRU in its three reset-gate modes, basic RNN, LSTM with states): the WebAssembly
// forward and backward against their plain-JS references on awkward shapes with ragged lengths (a 0-length
// row included), both directions, an initial state and final-state gradients; and the references' length
// and direction semantics against independent oracles (a row run alone on its valid steps, a reversed run
// equal to a forward run on the row's valid steps flipped).
import { describe, expect, it } from "vitest";
import { Random } from "../../src/index.js";
import { gruBackwardReference, gruForwardReference } from "../../src/kernels/gru.js";
import { lstmBackwardReference, lstmForwardReference } from "../../src/kernels/lstm.js";
import { recurrenceSteps, type RecurrenceSteps } from "../../src/kernels/recurrence.js";
import { rnnBackwardReference, rnnForwardReference } from "../../src/kernels/rnn.js";
import { gruBackwardWasm, gruForwardWasm } from "../../src/kernels/wasm/gru.js";
import { lstmBackwardWasm, lstmForwardWasm } from "../../src/kernels/wasm/lstm.js";
import { rnnBackwardWasm, rnnForwardWasm } from "../../src/kernels/wasm/rnn.js";
import { expectClose } from "../helpers/numeric.js";

type Arrays = Record<string, Float32Array>;

/** A recurrence as the tests drive it: forward gives outputs and final states, backward all gradients. */
interface Kernel {
  name: string;
  gates: number;
  /** forward (reference or wasm): h, the final states, and a backward from dh and the final states' gradients */
  run(wasm: boolean, x: Arrays, steps: RecurrenceSteps): { out: Arrays; backward(wasm: boolean, dh: Float32Array, dLast: Arrays): Arrays };
}

const gru = (mode: string, resetAfter: boolean, recurrentBias: boolean): Kernel => ({
  name: `GRU ${mode}`, gates: 3,
  run(wasm, x, steps) {
    const bh = recurrentBias ? x.bh : new Float32Array(x.b.length);
    const { h, hLast, trace } = (wasm ? gruForwardWasm : gruForwardReference)(x.p, x.r, x.b, bh, x.h0, steps, resetAfter);
    return {
      out: { h, hLast, ...trace } as unknown as Arrays,
      backward: (w, dh, d) => {
        const g = (w ? gruBackwardWasm : gruBackwardReference)(dh, d.h, x.r, trace);
        return { dp: g.dp, dr: g.dr, dbx: g.dbx, dbh: g.dbh, dh0: g.dh0 };
      },
    };
  },
});

const rnn: Kernel = {
  name: "basic RNN", gates: 1,
  run(wasm, x, steps) {
    const { h, hLast, trace } = (wasm ? rnnForwardWasm : rnnForwardReference)(x.p, x.r, x.b, x.h0, steps);
    return { out: { h, hLast, hPrev: trace.hPrev }, backward: (w, dh, d) => ({ ...(w ? rnnBackwardWasm : rnnBackwardReference)(dh, d.h, x.r, trace) }) };
  },
};

const lstm: Kernel = {
  name: "LSTM", gates: 4,
  run(wasm, x, steps) {
    const { B, T, H } = steps;
    const run = (wasm ? lstmForwardWasm : lstmForwardReference)(x.p, x.r, x.b, B, T, H, { h0: x.h0, c0: x.c0, lengths: steps.lengths, reverse: steps.reverse });
    const { gates, cells, hPrev, cPrev } = run.trace;
    return {
      out: { h: run.h, hLast: run.hLast, cLast: run.cLast, gates, cells, hPrev, cPrev },
      backward: (w, dh, d) => ({ ...(w ? lstmBackwardWasm : lstmBackwardReference)(dh, x.r, run.trace, d.h, d.c) }),
    };
  },
};

const kernels = [gru("after-multiplication", true, false), gru("before-multiplication", false, false), gru("recurrent-bias-after-multiplication", true, true), rnn, lstm];

function randomArray(n: number, random: Random, scale = 1): Float32Array {
  return Float32Array.from({ length: n }, () => random.normal() * scale);
}

function problem(kernel: Kernel, B: number, T: number, H: number, random: Random): Arrays {
  const GH = kernel.gates * H;
  return {
    p: randomArray(B * T * GH, random), r: randomArray(GH * H, random, 1.5 / Math.sqrt(H)), b: randomArray(GH, random, 0.5), bh: randomArray(GH, random, 0.5),
    h0: randomArray(B * H, random, 0.5), c0: randomArray(B * H, random, 0.5),
  };
}

/** Ragged lengths with a 0-length row when B > 1: T, 0, ⌈T/2⌉, … */
const raggedLengths = (B: number, T: number) => Array.from({ length: B }, (_, b) => (B === 1 ? T : [T, 0, Math.ceil(T / 2)][b % 3]));

describe("WebAssembly recurrences against their references", () => {
  const random = new Random(5);
  for (const kernel of kernels) {
    for (const [B, T, H] of [1, 3].flatMap((B) => [1, 7].flatMap((T) => [1, 5, 33].map((H) => [B, T, H])))) {
      for (const reverse of [false, true]) {
        it(`${kernel.name}: B=${B} T=${T} H=${H} lengths ${raggedLengths(B, T)}${reverse ? " reversed" : ""}: forward, trace and gradients`, () => {
          const x = problem(kernel, B, T, H, random);
          const steps = recurrenceSteps(B, T, H, raggedLengths(B, T), reverse);
          const ref = kernel.run(false, x, steps), fast = kernel.run(true, x, steps);
          for (const key of Object.keys(ref.out)) {
            if (ref.out[key] instanceof Float32Array) expectClose(fast.out[key], ref.out[key], 1e-4, 2e-6, `${kernel.name} ${key}`);
          }
          const dh = randomArray(B * T * H, random), dLast = { h: randomArray(B * H, random), c: randomArray(B * H, random) };
          const gRef = ref.backward(false, dh, dLast), gFast = fast.backward(true, dh, dLast);
          // float32 sums over many steps in other orders (the module's tanh and σ against Math's): a tolerance on the array's scale
          for (const key of Object.keys(gRef)) expectClose(gFast[key], gRef[key], 1e-3, 1e-4 * Math.max(1, ...gRef[key].map(Math.abs)), `${kernel.name} ${key}`);
        });
      }
    }
  }
});

describe("row lengths and direction (references)", () => {
  const random = new Random(9);
  /** Row b alone: its valid steps, in the given order, as a B = 1 problem of T = L_b steps. */
  function rowAlone(x: Arrays, kernel: Kernel, T: number, H: number, b: number, L: number, flip: boolean): Arrays {
    const GH = kernel.gates * H, p = new Float32Array(L * GH);
    for (let k = 0; k < L; k++) p.set(x.p.subarray((b * T + (flip ? L - 1 - k : k)) * GH, (b * T + (flip ? L - 1 - k : k) + 1) * GH), k * GH);
    return { ...x, p, h0: x.h0.slice(b * H, (b + 1) * H), c0: x.c0.slice(b * H, (b + 1) * H) };
  }

  for (const kernel of kernels) {
    for (const reverse of [false, true]) {
      it(`${kernel.name}${reverse ? " reversed" : ""}: each row equals that row run alone on its valid steps; padding outputs 0 and passes no gradient`, () => {
        const B = 3, T = 5, H = 3, lengths = [5, 0, 2];
        const x = problem(kernel, B, T, H, random);
        const full = kernel.run(false, x, recurrenceSteps(B, T, H, lengths, reverse));
        const dh = randomArray(B * T * H, random), dLast = { h: randomArray(B * H, random), c: randomArray(B * H, random) };
        const g = full.backward(false, dh, dLast);
        const GH = kernel.gates * H;
        lengths.forEach((L, b) => {
          const alone = rowAlone(x, kernel, T, H, b, L, reverse);
          const one = kernel.run(false, alone, recurrenceSteps(1, L, H));
          // outputs at the row's times: alone step k sits at time t = k (or L − 1 − k reversed)
          for (let t = 0; t < T; t++) {
            const got = full.out.h.subarray((b * T + t) * H, (b * T + t + 1) * H);
            if (t >= L) expect(Array.from(got), `row ${b} time ${t} is padding`).toEqual(new Array(H).fill(0));
            else expectClose(got, one.out.h.subarray((reverse ? L - 1 - t : t) * H, ((reverse ? L - 1 - t : t) + 1) * H), 1e-6, 1e-7, `row ${b} h_${t}`);
          }
          expectClose(full.out.hLast.subarray(b * H, (b + 1) * H), L === 0 ? x.h0.subarray(b * H, (b + 1) * H) : one.out.hLast, 1e-6, 1e-7, `row ${b} hLast`);
          // gradients: the row's dh re-ordered like its steps
          const dhAlone = new Float32Array(L * H);
          for (let k = 0; k < L; k++) { const t = reverse ? L - 1 - k : k; dhAlone.set(dh.subarray((b * T + t) * H, (b * T + t + 1) * H), k * H); }
          const gOne = one.backward(false, dhAlone, { h: dLast.h.slice(b * H, (b + 1) * H), c: dLast.c.slice(b * H, (b + 1) * H) });
          expectClose(g.dh0.subarray(b * H, (b + 1) * H), gOne.dh0, 1e-5, 1e-6, `row ${b} dh0`);
          if (g.dc0) expectClose(g.dc0.subarray(b * H, (b + 1) * H), gOne.dc0, 1e-5, 1e-6, `row ${b} dc0`);
          for (let t = 0; t < T; t++) {
            const got = g.dp.subarray((b * T + t) * GH, (b * T + t + 1) * GH);
            if (t >= L) expect(got.every((v) => v === 0), `row ${b} time ${t}: no gradient into padding`).toBe(true);
            else { const k = reverse ? L - 1 - t : t; expectClose(got, gOne.dp.subarray(k * GH, (k + 1) * GH), 1e-5, 1e-6, `row ${b} dP_${t}`); }
          }
        });
      });
    }
  }
});

describe("the GRU forward without its trace, and with resident recurrent weights (decoding)", () => {
  it("keepTrace false: the same h and final state, an empty trace; inside withResident the kernel reads R's resident copy", async () => {
    const { withResident } = await import("../../src/kernels/wasm/resident.js");
    const random = new Random(5), [B, T, H] = [3, 4, 5];
    const x = problem(gru("after-multiplication", true, false), B, T, H, random);
    const steps = recurrenceSteps(B, T, H, [4, 1, 3], false);
    const full = gruForwardWasm(x.p, x.r, x.b, x.bh, x.h0, steps, true);
    const bare = gruForwardWasm(x.p, x.r, x.b, x.bh, x.h0, steps, true, false);
    expect(Array.from(bare.h)).toEqual(Array.from(full.h));
    expect(Array.from(bare.hLast)).toEqual(Array.from(full.hLast));
    expect([bare.trace.gates.length, bare.trace.hPrev.length, bare.trace.q.length]).toEqual([0, 0, 0]);
    // R resident; its array changed behind the library's back afterwards, so only the resident copy holds the weights used
    const r = x.r.slice();
    const resident = withResident([r], () => {
      r.fill(0);
      return gruForwardWasm(x.p, r, x.b, x.bh, x.h0, steps, true, false);
    });
    expect(Array.from(resident.h)).toEqual(Array.from(full.h));
  });
});
