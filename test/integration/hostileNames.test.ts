// Names from files are untrusted (issue 15, point 1): a net file's author chooses every layer, node, port and
// net name. Hostile names (triple quotes, quotes, backslashes, newlines, \r, escape sequences, astral and
// bidi characters, U+2028, 1000 characters) must survive serializeNet/deserializeNet and saveNet/loadNet
// unchanged, then reach the generated Python only as escaped text (the module imports and runs forward and
// nothing else: the payload would create a marker file), ONNX only as plain internal names (the model still
// loads in onnxruntime with the net's port names), the report only as escaped markup, and messages only
// quoted (no raw control character reaches a terminal). NUL, lone surrogates and names over 1000 characters
// are refused where a net is built, so also when a crafted file is loaded.
//
// On 66c981d every test here fails: the docstring and comments took names raw (the marker is created, or the
// module does not even compile: "\N{" in a docstring is a SyntaxError), a node named "children" was shadowed
// by Module.children, ONNX node names carried the raw names, the report cut astral characters in half (a
// lone surrogate in the SVG), layerLabel and netGraph printed names raw, any name was accepted, and a layer
// named "a/b" could not be put in a netChain (so not exported).
import { spawnSync } from "node:child_process";
import { existsSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import * as ort from "onnxruntime-node";
import protobuf from "protobufjs/light.js";
import { beforeAll, describe, expect, it } from "vitest";
import {
  decodeSafetensors, deserializeNet, encodeSafetensors, exportOnnx, exportPyTorch, fullyConnectedLayer, globalAveragePooling1dLayer, importPyTorchWeights,
  Layer, loadNet, netChain, netGraph, type NetGraph, saveNet, selfAttentionLayer, sequenceInputLayer, serializeNet, softmaxLayer, Tensor,
} from "../../src/node/index.js";
import { onnxSchema } from "../../src/export/onnx/onnxSchema.js";
import { heatmapSvg, lineChartSvg, reportHtml } from "../../app/report/svg.js";
import { itWithTorch, PYTHON, torchVersion } from "./export/torchAvailable.js";
import { tempDir } from "../helpers/tempDir.js";

const dir = tempDir("hostile");
const MARKER = join(dir, "pwned");
/** Python that creates the marker file (no "/" in it: node names may not hold one). */
const PAYLOAD = '__import__("os").open(__import__("os").environ["HOSTILE_MARKER"], 65)';

const NAMES = {
  tripleQuotes: `x"""\n${PAYLOAD}\n"""`, // closes the module docstring on 66c981d
  intoForward: `fc\n        ${PAYLOAD}  #`, // leaves a `#` comment into forward()
  carriageReturn: `cr\r        ${PAYLOAD}  #`, // Python ends lines at \r too
  quotes: `'q' "d" \\ \\N{oops} \\x \\`, // \N{ in a docstring is a SyntaxError
  control: "esc\u001b[2J\u0007bell\ttab\u007fdel\u0085nel\u000bvt\u000cff",
  unicode: "é 日本 😀 𝔘 \u2028 \u2029 \u202eevil\u202c \ufeff",
  long: `${"long".repeat(249)}long`, // 1000 characters: the longest name allowed
};

/** The Python payload never ran: no marker. */
const expectNoMarker = () => expect(existsSync(MARKER), `the hostile payload ran and created ${MARKER}`).toBe(false);

/** What a terminal acts on or hides; none of it may reach a message. */
const UNPRINTABLE = /[\u0000-\u001f\u007f-\u009f\u2028\u2029\u202a-\u202e\u2066-\u2069\ufeff]/;

/** A chain (a sequence net: forward(x, mask)) whose net and layer names are all hostile. */
function hostileChain(): NetGraph {
  return netChain([
    sequenceInputLayer(3, { name: NAMES.unicode }),
    fullyConnectedLayer(4, { name: NAMES.intoForward }),
    selfAttentionLayer(1, 2, { name: NAMES.carriageReturn }),
    globalAveragePooling1dLayer({ name: NAMES.quotes }),
    fullyConnectedLayer(2, { name: NAMES.control }),
    softmaxLayer({ name: NAMES.long }),
  ], { name: NAMES.tripleQuotes }).initialize({ seed: 1 });
}

const IN = `in"""\n${PAYLOAD}\n#'`;
const OUT = [`out"""\n${PAYLOAD}\n"""`, `out2\\N{\r${PAYLOAD}`];
/** A graph without sequence input (forward(self, <port>)): hostile node, port and net names, and nodes named like Module's attributes. */
function hostileGraph(): NetGraph {
  return netGraph({
    nodes: { children: fullyConnectedLayer(3, { name: NAMES.intoForward }), [NAMES.tripleQuotes]: fullyConnectedLayer(3), _modules: fullyConnectedLayer(2, { name: NAMES.unicode }), __class__: fullyConnectedLayer(2) },
    edges: [[IN, "children"], ["children", NAMES.tripleQuotes], [NAMES.tripleQuotes, "_modules"], ["_modules", "__class__"]],
    inputs: [IN], outputs: { [OUT[0]]: NAMES.tripleQuotes, [OUT[1]]: "__class__" }, name: NAMES.quotes,
  }).initialize({ seed: 2, [`${IN}Size`]: 3 });
}

/** Every name in a net: its own, its nodes' and its ports'. */
const namesOf = (net: NetGraph) => ({ name: net.name, nodes: Object.keys(net.nodes), layers: Object.values(net.nodes).map((l) => l.name), inputs: net.inputNames, outputs: net.outputNames });

/** The same net after a trip through a file: serializeNet/deserializeNet, then saveNet/loadNet; every name survives. */
function throughFiles(net: NetGraph, file: string): NetGraph {
  const bytes = deserializeNet<NetGraph>(serializeNet(net));
  saveNet(bytes, join(dir, file));
  const loaded = loadNet(join(dir, file)) as NetGraph;
  expect(namesOf(loaded)).toEqual(namesOf(net));
  return loaded;
}

const data = (B: number, T: number, C: number, seed: number) => new Tensor(Float32Array.from({ length: B * T * C }, (_, i) => Math.sin(seed + i * 0.7)), [B, T, C]);

interface Case { name: string; net: NetGraph; inputs: Tensor[]; expected: Record<string, Tensor> }
let cases: Case[] = [];

beforeAll(() => {
  const chain = throughFiles(hostileChain(), "chain.safetensors"), graph = throughFiles(hostileGraph(), "graph.safetensors");
  const x = data(2, 4, 3, 1), mask = new Tensor(new Float32Array(8).fill(1), [2, 4]);
  const chainOut = chain.predict(x) as Tensor, graphOut = graph.predict({ [IN]: x }) as Record<string, Tensor>;
  cases = [
    { name: "chain", net: chain, inputs: [x, mask], expected: { "": chainOut } },
    { name: "graph", net: graph, inputs: [x], expected: graphOut },
  ];
});

describe("exportPyTorch with hostile names", () => {
  let results: Record<string, { doc: string; input_names: string[]; output_names: string[]; outputs: Record<string, { data: number[]; shape: number[] }> }> = {};
  let codes: string[] = [];
  let run: ReturnType<typeof spawnSync> | undefined;

  beforeAll(() => {
    if (!torchVersion) return;
    const job = {
      cases: cases.map((c, i) => {
        const { code, weights } = exportPyTorch(c.net);
        codes.push(code);
        writeFileSync(join(dir, `hostile${i}.py`), code);
        writeFileSync(join(dir, `hostile${i}.safetensors`), weights);
        return { name: c.name, code: join(dir, `hostile${i}.py`), weights: join(dir, `hostile${i}.safetensors`), inputs: c.inputs.map((t) => ({ data: Array.from(t.data), shape: t.shape })) };
      }),
    };
    writeFileSync(join(dir, "job.json"), JSON.stringify(job));
    run = spawnSync(PYTHON, [join(import.meta.dirname, "export", "hostileHarness.py"), join(dir, "job.json"), join(dir, "result.json")], { encoding: "utf8", env: { ...process.env, HOSTILE_MARKER: MARKER } });
    if (run.status === 0) results = JSON.parse(readFileSync(join(dir, "result.json"), "utf8"));
  }, 120_000);

  itWithTorch("the modules import and run forward without running the payload, and match predict", () => {
    expectNoMarker();
    expect(run?.status, `hostileHarness.py failed:\n${run?.stderr}`).toBe(0);
    for (const c of cases) {
      const r = results[c.name];
      expect(Object.keys(r.outputs)).toEqual(Object.keys(c.expected));
      for (const [k, want] of Object.entries(c.expected)) {
        expect(r.outputs[k].shape, `${c.name} output ${k}`).toEqual(want.shape);
        const worst = Math.max(...want.data.map((v, i) => Math.abs(v - r.outputs[k].data[i])));
        expect(worst, `${c.name} output ${JSON.stringify(k)}: PyTorch vs predict`).toBeLessThanOrEqual(1e-5);
      }
    }
  });

  itWithTorch("names reach Python exactly, through escapes: the docstring reads the net's label, input_names and output_names the ports", () => {
    for (const c of cases) expect(results[c.name]?.doc.startsWith(`${c.net.label} as a PyTorch module`), results[c.name]?.doc.slice(0, 200)).toBe(true);
    expect(results.graph?.input_names).toEqual([IN]);
    expect(results.graph?.output_names).toEqual(OUT);
    expect(results.chain?.output_names).toEqual(["output"]);
  });

  itWithTorch("every name is written as printable ASCII: no line break, control or bidi character from a name is in the code", () => {
    for (const code of codes) {
      expect(code).not.toMatch(/[\r\u0000-\u0008\u000b-\u001f\u007f-\u009f\u2028\u2029\u202a-\u202e\ufeff]/);
      expect(code).not.toContain(PAYLOAD); // only its escaped form: __import__(\"os\")…
    }
  });
});

describe("exportOnnx with hostile names", () => {
  const modelType = protobuf.Root.fromJSON(onnxSchema as unknown as protobuf.INamespace).lookupType("onnx.ModelProto");
  type Model = { docString: string; graph: { name: string; node: { name: string; output: string[] }[]; initializer: { name: string }[]; input: { name: string }[]; output: { name: string }[] } };

  it("loads in onnxruntime with the net's port names, matches predict, and keeps raw names out of its internal names", async () => {
    for (const c of cases) {
      const bytes = exportOnnx(c.net, { name: NAMES.unicode, docString: `${NAMES.tripleQuotes} \ud800 lone` });
      const session = await ort.InferenceSession.create(bytes);
      const ports = c.name === "chain" ? ["input", "mask"] : [IN];
      expect(session.inputNames).toEqual(ports);
      expect(session.outputNames).toEqual(c.net.outputNames);
      const feeds = Object.fromEntries(ports.map((p, i) => [p, new ort.Tensor("float32", c.inputs[i].data, [...c.inputs[i].shape])]));
      const got = await session.run(feeds);
      for (const [k, want] of Object.entries(c.expected)) {
        const out = got[k === "" ? c.net.outputNames[0] : k];
        const worst = Math.max(...want.data.map((v, i) => Math.abs(v - (out.data as Float32Array)[i])));
        expect(worst, `${c.name} output ${JSON.stringify(k)}: onnxruntime vs predict`).toBeLessThanOrEqual(1e-5);
      }
      const model = modelType.toObject(modelType.decode(bytes), { defaults: true }) as Model;
      const ends = new Set([...model.graph.input, ...model.graph.output].map((v) => v.name));
      const internal = [...model.graph.node.flatMap((n) => [n.name, ...n.output]), ...model.graph.initializer.map((t) => t.name)].filter((n) => !ends.has(n));
      for (const name of internal) expect(name).toMatch(/^[A-Za-z0-9_.:/-]+$/);
      expect(model.graph.name).toBe(NAMES.unicode);
      expect(model.docString).toBe(`${NAMES.tripleQuotes} \ufffd lone`); // a lone surrogate cannot be UTF-8
    }
    expect(() => exportOnnx(cases[1].net, { docString: 5 as unknown as string })).toThrow("exportOnnx: docString must be a string, got 5");
    // ports whose names become the same plain text keep distinct symbolic sizes (and "batch" stays shared)
    const twoPorts = netGraph({ nodes: { f: fullyConnectedLayer(1), g: fullyConnectedLayer(1) }, edges: [["a b", "f"], ["a_b", "g"]], inputs: ["a b", "a_b"], outputs: { y: "f", z: "g" } })
      .initialize({ seed: 1, "a bSize": 2, a_bSize: 3 });
    const model = modelType.toObject(modelType.decode(exportOnnx(twoPorts)), { defaults: true }) as { graph: { input: { type: { tensorType: { shape: { dim: { dimParam: string }[] } } } }[] } };
    expect(model.graph.input.map((i) => i.type.tensorType.shape.dim.map((d) => d.dimParam))).toEqual([["batch", "time", "a_b_channels"], ["batch", "time", "a_b_channels_1"]]);
    const session = await ort.InferenceSession.create(exportOnnx(twoPorts));
    const got = await session.run({ "a b": new ort.Tensor("float32", new Float32Array(2), [1, 1, 2]), a_b: new ort.Tensor("float32", new Float32Array(3), [1, 1, 3]) });
    expect(Object.keys(got).sort()).toEqual(["y", "z"]);
  });

  it("decoding (exportOnnx { decoding: true }): cache names are plain text, made unique in pairs, and the model decodes as the net does", async () => {
    // hostile node names; "a b" and "a_b" escape alike, and the net's output takes the first's present name
    const causal = () => selfAttentionLayer(1, 2, { attentionMask: "causal" });
    const net = netGraph({
      nodes: { [NAMES.carriageReturn]: causal(), "a b": causal(), a_b: causal(), [NAMES.unicode]: fullyConnectedLayer(2) },
      edges: [[IN, NAMES.carriageReturn], [NAMES.carriageReturn, "a b"], ["a b", "a_b"], ["a_b", NAMES.unicode]],
      inputs: [IN], outputs: { present_key_a_b: NAMES.unicode },
    }).initialize({ seed: 4, [`${IN}Size`]: 3 });
    const bytes = exportOnnx(net, { decoding: true });
    const session = await ort.InferenceSession.create(bytes);
    const caches = session.inputNames.slice(1);
    expect(session.inputNames[0]).toBe(IN);
    expect(caches).toHaveLength(6);
    for (const name of caches) expect(name).toMatch(/^past_(key|value)_[A-Za-z0-9_.:/-]+$/);
    expect(caches.slice(2)).toEqual(["past_key_a_b_1", "past_value_a_b_1", "past_key_a_b_2", "past_value_a_b_2"]); // present_key_a_b is the net's output
    expect(session.outputNames).toEqual(["present_key_a_b", ...caches.map((n) => n.replace(/^past_/, "present_"))]);
    const model = modelType.toObject(modelType.decode(bytes), { defaults: true }) as Model;
    const internal = [...model.graph.node.flatMap((n) => [n.name, ...n.output]), ...model.graph.initializer.map((t) => t.name)].filter((n) => n !== "present_key_a_b");
    for (const name of internal) expect(name).toMatch(/^[A-Za-z0-9_.:/-]+$/);
    // two calls through past/present give what the net's decoder gives
    const x = data(1, 5, 3, 7), decoder = net.startDecoding();
    let past: Record<string, ort.Tensor> = Object.fromEntries(caches.map((n) => [n, new ort.Tensor("float32", new Float32Array(0), [1, 1, 0, 2])]));
    for (const [from, to] of [[0, 3], [3, 5]]) {
      const piece = new Tensor(x.data.slice(from * 3, to * 3), [1, to - from, 3]);
      const got = await session.run({ [IN]: new ort.Tensor("float32", piece.data, [1, to - from, 3]), ...past });
      past = Object.fromEntries(caches.map((n) => [n, got[n.replace(/^past_/, "present_")]]));
      const want = decoder.next(piece) as Tensor;
      const worst = Math.max(...want.data.map((v, i) => Math.abs(v - (got.present_key_a_b.data as Float32Array)[i])));
      expect(worst, `positions ${from}…${to - 1}`).toBeLessThanOrEqual(1e-5);
    }
  });
});

describe("the report with hostile labels", () => {
  const astral = "😀".repeat(300), oddAstral = `a${astral}`;
  const labels = [...Object.values(NAMES), astral, oddAstral];
  /** Text that XML can hold: the report drops C0 controls (not \t \n \r) and U+FFFE/U+FFFF. */
  const asXmlText = (s: string) => s.replace(/[\u0000-\u0008\u000b\u000c\u000e-\u001f\ufffe\uffff]/g, "");
  const svgs = labels.map((label, i) => [
    lineChartSvg({ title: label, xLabel: label, yLabel: label, series: [{ name: label, x: [1, 2], y: [0.5, 0.25] }, { name: `s${i}`, x: [1, 2], y: [1, 2] }] }),
    heatmapSvg({ title: label, values: [1, 2, 3, 4], rows: 2, cols: 2, xLabel: label, yLabel: label, rowLabels: [label, "b"], colLabels: ["c", label] }),
  ]).flat();
  const html = reportHtml({ title: NAMES.tripleQuotes, summaryRows: labels.map((l) => [l, l]), figures: labels.map((l, i) => ({ title: l, file: `f${i}.svg`, caption: l })) });

  it("is well-formed Unicode (a cut never splits a surrogate pair), so UTF-8 stores it exactly", () => {
    for (const markup of [...svgs, html]) expect(Buffer.from(markup, "utf8").toString("utf8") === markup, markup.slice(0, 80)).toBe(true);
  });

  it("parses as XML (SVG) and HTML whose text is the labels, escaped and not interpreted", () => {
    const files = svgs.map((svg, i) => {
      writeFileSync(join(dir, `report${i}.svg`), svg);
      return join(dir, `report${i}.svg`);
    });
    writeFileSync(join(dir, "report.html"), html);
    const script = `
import json, sys, xml.etree.ElementTree as ET
from html.parser import HTMLParser
texts = [["".join(e.itertext()) for e in ET.parse(f).getroot().iter("{http://www.w3.org/2000/svg}text")] for f in sys.argv[2:]]
class P(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True); self.cells = []; self.tags = []
    def handle_starttag(self, tag, attrs): self.tags.append(tag)
    def handle_data(self, d):
        if self.tags and self.tags[-1] in ("td", "th", "title", "strong", "span"): self.cells.append(d)
p = P(); p.feed(open(sys.argv[1], encoding="utf-8").read())
print(json.dumps({"svg": texts, "html": p.cells, "tags": sorted(set(p.tags))}))`;
    const run = spawnSync(PYTHON, ["-c", script, join(dir, "report.html"), ...files], { encoding: "utf8" });
    expect(run.status, run.stderr).toBe(0);
    const parsed = JSON.parse(run.stdout) as { svg: string[][]; html: string[]; tags: string[] };
    // every label shows as itself, or (where it is cut to fit) as a prefix of itself ending in "…"
    labels.forEach((label, i) => {
      for (const texts of [parsed.svg[2 * i], parsed.svg[2 * i + 1]]) {
        const title = texts[0];
        const clean = asXmlText(label);
        expect(title === clean || (title.endsWith("…") && clean.startsWith(title.slice(0, -1))), `label ${i}: ${JSON.stringify(title.slice(0, 60))}`).toBe(true);
      }
    });
    for (const l of labels) expect(parsed.html.filter((t) => t === asXmlText(l)).length, JSON.stringify(l.slice(0, 40))).toBeGreaterThanOrEqual(3); // th, td, strong
    expect(parsed.tags).toEqual(["body", "figcaption", "figure", "h1", "head", "html", "img", "main", "meta", "span", "strong", "style", "table", "tbody", "td", "th", "title", "tr"]);
  });
});

describe("hostile names in messages and tables", () => {
  it("layer labels quote and escape the name, so no control character reaches a terminal", () => {
    for (const name of Object.values(NAMES)) {
      const fc = fullyConnectedLayer(2, { name }).initialize({ inputSize: 3, seed: 1 });
      let message = "";
      try {
        fc.apply(new Tensor(new Float32Array(4), [1, 4]));
      } catch (e) {
        message = (e as Error).message;
      }
      expect(message).toMatch(/^fullyConnectedLayer ".*": .*4 channels/);
      expect(message).not.toMatch(UNPRINTABLE);
      expect(JSON.parse(message.slice("fullyConnectedLayer ".length, message.indexOf('": ') + 1))).toBe(name); // the quoting is JSON's
    }
  });

  it("netGraph messages and the summary table escape node and port names", () => {
    const bad = () => netGraph({ nodes: { [NAMES.control]: fullyConnectedLayer(2) }, edges: [[IN, `${NAMES.control}/nope`]], inputs: [IN] });
    expect(bad).toThrow(/has no input "nope"/);
    try {
      bad();
    } catch (e) {
      expect((e as Error).message).not.toMatch(UNPRINTABLE);
      expect((e as Error).message).toContain('node "esc\\u001b[2J\\u0007bell\\ttab\\u007fdel\\u0085nel\\u000bvt\\fff"');
    }
    const summary = cases[0].net.summary();
    const lines = summary.split("\n");
    expect(lines).toHaveLength(8); // title, header, six rows: no name broke a line
    for (const line of lines) expect(line).not.toMatch(UNPRINTABLE);
    expect(lines[3]).toMatch(/^2 +fc\\n {8}__import__\("os"\).* +fullyConnectedLayer +T×4 +16$/);
  });
});

describe("hostile names in a loaded file's messages", () => {
  it("a tensor name that fits no parameter is quoted and escaped in deserializeNet's message", () => {
    const { tensors, metadata } = decodeSafetensors(serializeNet(netChain([sequenceInputLayer(3), fullyConnectedLayer(2, { name: "fc" })]).initialize({ seed: 1 })));
    const hostile = "fc/\u001b[2J\u001b]0;owned\u0007\r\u009bevil";
    const crafted = encodeSafetensors({ ...tensors, [hostile]: tensors["fc/bias"] }, { format: metadata.format, config: metadata.config });
    let message = "";
    try {
      deserializeNet(crafted);
    } catch (e) {
      message = (e as Error).message;
    }
    expect(message).toContain('tensor "fc/\\u001b[2J\\u001b]0;owned\\u0007\\r\\u009bevil"');
    expect(message).toContain('unknown parameter "fc/\\u001b[2J');
    expect(message).not.toMatch(UNPRINTABLE);
  });
});

describe("hostile tensor names in importPyTorchWeights' messages", () => {
  it("an unexpected tensor's name is escaped", () => {
    const net = netChain([sequenceInputLayer(3), fullyConnectedLayer(2, { name: "fc" })]).initialize({ seed: 1 });
    const { tensors } = decodeSafetensors(exportPyTorch(net).weights);
    const crafted = encodeSafetensors({ ...tensors, "x\u001b[2J\r\nfake: all fine": tensors["fc.bias"] });
    expect(() => importPyTorchWeights(net, crafted)).toThrow("unexpected x\\u001b[2J\\r\\nfake: all fine (expected: fc.weight, fc.bias)");
  });
});

describe("the name rule (checkName), where nets are built and files are loaded", () => {
  const cases: [string, string][] = [["NUL", "a\u0000b"], ["1001 characters", "n".repeat(1001)], ["a lone surrogate", "a\ud800b"], ["5000 characters", "x".repeat(5000)]];

  it.each(cases)("a name with %s is refused by layers, netGraph nodes, ports and nets", (_what, name) => {
    const message = /must not contain NUL|must be at most 1000 characters|must be well-formed Unicode/;
    expect(() => fullyConnectedLayer(2, { name })).toThrow(message);
    expect(() => selfAttentionLayer(1, 2, { name })).toThrow(message);
    expect(() => netChain([fullyConnectedLayer(2)], { name })).toThrow(message);
    expect(() => netGraph({ nodes: { [name]: fullyConnectedLayer(2) }, edges: [["input", name]] })).toThrow(message);
    expect(() => netGraph({ nodes: { fc: fullyConnectedLayer(2) }, edges: [[name, "fc"]], inputs: [name] })).toThrow(message);
    expect(() => netGraph({ nodes: { fc: fullyConnectedLayer(2) }, edges: [["input", "fc"]], outputs: { [name]: "fc" } })).toThrow(message);
    try {
      fullyConnectedLayer(2, { name });
    } catch (e) {
      expect((e as Error).message.length).toBeLessThan(200);
      expect((e as Error).message).not.toMatch(UNPRINTABLE);
    }
  });

  it.each(cases)("a crafted net file whose layer name has %s is refused by deserializeNet", (_what, name) => {
    const placeholder = "PLACEHOLDER";
    const { tensors, metadata } = decodeSafetensors(serializeNet(netChain([sequenceInputLayer(3), fullyConnectedLayer(2, { name: placeholder })]).initialize({ seed: 1 })));
    // the author's own writer: same tensors, a config naming the layer `name`, no checksum of the config
    const config = metadata.config.replace(JSON.stringify(placeholder), JSON.stringify(name));
    const crafted = encodeSafetensors(tensors, { format: metadata.format, config });
    expect(() => deserializeNet(crafted)).toThrow(/^deserializeNet: the config does not describe a valid net: fullyConnectedLayer: name must (not contain NUL|be at most 1000 characters|be well-formed Unicode)/);
    // the same file with the placeholder loads: the rule, not the crafting, refuses it
    expect(deserializeNet(encodeSafetensors(tensors, { format: metadata.format, config: metadata.config }))).toBeInstanceOf(Layer);
  });

  it("a 1000-character name and a name with \"/\" are fine: a netChain names a \"/\" layer's node by its position, so it still exports", () => {
    const net = netChain([sequenceInputLayer(3), fullyConnectedLayer(2, { name: "a/b" }), fullyConnectedLayer(2, { name: NAMES.long })]).initialize({ seed: 1 });
    expect(Object.keys(net.nodes)).toEqual(["1", "2", NAMES.long]);
    expect(net.nodes["2"].name).toBe("a/b");
    expect(exportPyTorch(net).code).toContain("# 2: fullyConnectedLayer");
    expect(exportOnnx(fullyConnectedLayer(2, { name: "a/b" }).initialize({ inputSize: 3, seed: 1 })).length).toBeGreaterThan(0);
  });
});
