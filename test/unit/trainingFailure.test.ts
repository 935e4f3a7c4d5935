// What a failed training run leaves behind (issue 15, point 7): after divergence the net holds the last weights
// whose loss was finite, and the error names the iteration they come from; when onProgress (or a progress sink)
// throws, the net holds the documented output network (the best validation epoch with outputNetwork
// "best-validation"), and the error carries the history so far.
import { describe, expect, it } from "vitest";
import {
  evaluate, fullyConnectedLayer, globalAveragePooling1dLayer, netChain, predict, Random, selfAttentionLayer, sequenceInputLayer, softmaxLayer, trainNet,
  type TrainingHistory,
} from "../../src/index.js";
import { randomTensor } from "../helpers/numeric.js";

const random = new Random(5);
const x = Array.from({ length: 12 }, (_, i) => randomTensor([2 + (i % 3), 3], random, 3));
const y = x.map((s) => (s.data[0] > 0 ? 1 : 0));
const net = () => {
  const n = netChain([sequenceInputLayer(3), selfAttentionLayer(1, 4), globalAveragePooling1dLayer(), fullyConnectedLayer(2), softmaxLayer()]);
  n.initialize({ seed: 3 });
  return n;
};
const weightsOf = (n: ReturnType<typeof net>) => Object.values(n.parameters).map((t) => Array.from(t.data));

/** trainNet's error (it must throw). */
function failure(run: () => unknown): Error & { history?: TrainingHistory } {
  try {
    run();
  } catch (e) {
    return e as Error & { history?: TrainingHistory };
  }
  return expect.fail("trainNet did not throw");
}

describe("divergence keeps the last weights whose loss was finite", () => {
  // the case (1e30: the second loss is NaN), and sgdm rates that diverge across an epoch's end (1e8) and after epochs (1e5)
  const cases = [["sgdm", 1e30], ["adam", 1e30], ["sgdm", 1e8], ["sgdm", 1e5]] as const;
  for (const [solver, learnRate] of cases) {
    it(`${solver} at learnRate ${learnRate}: the net predicts finite values, with the weights of the iteration the error names`, () => {
      const n = net();
      // before[k]: the weights the (k+1)-th iteration (counted over epochs) runs with
      const before = [weightsOf(n)];
      let perEpoch = 0;
      const error = failure(() => trainNet(n, { x, y }, {
        solver, learnRate, maxEpochs: 200, miniBatchSize: 4, verbose: true,
        progressSink: { iteration: (info) => { before.push(weightsOf(n)); perEpoch = info.iterationsPerEpoch; } },
      }));
      const m = /^trainNet: the (loss became (?:NaN|-?Infinity)|weights became non-finite \(.*\)) at epoch (\d+), iteration (\d+); the net keeps the last finite weights, those that gave a finite loss at epoch (\d+), iteration (\d+) \(before its update\)\. Lower learnRate/.exec(error.message);
      expect(m, error.message).not.toBeNull();
      const [, what, failedEpoch, failedIteration, epoch, iteration] = m!;
      const failedAt = (+failedEpoch - 1) * perEpoch + +failedIteration, keptFrom = (+epoch - 1) * perEpoch + +iteration;
      // a non-finite loss goes back one iteration (the step before it broke the weights); a non-finite weight undoes its own step
      expect(keptFrom).toBe(what.startsWith("loss") ? failedAt - 1 : failedAt);
      expect(weightsOf(n)).toEqual(before[keptFrom - 1]);
      for (const p of predict(n, x)) expect(Array.from(p.data).every(Number.isFinite)).toBe(true);
      expect(Number.isFinite(evaluate(n, { x, y }).loss)).toBe(true);
      expect(error.history?.stoppedBy).toBe("error");
      expect(error.history?.outputEpoch).toBe(+epoch);
      expect(error.history?.epoch.length).toBe(+failedEpoch - 1);
    });
  }

  it("a first loss that is not finite leaves the initial weights, and says so", () => {
    const n = net();
    const initial = weightsOf(n);
    n.parameters[Object.keys(n.parameters)[0]].data[0] = NaN;
    initial[0][0] = NaN;
    // mse (crossentropy would first refuse the NaN output as not probabilities)
    const error = failure(() => trainNet(n, { x, y: x.map(() => [0.5, 0.5]) }, { verbose: false, loss: "mse" }));
    expect(error.message).toMatch(/^trainNet: the loss became NaN at epoch 1, iteration 1; the net keeps its initial weights \(they gave this loss\)/);
    expect(weightsOf(n)).toEqual(initial);
    expect(error.history?.outputEpoch).toBe(0);
  });
});

describe("a run that ends with an error leaves the documented output network", () => {
  // validation labels opposite to the training labels: the validation loss is lowest early, then rises
  const validationData = { x, y: y.map((c) => 1 - c) };
  const options = { miniBatchSize: 4, learnRate: 0.02, verbose: false, maxEpochs: 30, validationData } as const;

  it('onProgress throws with outputNetwork "best-validation": the net holds the best epoch\'s weights and the error carries the history', () => {
    const n = net();
    const thrown = new Error("stop from onProgress");
    const error = failure(() => trainNet(n, { x, y }, {
      ...options, outputNetwork: "best-validation", onProgress: (info) => { if (info.epoch === 12) throw thrown; },
    }));
    expect(error).toBe(thrown); // the caller's own error, unchanged but for its history
    const history = error.history!;
    expect(history.epoch).toEqual(Array.from({ length: 12 }, (_, i) => i + 1));
    expect(history.stoppedBy).toBe("error");
    const best = history.validationLoss.indexOf(Math.min(...history.validationLoss)) + 1;
    expect(best).toBeLessThan(12);
    expect(history.outputEpoch).toBe(best);
    expect(evaluate(n, validationData).loss).toBeCloseTo(history.validationLoss[best - 1], 5);
    expect(Object.keys(error)).not.toContain("history"); // not enumerable: printing the error does not dump the history
  });

  it("with the default outputNetwork the net holds the weights of the epoch that threw; a progress sink that throws is handled alike", () => {
    const n = net();
    const error = failure(() => trainNet(n, { x, y }, { ...options, onProgress: (info) => { if (info.epoch === 5) throw new Error("no"); } }));
    expect(error.history!.outputEpoch).toBe(5);
    expect(evaluate(n, validationData).loss).toBeCloseTo(error.history!.validationLoss[4], 5);
    const m = net();
    const fromSink = failure(() => trainNet(m, { x, y }, {
      ...options, verbose: true, outputNetwork: "best-validation", progressSink: { epoch: (info) => { if (info.epoch === 10) throw new Error("sink"); } },
    }));
    const best = fromSink.history!.validationLoss.indexOf(Math.min(...fromSink.history!.validationLoss)) + 1;
    expect(fromSink.history!.outputEpoch).toBe(best);
    expect(evaluate(m, validationData).loss).toBeCloseTo(fromSink.history!.validationLoss[best - 1], 5);
  });

  it('divergence with outputNetwork "best-validation" restores the best epoch and says so', () => {
    const n = net();
    // spoil a weight after epoch 8: the next loss is NaN
    const error = failure(() => trainNet(n, { x, y }, {
      ...options, outputNetwork: "best-validation", onProgress: (info) => { if (info.epoch === 8) Object.values(n.parameters)[0].data[0] = NaN; },
    }));
    const history = error.history!;
    const best = history.validationLoss.indexOf(Math.min(...history.validationLoss)) + 1;
    expect(error.message).toMatch(new RegExp(`^trainNet: the loss became NaN at epoch 9, iteration 1; the net keeps the weights of epoch ${best}, the lowest validation loss \\(outputNetwork "best-validation"\\)`));
    expect(history.outputEpoch).toBe(best);
    expect(evaluate(n, validationData).loss).toBeCloseTo(history.validationLoss[best - 1], 5);
  });

  it("a thrown value that is not an object passes through as it was", () => {
    expect(() => trainNet(net(), { x, y }, { ...options, onProgress: () => { throw "plain"; } })).toThrow("plain");
  });
});
