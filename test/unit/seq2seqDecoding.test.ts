// Decoding a multi-input net with fixed inputs (docs/architecture.md "Decoding state", fixed inputs): a
// Bahdanau-style seq2seq net whose source is given once to startDecoding (the bidirectional encoder runs then)
// and whose target side steps. The invariant: for every split of the target-side input into next() calls, the
// concatenated outputs equal net.predict({ source, previous }) within float32 rounding; for ragged batches of
// sources, length-1 sequences, forks and row selection; and the refusals, named.
import { describe, expect, it } from "vitest";
import {
  additionLayer, attentionLayer, embeddingLayer, fullyConnectedLayer, gruLayer, lstmLayer, netGraph, Random, sequenceAttentionLayer, sequenceInputLayer, Tensor,
  type NetGraph,
} from "../../src/index.js";
import { compositions } from "../helpers/decoding.js";
import { expectClose, randomTensor } from "../helpers/numeric.js";
import { bahdanauNet, idBatch, predictPair, randomIds, type Seq2seqOptions } from "../helpers/seq2seq.js";

const V = 5;
const random = new Random(23);
const close = (actual: Tensor | Float32Array, expected: Tensor, what: string) => expectClose(actual instanceof Tensor ? actual.data : actual, expected.data, 1e-5, 1e-6, what);

/** Feeds `previous` in `pieces` to a decoder fixed on `source` and returns the outputs concatenated. */
function decodePieces(net: NetGraph, source: number[], previous: number[], pieces: readonly number[]): Float32Array {
  const dec = net.startDecoding({ inputs: { source } });
  const out: number[] = [];
  let t = 0;
  for (const n of pieces) {
    const y = dec.next(previous.slice(t, t + n)) as Tensor;
    expect(y.shape).toEqual([n, V]);
    out.push(...y.data);
    t += n;
  }
  expect(dec.position).toBe(previous.length);
  return Float32Array.from(out);
}

const variants: [string, Seq2seqOptions][] = [
  ["additive scoring", {}],
  ["Bilinear scoring, lengthSqrt", { scoring: "Bilinear", attention: { scoreRescaling: "lengthSqrt" } }],
  ["additive scoring, dimensionSqrt, ending in softmax", { attention: { scoreRescaling: "dimensionSqrt" }, softmax: true }],
];

describe("seq2seq decoding with a fixed source", () => {
  for (const [what, options] of variants) {
    it(`${what}: every split of a target of 6 equals net.predict({ source, previous })`, () => {
      const net = bahdanauNet(options);
      const source = randomIds(4, V, random), previous = randomIds(6, V, random);
      const whole = predictPair(net, source, previous);
      for (const pieces of compositions(6)) close(decodePieces(net, source, previous, pieces), whole, `pieces ${pieces}`);
    });

    it(`${what}: a batch of sources of different lengths (a list), stepped together and raggedly`, () => {
      const net = bahdanauNet(options);
      const sources = [randomIds(5, V, random), randomIds(2, V, random), randomIds(1, V, random)];
      const previous = sources.map(() => randomIds(4, V, random));
      const alone = sources.map((s, b) => predictPair(net, s, previous[b]));
      // one position per row per call, as a [B, 1] batch
      const dec = net.startDecoding({ inputs: { source: sources } });
      expect(dec.batch).toBe(3);
      const steps = [0, 1, 2, 3].map((t) => dec.next(new Tensor(Float32Array.from(previous.map((p) => p[t])), [3, 1])) as Tensor);
      for (let b = 0; b < 3; b++) close(Float32Array.from(steps.flatMap((y) => Array.from(y.data.subarray(b * V, (b + 1) * V)))), alone[b], `row ${b + 1}`);
      // rows given different numbers of new positions per call (a list of id arrays)
      const ragged = net.startDecoding({ inputs: { source: sources } });
      const first = ragged.next([previous[0].slice(0, 3), previous[1].slice(0, 1), previous[2].slice(0, 2)]) as Tensor[];
      const second = ragged.next([previous[0].slice(3), previous[1].slice(1), previous[2].slice(2)]) as Tensor[];
      expect(ragged.position).toEqual([4, 4, 4]);
      for (let b = 0; b < 3; b++) close(Float32Array.from([...first[b].data, ...second[b].data]), alone[b], `ragged row ${b + 1}`);
    });
  }

  it("length-1 source and length-1 target", () => {
    const net = bahdanauNet();
    const whole = predictPair(net, [3], [2]);
    close(net.startDecoding({ inputs: { source: [3] } }).next([2]) as Tensor, whole, "one step");
    // a batch [B, Ts] of sources, as a tensor
    const dec = net.startDecoding({ inputs: { source: new Tensor(Float32Array.from([3, 1]), [2, 1]) } });
    const y = dec.next(new Tensor(Float32Array.from([2, 4]), [2, 1])) as Tensor;
    expect(y.shape).toEqual([2, 1, V]);
    close(y.data.slice(0, V), whole, "row 1");
    close(y.data.slice(V), predictPair(net, [1], [4]), "row 2");
  });

  it("fork continues independently; select(rows) reorders and repeats rows (fixed values with them)", () => {
    const net = bahdanauNet();
    const sources = [randomIds(3, V, random), randomIds(5, V, random)];
    const dec = net.startDecoding({ inputs: { source: sources } });
    dec.next(new Tensor(Float32Array.from([1, 2]), [2, 1]));
    const copy = dec.fork();
    const a = dec.next(new Tensor(Float32Array.from([3, 4]), [2, 1])) as Tensor;
    const b = copy.next(new Tensor(Float32Array.from([0, 0]), [2, 1])) as Tensor;
    close(a.data.slice(0, V), new Tensor(predictPair(net, sources[0], [1, 3]).data.slice(V), [1, V]), "dec row 1");
    close(b.data.slice(V), new Tensor(predictPair(net, sources[1], [2, 0]).data.slice(V), [1, V]), "fork row 2");
    // rows 1, 0, 1 of the forked decoder (after [1, 0] and [2, 0])
    const picked = copy.select([1, 0, 1]);
    expect(picked.position).toEqual([2, 2, 2]);
    const y = picked.next(new Tensor(Float32Array.from([4, 4, 1]), [3, 1])) as Tensor;
    close(y.data.slice(0, V), new Tensor(predictPair(net, sources[1], [2, 0, 4]).data.slice(2 * V), [1, V]), "picked row 1");
    close(y.data.slice(V, 2 * V), new Tensor(predictPair(net, sources[0], [1, 0, 4]).data.slice(2 * V), [1, V]), "picked row 2");
    close(y.data.slice(2 * V), new Tensor(predictPair(net, sources[1], [2, 0, 1]).data.slice(2 * V), [1, V]), "picked row 3");
    expect(copy.position).toEqual([2, 2]); // select leaves its decoder as it was
    expect(() => copy.select([2])).toThrow(/decoder.select: rows\[0\] is 2, but the decoder has rows 0 … 1/);
  });

  it("select(rows) of the same batch size reorders what the attention kept of the fixed keys (their padding included)", () => {
    const net = bahdanauNet();
    const sources = [randomIds(2, V, random), randomIds(5, V, random), randomIds(3, V, random)];
    const dec = net.startDecoding({ inputs: { source: sources } });
    dec.next(new Tensor(Float32Array.from([1, 2, 3]), [3, 1]));
    const picked = dec.select([2, 0, 1]);
    const y = picked.next(new Tensor(Float32Array.from([4, 0, 2]), [3, 1])) as Tensor;
    const previous = [[3, 4], [1, 0], [2, 2]]; // picked rows: sources 2, 0, 1
    [2, 0, 1].forEach((s, i) => close(y.data.slice(i * V, (i + 1) * V), new Tensor(predictPair(net, sources[s], previous[i]).data.slice(V), [1, V]), `picked row ${i + 1}`));
  });

  it("a failing next() changes nothing", () => {
    const net = bahdanauNet();
    const source = [1, 4, 2], previous = [0, 3, 2];
    const dec = net.startDecoding({ inputs: { source } });
    dec.next([0]);
    expect(() => dec.next([3, V])).toThrow(/node "targetEmbedding".*indices must be integers in \[0, 5\)/);
    expect(dec.position).toBe(1);
    close(dec.next([3, 2]) as Tensor, new Tensor(predictPair(net, source, previous).data.slice(V), [2, V]), "after the failure");
  });

  it("fixed initial states: the encoder's final state starts the decoder's GRU (hasStateInputs)", () => {
    const net = netGraph({
      inputs: ["source", "previous"],
      nodes: {
        sourceEmbedding: embeddingLayer(3, V), encoder: gruLayer(4, { hasStateOutputs: true }), targetEmbedding: embeddingLayer(3, V),
        decoder: gruLayer(4, { hasStateInputs: true }), logits: fullyConnectedLayer(V),
      },
      edges: [["source", "sourceEmbedding"], ["sourceEmbedding", "encoder"], ["previous", "targetEmbedding"], ["targetEmbedding", "decoder/in"],
        ["encoder/hidden", "decoder/hidden"], ["decoder", "logits"]],
      outputs: { output: "logits" },
    }).initialize({ seed: 3, sourceSize: 1, previousSize: 1 });
    const source = randomIds(4, V, random), previous = randomIds(5, V, random);
    const whole = predictPair(net, source, previous);
    for (const pieces of compositions(5)) close(decodePieces(net, source, previous, pieces), whole, `pieces ${pieces}`);
  });

  it("fixed initial states of an LSTM: the encoder's final hidden and cell states start the decoder's LSTM, over every split", () => {
    const net = netGraph({
      inputs: ["source", "previous"],
      nodes: {
        sourceEmbedding: embeddingLayer(3, V), encoder: lstmLayer(4, { hasStateOutputs: true }), targetEmbedding: embeddingLayer(3, V),
        decoder: lstmLayer(4, { hasStateInputs: true }), logits: fullyConnectedLayer(V),
      },
      edges: [["source", "sourceEmbedding"], ["sourceEmbedding", "encoder"], ["previous", "targetEmbedding"], ["targetEmbedding", "decoder/in"],
        ["encoder/hidden", "decoder/hidden"], ["encoder/cell", "decoder/cell"], ["decoder", "logits"]],
      outputs: { output: "logits" },
    }).initialize({ seed: 4 });
    const source = randomIds(4, V, random), previous = randomIds(5, V, random);
    const whole = predictPair(net, source, previous);
    for (const pieces of compositions(5)) close(decodePieces(net, source, previous, pieces), whole, `pieces ${pieces}`);
  });
});

/** Two id inputs, each embedded, added (in1 from the first, in2 from the second). */
function sumOfEmbeddings(first: string, second: string): NetGraph {
  return netGraph({
    inputs: [first, second],
    nodes: { x: embeddingLayer(3, V), y: embeddingLayer(3, V), sum: additionLayer(2) },
    edges: [[first, "x"], [second, "y"], ["x", "sum/in1"], ["y", "sum/in2"]],
  }).initialize({ seed: 1, [`${first}Size`]: 1, [`${second}Size`]: 1 });
}

describe("a fixed graph input that is a state, not a sequence", () => {
  it("an initial hidden state given as a fixed input [H] (one row) or a batch [B, H]; the vector input steps", () => {
    const C = 3, H = 4;
    const net = netGraph({
      inputs: ["x", "h0"],
      nodes: { in: sequenceInputLayer(C), gru: gruLayer(H, { hasStateInputs: true }), fc: fullyConnectedLayer(2) },
      edges: [["x", "in"], ["in", "gru/in"], ["h0", "gru/hidden"], ["gru", "fc"]],
    }).initialize({ seed: 6, h0Size: H });
    const x = randomTensor([5, C], random), h0 = randomTensor([H], random);
    const whole = net.predict({ x, h0 }) as Tensor; // [5, 2]
    const dec = net.startDecoding({ inputs: { h0 } });
    const first = dec.next(new Tensor(x.data.slice(0, 2 * C), [2, C])) as Tensor, rest = dec.next(new Tensor(x.data.slice(2 * C), [3, C])) as Tensor;
    expectClose(Float32Array.from([...first.data, ...rest.data]), whole.data, 1e-5, 1e-6, "one row");
    const h1 = randomTensor([H], random);
    const batch = net.startDecoding({ inputs: { h0: new Tensor(Float32Array.from([...h0.data, ...h1.data]), [2, H]) } });
    const y = batch.next(new Tensor(Float32Array.from([...x.data, ...x.data]), [2, 5, C])) as Tensor;
    expectClose(y.data.slice(0, 10), whole.data, 1e-5, 1e-6, "batch row 1");
    expectClose(y.data.slice(10), (net.predict({ x, h0: h1 }) as Tensor).data, 1e-5, 1e-6, "batch row 2");
    expect(() => net.startDecoding({ inputs: { h0: randomTensor([2, 2, H], random) } })).toThrow(/inputs.h0 must be rank 1 \(one row\), a batch or a list of rows, got shape \[2, 2, 4\]/);
  });
});

describe("decoding with fixed inputs: refusals", () => {
  const net = bahdanauNet();
  it("the source not fixed: the bidirectional encoder cannot step", () => {
    expect(() => net.startDecoding()).toThrow(/node "encoder": gruLayer: cannot decode step by step: it is bidirectional.*\(the net steps all of its inputs source, previous; fix those that stay the same, such as a seq2seq source, with startDecoding\(\{ inputs: \{ source: … \} \}\)\)/);
  });
  it("unknown, all-fixed, and mismatched inputs", () => {
    expect(() => net.startDecoding({ inputs: { sourc: [1] } })).toThrow(/startDecoding: inputs has an unknown port "sourc" \(the net's inputs: source, previous\)/);
    expect(() => net.startDecoding({ inputs: { source: [1], previous: [2] } })).toThrow(/every input \(source, previous\) is fixed/);
    expect(() => net.startDecoding({ inputs: { source: [[1, 2], [3]] }, batch: 3 })).toThrow(/batch is 3 but the fixed inputs have 2 rows/);
    expect(() => net.startDecoding({ inputs: { source: [] } })).toThrow(/inputs.source must be token ids .* with at least one position, got shape \[0\]/);
    expect(() => net.startDecoding({ inputs: { source: [[1, 2], [3]] } }).next([1])).toThrow(/decoder.next: the decoder was started for 2 sequences but got 1/);
  });
  it("a fixed query, or a causal mask between fixed keys and stepped queries", () => {
    const cross = (mask: "causal" | "none", fixed: "source" | "previous") => {
      const g = netGraph({
        inputs: ["source", "previous"],
        nodes: { s: embeddingLayer(3, V), p: embeddingLayer(3, V), attention: attentionLayer("Bilinear", { mask }), logits: fullyConnectedLayer(V) },
        edges: [["source", "s"], ["previous", "p"], ["s", "attention/key"], ["s", "attention/value"], ["p", "attention/query"], ["attention", "logits"]],
      }).initialize({ seed: 1, sourceSize: 1, previousSize: 1 });
      return g.startDecoding({ inputs: { [fixed]: [1, 2] } });
    };
    expect(() => cross("none", "source")).not.toThrow();
    expect(() => cross("causal", "source")).toThrow(/node "attention": attentionLayer cannot decode step by step: "key" and "value" come from the decoder's fixed inputs and "query" steps, but its mask is "causal": a causal mask between fixed keys and stepped queries is not supported/);
    expect(() => cross("none", "previous")).toThrow(/node "attention": attentionLayer cannot decode step by step: only "key" and "value" can be fixed \(cross-attention: stepped queries over a fixed memory\), but the fixed input is "query"/);
  });
  it("a position-wise layer mixing fixed and stepped inputs, and an output of fixed inputs alone", () => {
    const mixed = sumOfEmbeddings("source", "previous");
    expect(() => mixed.startDecoding({ inputs: { source: [1, 2] } })).toThrow(/node "sum": additionLayer cannot decode step by step: its input "in1" would be fixed \(computed once from the decoder's fixed inputs\) while "in2" steps/);
    const twoOutputs = netGraph({
      inputs: ["source", "previous"],
      nodes: { s: embeddingLayer(3, V), p: embeddingLayer(3, V), attention: sequenceAttentionLayer("Bilinear") },
      edges: [["source", "s"], ["previous", "p"], ["s", "attention/input"], ["p", "attention/query"]],
      outputs: { output: "attention", encoded: "s" },
    }).initialize({ seed: 1, sourceSize: 1, previousSize: 1 });
    expect(() => twoOutputs.startDecoding({ inputs: { source: [1, 2] } })).toThrow(/output "encoded" depends on the fixed inputs \(source\) alone/);
  });
  it("several stepped inputs take a record of them", () => {
    const both = sumOfEmbeddings("a", "b");
    const whole = both.predict({ a: idBatch([1, 2, 3]), b: idBatch([4, 0, 1]) }) as Tensor;
    const dec = both.startDecoding();
    const y = [dec.next({ a: [1], b: [4] }) as Tensor, dec.next({ a: [2, 3], b: [0, 1] }) as Tensor];
    expectClose(Float32Array.from(y.flatMap((t) => Array.from(t.data))), whole.data, 0, 0, "record steps");
    expect(() => dec.next([1])).toThrow(/decoder.next: the net steps inputs "a", "b"; pass a record of them by port/);
    expect(() => dec.next({ a: [1] })).toThrow(/missing stepped input "b"/);
    expect(() => dec.next({ a: [1], b: [1, 2] })).toThrow(/the stepped inputs must give the same number of new positions per row/);
    expect(() => dec.next({ a: [1], b: [2], c: [3] })).toThrow(/unknown stepped input "c" \(stepped inputs: "a", "b"\)/);
  });
});
