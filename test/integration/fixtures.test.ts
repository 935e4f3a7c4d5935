// The PyTorch golden cases, run through the public API: outputs, input gradients, parameter gradients; once per
// attention kernel (the layers use the default one).
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { attentionLayer, ops, selfAttentionLayer, sequenceAttentionLayer, setDefaultAttentionKernel, Tensor, valueAndGrad, type AttentionBase } from "../../src/index.js";
import { expectClose } from "../helpers/numeric.js";
import { loadCases, toTensor, type FixtureCase } from "../helpers/fixtures.js";

const TOL = { rtol: 1e-4, atol: 1e-5 };
const cases = [...loadCases("reference"), ...loadCases("extra")];

describe.each(["reference", "wasm"])("PyTorch golden cases (%s kernel)", (kernel) => {
  beforeAll(() => setDefaultAttentionKernel(kernel));
  afterAll(() => setDefaultAttentionKernel("wasm"));
  it("finds the reference cases", () => {
    expect(loadCases("reference").length).toBeGreaterThanOrEqual(15);
  });

  for (const c of cases) {
    it(`${c.file}`, () => {
      if (c.kind === "selfAttention") runSelfAttention(c);
      else runAttention(c);
    });
  }
});

function close(actual: Tensor, expected: { shape: number[]; data: number[] }, what: string) {
  expect([...actual.shape], `${what} shape`).toEqual(expected.shape);
  expectClose(actual, expected.data, TOL.rtol, TOL.atol, what);
}

function runSelfAttention(c: FixtureCase) {
  const cfg = c.config;
  const layer = selfAttentionLayer(cfg.numHeads, cfg.numKeyChannels, {
    numValueChannels: cfg.numValueChannels, outputSize: cfg.outputSize, inputSize: c.inputSize,
    attentionMask: cfg.attentionMask, hasPaddingMaskInput: cfg.hasPaddingMaskInput, hasScoresOutput: cfg.hasScoresOutput,
  });
  for (const [name, value] of Object.entries(c.params)) layer.setParameter(name, toTensor(value as never));
  const x = toTensor(c.input);
  const params = layer.parameters;
  const names = Object.keys(c.expected.grads).filter((n) => n !== "input");
  let output!: Tensor, scores: Tensor | undefined;
  const { grads } = valueAndGrad(() => {
    const r = layer.apply(cfg.hasPaddingMaskInput ? { in: x, mask: toTensor(c.mask) } : x) as Tensor | { out: Tensor; scores: Tensor };
    output = r instanceof Tensor ? r : r.out;
    scores = r instanceof Tensor ? undefined : r.scores;
    let loss = ops.sum(ops.mul(output, toTensor(c.outputGrad)));
    if (scores) loss = ops.add(loss, ops.sum(ops.mul(scores, toTensor(c.scoresGrad))));
    return loss;
  }, [x, ...names.map((n) => params[n])]);
  close(output, c.expected.output, "output");
  if (c.expected.scores) close(scores!, c.expected.scores, "scores");
  close(grads[0], c.expected.grads.input, "grad input");
  names.forEach((n, i) => close(grads[i + 1], c.expected.grads[n], `grad ${n}`));
  expect(output.data.every(Number.isFinite)).toBe(true);
}

function runAttention(c: FixtureCase) {
  const cfg = c.config;
  const options = { mask: cfg.mask, scoreRescaling: cfg.scoreRescaling, multiHead: cfg.multiHead };
  // both layers share AttentionBase; only the port names of an example differ
  const layer: AttentionBase<object> = c.kind === "sequenceAttention" ? sequenceAttentionLayer(cfg.scoring, options) : attentionLayer(cfg.scoring, options);
  if (c.params?.weights) layer.setParameter("weights", toTensor(c.params.weights));
  const ports = c.kind === "sequenceAttention" ? ["input", "query"] : ["key", "value", "query"];
  const examples: Record<string, Tensor>[] = c.batch.map((ex: Record<string, { shape: number[]; data: number[] }>) =>
    Object.fromEntries(ports.map((p) => [p, toTensor(ex[p])])) as Record<string, Tensor>);
  // per example: output and input gradients
  c.batch.forEach((ex: FixtureCase, n: number) => {
    const inputs = examples[n];
    let output!: Tensor;
    const { grads } = valueAndGrad(() => {
      output = layer.apply(inputs) as Tensor;
      return ops.sum(ops.mul(output, toTensor(ex.outputGrad)));
    }, ports.map((p) => inputs[p]));
    close(output, ex.expected.output, `example ${n + 1} output`);
    ports.forEach((p, i) => close(grads[i], ex.expected.grads[p], `example ${n + 1} grad ${p}`));
  });
  // the whole batch as a list: parameter gradients summed over examples
  if (c.expectedParamGrads?.weights) {
    const w = layer.parameters.weights;
    const { grads } = valueAndGrad(() => {
      const outs = layer.apply(examples) as Tensor[];
      return outs.map((o, n) => ops.sum(ops.mul(o, toTensor(c.batch[n].outputGrad)))).reduce((a, b) => ops.add(a, b));
    }, [w]);
    close(grads[0], c.expectedParamGrads.weights, "grad weights");
  }
}
