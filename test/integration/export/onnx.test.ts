// exportOnnx checked in onnxruntime-node: padded batches of different lengths through the exported
// model against net.predict on each sequence alone.
import * as ort from "onnxruntime-node";
import { describe, expect, it } from "vitest";
import { exportOnnx, netGraph, selfAttentionLayer, fullyConnectedLayer, type NetGraph, Tensor } from "../../../src/index.js";
import { onnxTranslators } from "../../../src/export/onnx/translators.js";
import { torchTranslators } from "../../../src/export/pytorch/translators.js";
import { registeredLayerKinds } from "../../../src/nets/layerRegistry.js";
import { issueNets, layerNets, type ExportCase } from "./exportNets.js";
import { differenceFromPredict, padded, randomSequences } from "./exportHelpers.js";

async function runOnnx(net: NetGraph, c: ExportCase, seed: number) {
  const sequences = randomSequences(c.lengths, c.channels, seed, c.integers);
  const { x, mask, B, T, C } = padded(sequences);
  const session = await ort.InferenceSession.create(exportOnnx(net));
  const outputs = await session.run({ input: new ort.Tensor("float32", x, [B, T, C]), mask: new ort.Tensor("float32", mask, [B, T]) });
  const differences: Record<string, number> = {};
  for (const name of session.outputNames) differences[name] = differenceFromPredict(outputs[name].data as Float32Array, outputs[name].dims, net, c, sequences, name);
  return { differences, session };
}

describe("exportOnnx in onnxruntime-node", () => {
  for (const c of issueNets) {
    it(`${c.name}: padded batches of different lengths match predict within 1e-5 (the issue's bar is 1e-4)`, async () => {
      const net = c.build();
      for (const seed of [1, 2]) {
        const { differences, session } = await runOnnx(net, c, seed);
        expect(session.inputNames).toEqual(["input", "mask"]);
        for (const [name, d] of Object.entries(differences)) expect(d, `${c.name}, output ${name}`).toBeLessThanOrEqual(1e-5);
      }
    });
  }

  for (const c of layerNets.filter((c) => !c.torchOnly)) {
    it(`${c.name}`, async () => {
      const { differences } = await runOnnx(c.build(), c, 3);
      for (const [name, d] of Object.entries(differences)) expect(d, `${c.name}, output ${name}`).toBeLessThanOrEqual(1e-5);
    });
  }

  it("every layer kind the registry knows has an exporter (and no exporter serves an unknown kind)", () => {
    expect(Object.keys(onnxTranslators).sort()).toEqual(registeredLayerKinds().sort());
    expect(Object.keys(torchTranslators).sort()).toEqual(registeredLayerKinds().sort());
  });

  it("grouped-query selfAttentionLayer (numKeyValueHeads < numHeads) is refused by name, with the way out", () => {
    for (const c of layerNets.filter((c) => c.torchOnly)) {
      expect(() => exportOnnx(c.build())).toThrow(/exportOnnx: node "2": selfAttentionLayer.*: grouped-query attention \(numKeyValueHeads 2 < numHeads 6\) cannot be exported to ONNX yet; export to PyTorch/);
    }
  });

  it("a layer that cannot be exported gets an error naming it", () => {
    expect(() => exportOnnx(issueNets[0].build(), { nmae: "x" } as never)).toThrow(/exportOnnx: unknown option "nmae" \(did you mean "name"\?\)/);
    const unknown = Object.assign(fullyConnectedLayer(2, { name: "odd", weights: [[1], [2]], bias: [0, 0] }), {});
    Object.defineProperty(unknown, "kind", { value: "mysteryLayer" });
    expect(() => exportOnnx(unknown)).toThrow(/exportOnnx: node "odd": mysteryLayer "odd" cannot be exported \(no exporter for layer kind "mysteryLayer"/);
  });
});
