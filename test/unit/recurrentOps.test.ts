// The recurrence ops (gruRecurrence in MATLAB's three reset-gate modes, rnnRecurrence, lstmRecurrence with
// states): finite-difference gradients for P, R, the biases, h0 and c0 with ragged lengths (a 0-length row
// included) in both directions; the single-step forms against the full recurrence at every split point
// (exactly equal numbers); defaults; and the messages for bad arguments.
import { describe, expect, it } from "vitest";
import { ops, Random, Tensor } from "../../src/index.js";
import { gruRecurrence, gruStep, type GruResetGateMode } from "../../src/tensor/ops/gru.js";
import { lstmRecurrence, lstmStep } from "../../src/tensor/ops/lstm.js";
import { rnnRecurrence, rnnStep } from "../../src/tensor/ops/rnn.js";
import { checkGradients, randomTensor } from "../helpers/numeric.js";

const random = new Random(31);
const modes: GruResetGateMode[] = ["after-multiplication", "before-multiplication", "recurrent-bias-after-multiplication"];

/** One recurrence with its parameters, run over P with options; states: the op's final states in order. */
interface Subject {
  name: string; G: number;
  params(H: number): Record<string, Tensor>;
  run(p: Tensor, w: Record<string, Tensor>, state: Tensor[], options: { lengths?: number[]; reverse?: boolean }): { h: Tensor; states: Tensor[] };
  step(p: Tensor, w: Record<string, Tensor>, state: Tensor[]): Tensor[];
  stateCount: number;
}

const gruSubject = (mode: GruResetGateMode): Subject => ({
  name: `gruRecurrence ${mode}`, G: 3, stateCount: 1,
  // MATLAB's one bias: [3H], or [6H] (input bias, then recurrent bias) with "recurrent-bias-after-multiplication"
  params: (H) => ({ r: randomTensor([3 * H, H], random, 0.6), bias: randomTensor([(mode === "recurrent-bias-after-multiplication" ? 6 : 3) * H], random, 0.5) }),
  run: (p, w, [h0], options) => { const o = gruRecurrence(p, w.r, w.bias, { resetGateMode: mode, h0, ...options }); return { h: o.h, states: [o.hLast] }; },
  step: (p, w, [h]) => [gruStep(p, w.r, w.bias, h, { resetGateMode: mode })],
});

const rnnSubject: Subject = {
  name: "rnnRecurrence", G: 1, stateCount: 1,
  params: (H) => ({ r: randomTensor([H, H], random, 0.6), bias: randomTensor([H], random, 0.5) }),
  run: (p, w, [h0], options) => { const o = rnnRecurrence(p, w.r, w.bias, { h0, ...options }); return { h: o.h, states: [o.hLast] }; },
  step: (p, w, [h]) => [rnnStep(p, w.r, w.bias, h)],
};

const lstmSubject: Subject = {
  name: "lstmRecurrence", G: 4, stateCount: 2,
  params: (H) => ({ r: randomTensor([4 * H, H], random, 0.6), bias: randomTensor([4 * H], random, 0.5) }),
  run: (p, w, [h0, c0], options) => { const o = lstmRecurrence(p, w.r, w.bias, { h0, c0, ...options }); return { h: o.h, states: [o.hLast, o.cLast] }; },
  step: (p, w, [h, c]) => { const s = lstmStep(p, w.r, w.bias, { h, c }); return [s.h, s.c]; },
};

const subjects = [...modes.map(gruSubject), rnnSubject, lstmSubject];

describe("recurrence ops: gradients by finite differences", () => {
  for (const s of subjects) {
    for (const reverse of [false, true]) {
      it(`${s.name}${reverse ? " reversed" : ""}: P, R, biases and initial states, lengths [4, 0, 2]`, () => {
        const B = 3, T = 4, H = 3, lengths = [4, 0, 2];
        const p = randomTensor([B, T, s.G * H], random), w = s.params(H);
        const state = Array.from({ length: s.stateCount }, () => randomTensor([B, H], random, 0.5));
        const wh = randomTensor([B, T, H], random), ws = state.map(() => randomTensor([B, H], random));
        const loss = () => {
          const out = s.run(p, w, state, { lengths, reverse });
          return out.states.reduce((acc, st, k) => ops.add(acc, ops.sum(ops.mul(st, ws[k]))), ops.sum(ops.mul(out.h, wh)));
        };
        checkGradients(loss, [p, ...Object.values(w), ...state], { what: s.name });
      });
    }
    it(`${s.name}: without initial states, the gradients of P, R and the biases (every row full length)`, () => {
      const B = 2, T = 3, H = 2, p = randomTensor([B, T, s.G * H], random), w = s.params(H), wh = randomTensor([B, T, H], random);
      checkGradients(() => ops.sum(ops.mul(s.run(p, w, [], {}).h, wh)), [p, ...Object.values(w)], { what: s.name });
    });
  }
});

describe("single steps: gradients by finite differences", () => {
  for (const s of subjects) {
    it(`${s.name.replace("Recurrence", "Step")}: P_t, R, biases and the state`, () => {
      const B = 2, H = 3, p = randomTensor([B, s.G * H], random), w = s.params(H);
      const state = Array.from({ length: s.stateCount }, () => randomTensor([B, H], random, 0.5)), ws = state.map(() => randomTensor([B, H], random));
      const loss = () => s.step(p, w, state).map((st, k) => ops.sum(ops.mul(st, ws[k]))).reduce((a, b) => ops.add(a, b));
      checkGradients(loss, [p, ...Object.values(w), ...state], { what: s.name });
    });
  }
});

describe("single steps equal the full recurrence", () => {
  for (const s of subjects) {
    it(`${s.name}: at every split point, a step from the state after the first t steps gives step t's numbers exactly`, () => {
      const B = 3, T = 6, H = 5, p = randomTensor([B, T, s.G * H], random), w = s.params(H);
      const state0 = Array.from({ length: s.stateCount }, () => randomTensor([B, H], random, 0.5));
      const full = s.run(p, w, state0, {});
      let state = state0;
      for (let t = 0; t < T; t++) {
        // the state after t steps, by the recurrence over the first t steps (t = 0: the initial state)
        const head = t === 0 ? state0 : s.run(ops.slice(p, 1, 0, t), w, state0, {}).states;
        head.forEach((st, k) => expect(Array.from(st.data), `state ${k} after ${t} steps`).toEqual(Array.from(state[k].data)));
        const next = s.step(ops.reshape(ops.slice(p, 1, t, t + 1), [B, s.G * H]), w, head);
        expect(Array.from(next[0].data), `h_${t}`).toEqual(Array.from(ops.reshape(ops.slice(full.h, 1, t, t + 1), [B, H]).data));
        // and the rest of the sequence from that state is the rest of the full run
        const tail = s.run(ops.slice(p, 1, t, T), w, head, {});
        expect(Array.from(tail.h.data), `h_${t}… from the state after ${t} steps`).toEqual(Array.from(ops.slice(full.h, 1, t, T).data));
        state = next;
      }
      full.states.forEach((st, k) => expect(Array.from(state[k].data), `final state ${k}`).toEqual(Array.from(st.data)));
    });
  }
});

describe("recurrence ops: defaults and final states", () => {
  for (const s of subjects) {
    it(`${s.name}: omitted initial states are zeros; the final state is h at each row's last valid step (reverse: at its first time)`, () => {
      const B = 3, T = 5, H = 2, p = randomTensor([B, T, s.G * H], random), w = s.params(H);
      const zeros = Array.from({ length: s.stateCount }, () => new Tensor(new Float32Array(B * H), [B, H]));
      expect(Array.from(s.run(p, w, [], {}).h.data)).toEqual(Array.from(s.run(p, w, zeros, {}).h.data));
      const lengths = [5, 3, 1];
      for (const reverse of [false, true]) {
        const out = s.run(p, w, [], { lengths, reverse });
        lengths.forEach((L, b) => {
          const t = reverse ? 0 : L - 1;
          expect(Array.from(out.states[0].data.subarray(b * H, (b + 1) * H)), `row ${b}`).toEqual(Array.from(out.h.data.subarray((b * T + t) * H, (b * T + t + 1) * H)));
        });
      }
    });
  }
});

describe("recurrence ops: no steps", () => {
  for (const s of subjects) {
    it(`${s.name}: T = 0 gives an empty sequence, the initial states as final states, and their gradients straight back`, () => {
      const B = 2, H = 3, p = new Tensor(new Float32Array(0), [B, 0, s.G * H]), w = s.params(H);
      const state = Array.from({ length: s.stateCount }, () => randomTensor([B, H], random));
      const out = s.run(p, w, state, {});
      expect(out.h.shape).toEqual([B, 0, H]);
      out.states.forEach((st, k) => expect(Array.from(st.data)).toEqual(Array.from(state[k].data)));
      checkGradients(() => s.run(p, w, state, {}).states.map((st, k) => ops.sum(ops.mul(st, state[k]))).reduce((a, b) => ops.add(a, b)), state, { what: s.name });
    });
  }
});

describe("recurrence ops: bad arguments", () => {
  const t = (shape: number[]) => new Tensor(new Float32Array(shape.reduce((a, b) => a * b, 1)), shape);
  it("name the op, the argument and the shapes or values", () => {
    expect(() => gruRecurrence(t([1, 2, 9]), t([9, 2]), t([9]))).toThrow('gruRecurrence: expected P [B, T, 3H], R [3H, H] and bias [3H] (resetGateMode "after-multiplication"), got [1, 2, 9], [9, 2] and [9]');
    expect(() => rnnRecurrence(t([1, 2, 3]), t([3, 3]), t([2]))).toThrow("rnnRecurrence: expected P [B, T, H], R [H, H] and bias [H], got [1, 2, 3], [3, 3] and [2]");
    expect(() => lstmRecurrence(t([2, 2, 8]), t([8, 2]), t([8]), { h0: t([1, 2]) })).toThrow("lstmRecurrence: h0 must be [B, H] = [2, 2], got [1, 2]");
    expect(() => lstmRecurrence(t([2, 2, 8]), t([8, 2]), t([8]), { c0: t([2, 3]) })).toThrow("lstmRecurrence: c0 must be [B, H] = [2, 2], got [2, 3]");
    expect(() => rnnRecurrence(t([2, 3, 2]), t([2, 2]), t([2]), { lengths: [3, 4] })).toThrow("rnnRecurrence: lengths must hold B = 2 integers in 0…T = 3, got [3, 4]");
    expect(() => rnnRecurrence(t([2, 3, 2]), t([2, 2]), t([2]), { lengths: [3] })).toThrow("rnnRecurrence: lengths must hold B = 2 integers in 0…T = 3, got [3]");
    expect(() => gruRecurrence(t([1, 2, 6]), t([6, 2]), t([6]), { resetGateMode: "after" as never })).toThrow(
      'gruRecurrence: resetGateMode must be one of "after-multiplication", "before-multiplication", "recurrent-bias-after-multiplication", got "after"',
    );
    expect(() => gruRecurrence(t([1, 2, 6]), t([6, 2]), t([6]), { resetGateMode: "recurrent-bias-after-multiplication" })).toThrow(
      'gruRecurrence: expected P [B, T, 3H], R [3H, H] and bias [6H] (resetGateMode "recurrent-bias-after-multiplication"), got [1, 2, 6], [6, 2] and [6]',
    );
    expect(() => gruRecurrence(t([1, 2, 6]), t([6, 2]), t([12]), { resetGateMode: "before-multiplication" })).toThrow(
      'gruRecurrence: expected P [B, T, 3H], R [3H, H] and bias [3H] (resetGateMode "before-multiplication"), got [1, 2, 6], [6, 2] and [12]',
    );
    expect(() => rnnStep(t([2, 2]), t([2, 2]), t([2]), t([1, 2]))).toThrow("rnnStep: h must be [B, H] = [2, 2], got [1, 2]");
    expect(() => gruStep(t([1, 1, 6]), t([6, 2]), t([6]), t([1, 2]))).toThrow("gruStep: expected the step's input part P [B, G·H], got [1, 1, 6]");
    expect(() => lstmStep(t([1, 8]), t([8, 2]), t([8]), { h: t([1, 2]), c: t([2, 2]) })).toThrow("lstmStep: state.c must be [B, H] = [1, 2], got [2, 2]");
  });
});
