// The public optimizers (sgdm, adam, rmsprop with MATLAB's trainingOptions): each step against the update rule
// computed here in float64 from its definition, the per-parameter factors layers declare, and trainNet running
// the same objects (a custom loop with the public optimizer gives trainNet's weights).
import { describe, expect, it } from "vitest";
import {
  adam, crossentropy, fullyConnectedLayer, lstmLayer, netChain, Random, rmsprop, sequenceInputLayer, sgdm, softmaxLayer,
  Tensor, trainNet, valueAndGrad, type Learnable, type Optimizer,
} from "../../src/index.js";
import { expectClose, randomTensor } from "../helpers/numeric.js";

type Rule = (w: Float64Array, g: Float64Array, state: { m: Float64Array; v: Float64Array }, t: number) => void;

/** Runs `steps` steps of an optimizer and of its float64 rule on the same weights and gradients. */
function compare(optimizer: Optimizer, rule: Rule, factors: { learnRate: number; l2: number }[], l2: number) {
  const random = new Random(5);
  const learnables: Learnable[] = factors.map((f) => ({ tensor: randomTensor([3, 2], random), factors: f }));
  const oracle = learnables.map((p) => ({ w: Float64Array.from(p.tensor.data), m: new Float64Array(6), v: new Float64Array(6) }));
  for (let t = 1; t <= 4; t++) {
    const grads = learnables.map(() => randomTensor([3, 2], random));
    optimizer.step(learnables, grads);
    oracle.forEach((o, i) => {
      // g + λ·l2Factor·w, then the rule with lr·learnRateFactor
      const g = Float64Array.from(grads[i].data, (v, j) => v + l2 * factors[i].l2 * o.w[j]);
      rule(o.w, g.map((v) => v * factors[i].learnRate), o, t);
    });
  }
  learnables.forEach((p, i) => expectClose(p.tensor, oracle[i].w, 1e-5, 1e-6, `learnable ${i}`));
}

const factors = [{ learnRate: 1, l2: 1 }, { learnRate: 0.5, l2: 0 }, { learnRate: 2, l2: 3 }];

describe("optimizers", () => {
  it("sgdm: v ← momentum·v − lr·g; w ← w + v", () => {
    const lr = 0.1, momentum = 0.8, l2 = 0.01;
    // the learn-rate factor scales lr·g, which the rule gets as g·factor
    compare(sgdm({ learnRate: lr, momentum, l2Regularization: l2 }), (w, g, s) => g.forEach((gj, j) => { s.m[j] = momentum * s.m[j] - lr * gj; w[j] += s.m[j]; }), factors, l2);
  });

  it("adam: bias-corrected moments, w ← w − lr·m̂/(√v̂ + ε)", () => {
    const lr = 0.05, b1 = 0.8, b2 = 0.95, eps = 1e-3, l2 = 0.02;
    const opt = adam({ learnRate: lr, gradientDecayFactor: b1, squaredGradientDecayFactor: b2, epsilon: eps, l2Regularization: l2 });
    // with a learn-rate factor f the step is f·lr·m̂/(√v̂ + ε) of the unscaled gradient: the rule runs per learnable
    const random = new Random(6);
    const learnables: Learnable[] = factors.map((f) => ({ tensor: randomTensor([4], random), factors: f }));
    const oracle = learnables.map((p) => ({ w: Float64Array.from(p.tensor.data), m: new Float64Array(4), v: new Float64Array(4) }));
    for (let t = 1; t <= 4; t++) {
      const grads = learnables.map(() => randomTensor([4], random));
      opt.step(learnables, grads);
      oracle.forEach((o, i) => grads[i].data.forEach((gr, j) => {
        const g = gr + l2 * factors[i].l2 * o.w[j];
        o.m[j] = b1 * o.m[j] + (1 - b1) * g;
        o.v[j] = b2 * o.v[j] + (1 - b2) * g * g;
        o.w[j] -= (lr * factors[i].learnRate * (o.m[j] / (1 - b1 ** t))) / (Math.sqrt(o.v[j] / (1 - b2 ** t)) + eps);
      }));
    }
    learnables.forEach((p, i) => expectClose(p.tensor, oracle[i].w, 1e-5, 1e-6, `learnable ${i}`));
    expect(opt.steps).toBe(4);
  });

  it("rmsprop: v ← β₂v + (1−β₂)g²; w ← w − lr·g/(√v + ε), with MATLAB's default β₂ = 0.9", () => {
    const opt = rmsprop({ learnRate: 0.01, l2Regularization: 0 });
    const random = new Random(7);
    const p = { tensor: randomTensor([5], random) };
    const w = Float64Array.from(p.tensor.data), v = new Float64Array(5);
    for (let t = 0; t < 3; t++) {
      const g = randomTensor([5], random);
      opt.step([p], [g]);
      g.data.forEach((gj, j) => { v[j] = 0.9 * v[j] + 0.1 * gj * gj; w[j] -= (0.01 * gj) / (Math.sqrt(v[j]) + 1e-8); });
    }
    expectClose(p.tensor, w, 1e-5, 1e-6);
  });

  it("step(net, grads) takes the factors the layers declare (a frozen weight stays, a bias gets no L2) and grads by name", () => {
    const net = netChain([sequenceInputLayer(2), fullyConnectedLayer(3, { weightLearnRateFactor: 0 }), fullyConnectedLayer(2)]).initialize({ seed: 1 });
    const before = Object.fromEntries(Object.entries(net.parameters).map(([k, t]) => [k, Float64Array.from(t.data)]));
    const grads = Object.fromEntries(Object.entries(net.parameters).map(([k, t]) => [k, new Tensor(new Float32Array(t.size), t.shape)]));
    const opt = sgdm({ learnRate: 0.1, momentum: 0, l2Regularization: 0.5 });
    opt.step(net, grads); // zero gradients: only L2 moves the weights, w ← w − lr·λ·w for l2 factor 1
    const names = Object.keys(net.parameters);
    const [w1, b1, w2, b2] = names;
    expect(Array.from(net.parameters[w1].data)).toEqual(Array.from(before[w1], (v) => Math.fround(v))); // learn-rate factor 0
    expectClose(net.parameters[w2], before[w2].map((v) => v - 0.1 * 0.5 * v));
    expect(net.parameters[b2].data).toEqual(Float32Array.from(before[b2])); // a bias's L2 factor is 0 (MATLAB)
    expect(net.parameters[b1].data).toEqual(Float32Array.from(before[b1]));
    // the same grads as a list in the order of net.parameters
    opt.step(net, Object.values(grads));
    expectClose(net.parameters[w2], before[w2].map((v) => v * (1 - 0.05) ** 2));
  });

  it("refuses bad options and arguments, naming the optimizer", () => {
    expect(() => adam({ momentum: 0.9 } as never)).toThrow(/^adam: unknown option "momentum"/);
    expect(() => sgdm({ learnRate: -1 })).toThrow(/^sgdm: learnRate must be a finite number > 0, got -1/);
    expect(() => rmsprop({ squaredGradientDecayFactor: 1 })).toThrow(/^rmsprop: squaredGradientDecayFactor must be in \[0, 1\)/);
    const p = { tensor: new Tensor(new Float32Array(3), [3]) };
    expect(() => sgdm().step([p], [])).toThrow(/^sgdm\.step: 0 gradients for 1 learnables/);
    expect(() => sgdm().step([p], [new Tensor(new Float32Array(2), [2])])).toThrow(/^sgdm\.step: the gradient of learnable 0 has 2 values but the learnable has 3/);
  });
});

describe("trainNet runs the public optimizers", () => {
  // equal-length sequences, one mini-batch per epoch without shuffling: every step is reproducible by hand
  const random = new Random(8);
  const x = Array.from({ length: 6 }, () => randomTensor([4, 3], random));
  const y = [0, 1, 2, 1, 0, 2];
  const makeNet = () => netChain([sequenceInputLayer(3), lstmLayer(5, { outputMode: "last" }), fullyConnectedLayer(3), softmaxLayer()]).initialize({ seed: 4 });

  function customLoop(optimizer: Optimizer, epochs: number) {
    const net = makeNet();
    const batch = new Tensor(Float32Array.from(x.flatMap((s) => Array.from(s.data))), [6, 4, 3]);
    for (let e = 0; e < epochs; e++) {
      const { grads } = valueAndGrad(() => crossentropy(net.apply(batch, { training: true }) as Tensor, y), Object.values(net.parameters));
      optimizer.step(net, grads);
    }
    return net;
  }

  for (const [solver, optimizer] of [
    ["adam", () => adam({ learnRate: 0.01, gradientThreshold: 0.05, gradientThresholdMethod: "absolute-value" })],
    ["rmsprop", () => rmsprop({ learnRate: 0.01 })],
    ["sgdm", () => sgdm({ learnRate: 0.1, gradientThreshold: 0.2, gradientThresholdMethod: "global-l2norm" })],
  ] as const) {
    it(`${solver}: trainNet's weights are a custom loop's with ${solver}(…)`, () => {
      const opt = optimizer();
      const options = { learnRate: opt.learnRate, ...(solver === "adam" ? { gradientThreshold: 0.05, gradientThresholdMethod: "absolute-value" as const } : solver === "sgdm" ? { gradientThreshold: 0.2, gradientThresholdMethod: "global-l2norm" as const } : {}) };
      const { net } = trainNet(makeNet(), { x, y }, { solver, ...options, maxEpochs: 3, miniBatchSize: 6, shuffle: "never", verbose: false });
      const mine = customLoop(opt, 3);
      for (const [name, t] of Object.entries(net.parameters)) expectClose(mine.parameters[name], t.data, 1e-5, 1e-7, name);
    });
  }

  // MATLAB's trainingOptions: InitialLearnRate 0.01 for "sgdm", 0.001 for "adam" and "rmsprop"; one source for both
  for (const [solver, optimizer] of [["adam", adam], ["rmsprop", rmsprop], ["sgdm", sgdm]] as const) {
    it(`${solver}: trainNet's defaults are ${solver}()'s (learnRate ${solver === "sgdm" ? 0.01 : 0.001})`, () => {
      const opt = optimizer();
      expect(opt.learnRate).toBe(solver === "sgdm" ? 0.01 : 0.001);
      const { net } = trainNet(makeNet(), { x, y }, { solver, maxEpochs: 2, miniBatchSize: 6, shuffle: "never", verbose: false });
      const mine = customLoop(opt, 2);
      for (const [name, t] of Object.entries(net.parameters)) expectClose(mine.parameters[name], t.data, 1e-5, 1e-7, name);
    });
  }
});
