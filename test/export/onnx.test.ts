// exportOnnx checked in onnxruntime-node: padded batches of different lengths through the exported
// model against net.predict on each sequence alone.
import * as ort from "onnxruntime-node";
import { describe, expect, it } from "vitest";
import { additionLayer, exportOnnx, netGraph, selfAttentionLayer, fullyConnectedLayer, type NetGraph, Tensor, attentionLayer } from "../../src/index.js";
import { LAYER_KINDS } from "../../src/export/layerKinds.js";
import { registeredLayerKinds } from "../../src/nets/layerRegistry.js";
import { issueNets, layerNets, type ExportCase } from "./exportNets.js";
import { maxDifference, padded, randomSequences } from "./exportHelpers.js";

async function runOnnx(net: NetGraph, c: ExportCase, seed: number) {
  const sequences = randomSequences(c.lengths, c.channels, seed, c.integers);
  const { x, mask, B, T, C } = padded(sequences);
  const session = await ort.InferenceSession.create(exportOnnx(net));
  const outputs = await session.run({ input: new ort.Tensor("float32", x, [B, T, C]), mask: new ort.Tensor("float32", mask, [B, T]) });
  const expected = net.predict(sequences) as (Tensor | Record<string, Tensor>)[];
  const differences: Record<string, number> = {};
  for (const name of session.outputNames) {
    const perSequence = expected.map((e) => (e instanceof Tensor ? e : e[name]));
    differences[name] = maxDifference(outputs[name].data as Float32Array, outputs[name].dims, perSequence);
  }
  return { differences, session };
}

describe("exportOnnx in onnxruntime-node", () => {
  for (const c of issueNets) {
    it(`${c.name}: padded batches of different lengths match predict (bar 1e-4)`, async () => {
      const net = c.build();
      for (const seed of [1, 2]) {
        const { differences, session } = await runOnnx(net, c, seed);
        expect(session.inputNames).toEqual(["input", "mask"]);
        for (const [name, d] of Object.entries(differences)) expect(d, `${c.name}, output ${name}`).toBeLessThanOrEqual(1e-5);
      }
    });
  }

  for (const c of layerNets) {
    it(`${c.name}`, async () => {
      const { differences } = await runOnnx(c.build(), c, 3);
      for (const [name, d] of Object.entries(differences)) expect(d, `${c.name}, output ${name}`).toBeLessThanOrEqual(1e-5);
    });
  }

  it("a graph with a padding-mask input and no sequence lengths takes its inputs by port name", async () => {
    const net = netGraph({
      nodes: { att: selfAttentionLayer(2, 4, { hasPaddingMaskInput: true }), fc: fullyConnectedLayer(3) },
      edges: [["x", "att/in"], ["m", "att/mask"], ["att", "fc"]], inputs: ["x", "m"],
    }).initialize({ seed: 5, xSize: 4, mSize: 1 });
    const [x] = randomSequences([3 * 5], 4, 9);
    const m = Float32Array.from([1, 1, 1, 0, 0, 1, 0, 0, 0, 0, 0, 0, 0, 0, 0]); // the last row sees no key: zeros, not NaN
    const session = await ort.InferenceSession.create(exportOnnx(net));
    expect(session.inputNames).toEqual(["x", "m"]);
    const out = await session.run({ x: new ort.Tensor("float32", x.data, [3, 5, 4]), m: new ort.Tensor("float32", m, [3, 5]) });
    const expected = net.predict({ x: new Tensor(x.data, [3, 5, 4]), m: new Tensor(m, [3, 5]) }) as Tensor;
    expect(maxDifference(out.output.data as Float32Array, [1, expected.size], [expected])).toBeLessThanOrEqual(1e-5);
  });

  it("every layer kind the registry knows has an exporter", () => {
    expect([...registeredLayerKinds].sort()).toEqual([...LAYER_KINDS].sort());
  });

  it("a layer that cannot be exported gets an error naming it", () => {
    const scorer = netGraph({
      nodes: { fk: fullyConnectedLayer(1), fq: fullyConnectedLayer(1), sum: additionLayer(2) },
      edges: [["input", "fk"], ["query", "fq"], ["fk", "sum/in1"], ["fq", "sum/in2"]], inputs: ["input", "query"],
    });
    const custom = netGraph({
      nodes: { att: attentionLayer(scorer, { name: "scorer" }) }, edges: [["k", "att/key"], ["k", "att/value"], ["k", "att/query"]], inputs: ["k"],
    }).initialize({ kSize: 3 });
    expect(() => exportOnnx(custom)).toThrow(/^exportOnnx: node "att": attentionLayer "scorer": custom scoring nets cannot be exported yet/);
    const unknown = Object.assign(fullyConnectedLayer(2, { name: "odd", weights: [[1], [2]], bias: [0, 0] }), {});
    Object.defineProperty(unknown, "kind", { value: "mysteryLayer" });
    expect(() => exportOnnx(unknown)).toThrow(/exportOnnx: node "odd": mysteryLayer "odd" cannot be exported \(no exporter for layer kind "mysteryLayer"/);
  });
});
