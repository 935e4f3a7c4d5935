// exportPyTorch run in PyTorch (Debian's torch 1.13): the module matches net.predict on padded batches;
// after one SGD step and Net.save, importPyTorchWeights gives a net whose predictions match PyTorch's.
// All cases go through one Python process (startup is the slow part).
import { spawnSync } from "node:child_process";
import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { exportPyTorch, fullyConnectedLayer, importPyTorchWeights, netChain, sequenceInputLayer, selfAttentionLayer, Tensor, type NetGraph } from "../../../src/index.js";
import { issueNets, layerNets, type ExportCase } from "./exportNets.js";
import { differenceFromPredict, padded, randomSequences } from "./exportHelpers.js";
import { itWithTorch, PYTHON, torchVersion } from "./torchAvailable.js";
import { tempDir } from "../../helpers/tempDir.js";

interface Prepared { c: ExportCase; net: NetGraph; sequences: Tensor[]; saved: string }
type Outputs = Record<string, number[]>;
interface TorchResult { before: Outputs; after: Outputs; dims: Record<string, number[]> }

const cases = [...issueNets, ...layerNets];
const dir = tempDir("pytorch");
let prepared: Prepared[] = [];
let results: Record<string, TorchResult> = {};

beforeAll(() => {
  if (!torchVersion) return;
  prepared = cases.map((c, i) => {
    const net = c.build();
    const { code, weights } = exportPyTorch(net);
    writeFileSync(join(dir, `net${i}.py`), code);
    writeFileSync(join(dir, `net${i}.safetensors`), weights);
    return { c, net, sequences: randomSequences(c.lengths, c.channels, 40 + i, c.integers), saved: join(dir, `net${i}-trained.safetensors`) };
  });
  const job = {
    cases: prepared.map(({ c, sequences, saved }, i) => {
      const { x, mask, B, T, C } = padded(sequences);
      return { name: c.name, module: `net${i}`, code: join(dir, `net${i}.py`), weights: join(dir, `net${i}.safetensors`), saved, seed: i, learnRate: 0.05, x: Array.from(x), mask: Array.from(mask), shape: [B, T, C] };
    }),
  };
  writeFileSync(join(dir, "job.json"), JSON.stringify(job));
  const run = spawnSync(PYTHON, [join(import.meta.dirname, "torchHarness.py"), join(dir, "job.json"), join(dir, "result.json")], { encoding: "utf8" });
  if (run.status !== 0) throw new Error(`torchHarness.py failed (${run.status}):\n${run.stderr}`);
  results = JSON.parse(readFileSync(join(dir, "result.json"), "utf8"));
}, 120_000);

describe("exportPyTorch in PyTorch", () => {
  cases.forEach((c, i) => {
    const bar = issueNets.includes(c) ? " within 1e-5 (the issue's bar is 1e-4)" : " within 1e-5";
    itWithTorch(`${c.name}: the module matches predict; after an SGD step, importPyTorchWeights matches PyTorch${bar}`, () => {
      const { net, sequences, saved } = prepared[i];
      const r = results[c.name];
      for (const [k, values] of Object.entries(r.before)) {
        expect(differenceFromPredict(values, r.dims[k], net, c, sequences, k), `${c.name}: PyTorch vs predict, output "${k}"`).toBeLessThanOrEqual(1e-5);
        // the step changed the outputs (so the comparison after importing could fail)
        expect(differenceFromPredict(r.after[k], r.dims[k], net, c, sequences, k), `${c.name}: the SGD step moved output "${k}"`).toBeGreaterThan(1e-4);
      }
      importPyTorchWeights(net, readFileSync(saved));
      for (const [k, values] of Object.entries(r.after)) {
        expect(differenceFromPredict(values, r.dims[k], net, c, sequences, k), `${c.name}: PyTorch after the step vs the imported net, output "${k}"`).toBeLessThanOrEqual(1e-5);
      }
    });
  });
});

describe("importPyTorchWeights errors", () => {
  const net = () => netChain([sequenceInputLayer(3), selfAttentionLayer(1, 2, { name: "att" }), fullyConnectedLayer(2, { name: "fc" })]).initialize({ seed: 1 });

  it("names missing and unexpected tensors", () => {
    const other = netChain([sequenceInputLayer(3), fullyConnectedLayer(2, { name: "fc" })]).initialize({ seed: 1 });
    expect(() => importPyTorchWeights(net(), exportPyTorch(other).weights)).toThrow(/importPyTorchWeights: the file does not fit netChain: missing att\.query\.weight, att\.query\.bias, .*\(expected: /);
    expect(() => importPyTorchWeights(other, exportPyTorch(net()).weights)).toThrow(/unexpected att\.key\.bias, att\.key\.weight/);
  });

  it("names a tensor whose shape is wrong, and changes nothing", () => {
    const wider = netChain([sequenceInputLayer(3), selfAttentionLayer(1, 2, { name: "att" }), fullyConnectedLayer(4, { name: "fc" })]).initialize({ seed: 1 });
    const target = net();
    const before = target.parameters["att/queryWeights"].data.slice();
    expect(() => importPyTorchWeights(target, exportPyTorch(wider).weights)).toThrow(/importPyTorchWeights: tensor "fc\.weight" of node fc \(fullyConnectedLayer "fc"\) has shape \[4, 3\], expected \[2, 3\]/);
    expect(target.parameters["att/queryWeights"].data).toEqual(before);
  });

  it("rejects bytes that are not safetensors", () => {
    expect(() => importPyTorchWeights(net(), new Uint8Array([1, 2, 3]))).toThrow(/importPyTorchWeights: not a valid safetensors file/);
  });

  it("a round trip without training gives back the same parameters", () => {
    const a = net(), b = netChain([sequenceInputLayer(3), selfAttentionLayer(1, 2, { name: "att" }), fullyConnectedLayer(2, { name: "fc" })]).initialize({ seed: 2 });
    importPyTorchWeights(b, exportPyTorch(a).weights);
    for (const [name, t] of Object.entries(a.parameters)) expect(b.parameters[name].data, name).toEqual(t.data);
  });
});
