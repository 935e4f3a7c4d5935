// exportOnnx of multiHead attentionLayer (heads on the second-to-last axis of every
// port) in onnxruntime-node: batches of several examples against the layer applied to each example alone, and
// against net.predict for a net around the layer; within 1e-5 like the other export tests.
import * as ort from "onnxruntime-node";
import { describe, expect, it } from "vitest";
import {
  attentionLayer, exportOnnx, exportPyTorch, fullyConnectedLayer, netGraph, ops, Random, tanhLayer, Tensor, type Layer, type NetGraph,
} from "../../../src/index.js";
import { additiveScoring } from "../../helpers/scoringNets.js";
import { maxDifference } from "./exportHelpers.js";

const random = new Random(41);
const rt = (...shape: number[]) => new Tensor(Float32Array.from({ length: shape.reduce((p, d) => p * d, 1) }, () => random.normal()), shape);
const exampleOf = (x: Tensor, b: number) => ops.reshape(ops.slice(x, 0, b, b + 1), x.shape.slice(1));

/** Runs the exported model on `feeds` (batch tensors by input name) and returns the output named `name`. */
async function runExported(layerOrNet: Layer, feeds: Record<string, Tensor>, name: string) {
  const session = await ort.InferenceSession.create(exportOnnx(layerOrNet));
  expect([...session.inputNames].sort()).toEqual(Object.keys(feeds).sort());
  const outputs = await session.run(Object.fromEntries(Object.entries(feeds).map(([k, t]) => [k, new ort.Tensor("float32", t.data, t.shape)])));
  return outputs[name];
}

interface Case { name: string; layer: () => Layer; ports: Record<string, number[]> }

// B examples; key/value share their positions; sizes odd on purpose, one head and length-1 positions included
const cases: Case[] = [
  { name: "Dot, 2 heads", layer: () => attentionLayer("Dot", { multiHead: true }), ports: { key: [3, 5, 2, 3], value: [3, 5, 2, 4], query: [3, 4, 2, 3] } },
  { name: "Bilinear, causal, lengthSqrt, 3 heads", layer: () => attentionLayer("Bilinear", { multiHead: true, mask: "causal", scoreRescaling: "lengthSqrt" }).initialize({ keySize: 2, querySize: 5, seed: 3 }),
    ports: { key: [2, 6, 3, 2], value: [2, 6, 3, 3], query: [2, 6, 3, 5] } },
  { name: "Dot, causal window 2, dimensionSqrt, 1 head", layer: () => attentionLayer("Dot", { multiHead: true, mask: { causal: 2 }, scoreRescaling: "dimensionSqrt" }),
    ports: { key: [3, 5, 1, 4], value: [3, 5, 1, 1], query: [3, 5, 1, 4] } },
  { name: "Dot, one query position", layer: () => attentionLayer("Dot", { multiHead: true }), ports: { key: [3, 5, 2, 4], value: [3, 5, 2, 3], query: [3, 1, 2, 4] } },
  { name: "Dot, lengthSqrt, one key position", layer: () => attentionLayer("Dot", { multiHead: true, scoreRescaling: "lengthSqrt" }), ports: { key: [2, 1, 2, 3], value: [2, 1, 2, 2], query: [2, 3, 2, 3] } },
  { name: "custom scoring net, causal, lengthSqrt, 2 heads", layer: () => attentionLayer(additiveScoring(3), { multiHead: true, mask: "causal", scoreRescaling: "lengthSqrt" }).initialize({ keySize: 3, querySize: 2, seed: 4 }),
    ports: { key: [2, 5, 2, 3], value: [2, 5, 2, 2], query: [2, 5, 2, 2] } },
  { name: "declared shapes with two key position axes [2, 3, h, k]", layer: () => attentionLayer("Dot", { multiHead: true, key: [2, 3, 2, 4], value: [2, 3, 2, 5], query: ["varying", 2, 4] }),
    ports: { key: [2, 2, 3, 2, 4], value: [2, 2, 3, 2, 5], query: [2, 3, 2, 4] } },
];

describe("exportOnnx: multiHead attention in onnxruntime-node", () => {
  for (const c of cases) {
    it(`${c.name}: every example matches the layer applied alone within 1e-5`, async () => {
      const layer = c.layer();
      const feeds = Object.fromEntries(Object.entries(c.ports).map(([port, shape]) => [port, rt(...shape)]));
      const output = await runExported(layer, feeds, "output");
      const B = Object.values(c.ports)[0][0];
      const alone = Array.from({ length: B }, (_, b) => (layer as unknown as { apply(e: object): Tensor }).apply(Object.fromEntries(Object.entries(feeds).map(([p, t]) => [p, exampleOf(t, b)]))));
      expect(output.dims.slice(1), "one example's output shape").toEqual(alone[0].shape);
      expect(maxDifference(output.data as Float32Array, output.dims, alone)).toBeLessThanOrEqual(1e-5);
    });
  }

  it("inside a net (graph inputs → multiHead attention → fullyConnected → tanh): matches net.predict within 1e-5", async () => {
    const net: NetGraph = netGraph({
      nodes: { att: attentionLayer("Bilinear", { multiHead: true, scoreRescaling: "dimensionSqrt" }), fc: fullyConnectedLayer(3), out: tanhLayer() },
      edges: [["key", "att/key"], ["value", "att/value"], ["query", "att/query"], ["att", "fc"], ["fc", "out"]],
      inputs: ["key", "value", "query"],
    }).initialize({ keySize: 3, valueSize: 5, querySize: 2, seed: 7 });
    const feeds = { key: rt(4, 6, 3, 3), value: rt(4, 6, 3, 5), query: rt(4, 2, 3, 2) };
    const output = await runExported(net, feeds, "output");
    const expected = net.predict(feeds) as Tensor;
    expect(output.dims).toEqual(expected.shape);
    expect(maxDifference(output.data as Float32Array, [1, ...expected.shape], [expected])).toBeLessThanOrEqual(1e-5);
  });

  it("an input that reaches a multiHead port only through another layer is refused (its rank is unknown), not declared [batch, time, C]", () => {
    const net: NetGraph = netGraph({
      nodes: { fc: fullyConnectedLayer(3), att: attentionLayer("Dot", { multiHead: true, name: "heads" }) },
      edges: [["key", "fc"], ["fc", "att/key"], ["value", "att/value"], ["query", "att/query"]],
      inputs: ["key", "value", "query"],
    });
    const feeds = { key: rt(2, 3, 2, 4), value: rt(2, 3, 2, 2), query: rt(2, 3, 2, 3) };
    expect((net.predict(feeds) as Tensor).shape).toEqual([2, 3, 2, 2]); // the net itself runs
    expect(() => exportOnnx(net)).toThrow(/^exportOnnx: input "key" reaches the multiHead attentionLayer "heads" through other layers/);
  });

  it("exportPyTorch does not take multiHead yet: a clear error names the node", () => {
    expect(() => exportPyTorch(attentionLayer("Dot", { multiHead: true, name: "heads" }))).toThrow(/^exportPyTorch: node "heads": attentionLayer "heads": multiHead cannot be exported yet/);
  });
});
