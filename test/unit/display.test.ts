// layer.toString() / util.inspect(layer): MATLAB-style properties, no private fields; net.summary(): the table.
import { inspect } from "node:util";
import { describe, expect, it } from "vitest";
import { additiveScoring } from "../helpers/scoringNets.js";
import {
  attentionLayer, sequenceAttentionLayer, fullyConnectedLayer, globalAveragePooling1dLayer, layerNormalizationLayer, netChain, netGraph, selfAttentionLayer,
  sequenceInputLayer, softmaxLayer,
} from "../../src/index.js";

const seedNet = () => netChain([
  sequenceInputLayer(12, { normalization: "zscore", name: "sequenceInput" }), selfAttentionLayer(4, 12, { name: "attention" }),
  layerNormalizationLayer({ name: "norm" }), globalAveragePooling1dLayer({ name: "pool" }), fullyConnectedLayer(9, { name: "fc" }), softmaxLayer({ name: "softmax" }),
]);

describe("layer display", () => {
  it("shows name, hyperparameters, ports and learnable sizes, as MATLAB does for selfAttentionLayer(8,256)", () => {
    const layer = selfAttentionLayer(8, 256, { name: "enc1", hasScoresOutput: true });
    const before = layer.toString();
    expect(before).toMatch(/^ {2}selfAttentionLayer with properties:\n\n/);
    for (const line of ["name: 'enc1'", "numHeads: 8", "numKeyChannels: 256", "inputSize: 'auto'", "hasScoresOutput: true", "attentionMask: 'none'", "outputNames: {'out' 'scores'}", "queryWeights: []"]) {
      expect(before).toContain(line);
    }
    // names are right-aligned on the colon
    const colons = before.split("\n").filter((l) => l.includes(": ")).map((l) => l.indexOf(": "));
    expect(new Set(colons).size).toBe(1);
    layer.initialize({ inputSize: 32 });
    const after = layer.toString();
    expect(after).toContain("inputSize: 32");
    expect(after).toMatch(/Learnable Parameters\n\s+queryWeights: \[256×32\]\n\s+keyWeights: \[256×32\]\n\s+valueWeights: \[256×32\]\n\s+outputWeights: \[32×256\]\n\s+queryBias: \[256\]/);
  });

  it("util.inspect shows the same and no private field", () => {
    const layer = selfAttentionLayer(2, 4).initialize({ inputSize: 4 });
    const shown = inspect(layer);
    expect(shown).toBe(layer.toString());
    for (const hidden of ["values", "userSet", "dropoutSeeds", "_inputSize", "requestedOutputSize", "Float32Array"]) expect(shown).not.toContain(hidden);
    expect(inspect(attentionLayer("Dot", { mask: "causal" }))).toMatch(/scoring: 'Dot'\n\s+mask: 'causal'[\s\S]*Learnable Parameters\n\s+No properties\./);
  });
});

describe("net.summary()", () => {
  it("lists layers, activation sizes (T = time) and learnable counts that add up to the parameters", () => {
    const net = seedNet();
    const fresh = net.summary();
    expect(fresh).toMatch(/^netChain: 6 layers, 765 learnables \(not initialized\)\n/);
    expect(fresh).toMatch(/2 +attention +selfAttentionLayer +12 +624\n/); // channels only before the net can run
    expect(fresh).toContain("(activations: channel sizes;");
    net.inputLayers[0].setStatistics(new Float64Array(12), new Float64Array(12).fill(1));
    net.initialize({ seed: 1 });
    const total = Object.values(net.parameters).reduce((s, t) => s + t.size, 0);
    const table = net.summary();
    expect(table).toMatch(new RegExp(`^netChain: 6 layers, ${total} learnables\\n`));
    expect(table).toMatch(/#\s+node\s+layer\s+activations\s+learnables\n/);
    expect(table).toMatch(/1 +sequenceInput +sequenceInputLayer +T×12 +0\n/);
    expect(table).toMatch(/3 +norm +layerNormalizationLayer +T×12 +24\n/);
    expect(table).toMatch(/4 +pool +globalAveragePooling1dLayer +12 +0\n/);
    expect(table).toMatch(/5 +fc +fullyConnectedLayer +9 +117\n/);
    expect(String(net)).toBe(table);
    expect(inspect(net)).toBe(table);
  });

  it("counts a custom scoring net's learnables (the node's row, the total, the layer's display)", () => {
    const att = sequenceAttentionLayer(additiveScoring(4), { name: "att" });
    const net = netGraph({ nodes: { seq: sequenceInputLayer(3), att }, edges: [["input", "seq"], ["seq", "att/input"], ["seq", "att/query"]] }).initialize({ seed: 3 });
    const inner = Object.values(att.parameters).reduce((s, t) => s + t.size, 0); // keyPart 3·4, queryPart 3·4 + 4, score 4
    expect(inner).toBe(32);
    expect(Object.keys(att.learnableShapes).sort()).toEqual(Object.keys(att.parameters).sort());
    expect(net.summary()).toMatch(/^2 +att +sequenceAttentionLayer +T×3 +32$/m);
    expect(net.summary()).toMatch(/^netGraph: 2 layers, 32 learnables\n/);
    expect(String(att)).toContain("scoringNet/keyPart/weights");
  });

  it("shows every output of a node with several (scores: heads × T × T)", () => {
    const net = netGraph({
      nodes: { seq: sequenceInputLayer(3), att: selfAttentionLayer(2, 4, { hasScoresOutput: true }) },
      edges: [["input", "seq"], ["seq", "att"]], outputs: { out: "att/out", scores: "att/scores" },
    }).initialize({ seed: 2 });
    expect(net.summary()).toMatch(/2 +att +selfAttentionLayer +out: T×3, scores: 2×T×T +\d+/);
  });
});
