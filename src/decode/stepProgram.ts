// A decoding step of one new position, run as one kernel call (src/kernels/wasm/stepProgram.ts): the net's layers
// written once as operations on buffers in kernel memory, then run per token on all threads, which share each
// product's columns and each attention's kv heads. Layer by layer (net.step), a token costs ~33
// separate kernel calls, each with its copies in and out and its JavaScript around it, and a worker round trip
// (~11 µs) per call made splitting them over threads a loss; here a token is one call, its values stay in kernel
// memory from layer to layer, and the threads wait for each other only where an operation reads what another wrote.
// Each operation calls the kernel the layer's own step calls, on the same ranges, in the same order, so a step
// gives the bits of net.step (the GELU differs by float32 rounding below 32 elements and layer normalization not
// at all, where net.step runs its JavaScript references), at every thread count.
// It takes the nets made of the layers a small language model is built from: embeddingLayer fed by the net's one
// input (token ids), positionEmbeddingLayer, additionLayer, layerNormalizationLayer, fullyConnectedLayer,
// geluLayer, reluLayer, dropoutLayer (nothing at inference) and causal selfAttentionLayer; batch 1, one position
// per call, no fixed inputs. Anything else, and any step whose values a check refuses (an id out of range, a
// position past maxPosition, magnitudes float32 cannot hold in attention, NaN or ±∞ in a cache), takes net.step,
// which computes it or throws the usual error; nothing is kept from a refused step.
import { forwardFits } from "../kernels/wasm/attentionRange.js";
import { FIELDS, type Field, type ResidentKeys } from "../kernels/wasm/attention.js";
import { arenaChanges } from "../kernels/wasm/cacheArena.js";
import { wasmKernels, wasmUsable } from "../kernels/wasm/loader.js";
import { residentEpoch, residentOffset } from "../kernels/wasm/resident.js";
import { getNumThreads } from "../kernels/wasm/threads.js";
import { floatWord, StepProgram, stepScratchBytes, type External, type Local, type Operand } from "../kernels/wasm/stepProgram.js";
import { ActivationLayer } from "../layers/activationLayers.js";
import { AdditionLayer } from "../layers/additionLayer.js";
import { SelfAttentionLayer } from "../layers/attention/selfAttentionLayer.js";
import { DropoutLayer } from "../layers/dropoutLayer.js";
import { EmbeddingLayer, PositionEmbeddingLayer } from "../layers/embeddingLayers.js";
import { FullyConnectedLayer } from "../layers/fullyConnectedLayer.js";
import { LayerNormalizationLayer } from "../layers/layerNormalizationLayer.js";
import type { NetValue } from "../layers/layer.js";
import type { NetGraph, NetSource } from "../nets/netGraph.js";
import { Tensor } from "../tensor/tensor.js";
import type { KeyValueCache } from "./keyValueCache.js";
import type { NetState, RowPositions } from "./state.js";

/** What the operations read per step (through Externals). */
interface Frame {
  /** threads the run uses */
  threads: number;
  token: number;
  /** each attention node's cache in kernel memory this step, and its length before the step */
  caches: Map<string, { keys: ResidentKeys; length: number }>;
  positions: Map<string, number>;
}

interface AttentionSite {
  node: string;
  H: number; Hkv: number; D: number; Dv: number; scale: number;
  /** this step's key and value (heads in order), and what the program measured of them and of the query */
  k: Local; v: Local; stats: Local;
  /** words per kv head of `stats` (assembly/attention.ts's STATS_WORDS) */
  statsWords: number;
  /** this step's new key and value: their largest finite |k| and |v| */
  measured: { k: number; v: number; nonFinite: boolean };
}

interface Compiled {
  program: StepProgram;
  frame: Frame;
  scratchBytes: number;
  /** keys each attention's partials have room for */
  maxKeys: number;
  attentions: AttentionSite[];
  embeddings: EmbeddingLayer[];
  positions: { node: string; layer: PositionEmbeddingLayer }[];
  outputs: { name: string; local: Local; size: number }[];
}

/** Each net's program (null: a net it does not take), for the parameter list it was made from (a new list: weights replaced or resized). */
const compiled = new WeakMap<NetGraph, { parameters: readonly Tensor[]; program: Compiled | null }>();
let enabled = true;
let runs = 0;

/** Turns step programs on or off (for the tests, which hold them to net.step); returns the previous setting. */
export function useStepPrograms(on: boolean): boolean {
  const was = enabled;
  enabled = on;
  return was;
}

/** How many decoding steps ran as step programs so far (for the tests: proof of the path taken). */
export function stepProgramRuns(): number {
  return runs;
}

/**
 * Row 0's one new position (token id `token`) through the net as a step program: the net's outputs [1, 1, size],
 * with the caches and positions of `state` advanced; null (the state untouched) where net.step must do it.
 * Runs inside withResident (the decoder's), where the weights have their copies in kernel memory.
 */
export function programStep(net: NetGraph, state: NetState, token: number): Record<string, NetValue> | null {
  if (!enabled || !wasmUsable() || state.memory.size > 0) return null;
  const c = programFor(net, state);
  if (!c) return null;
  if (!c.embeddings.every((e) => Number.isInteger(token) && token >= 0 && token < e.numWords)) return null;
  const frame = c.frame;
  frame.token = token;
  frame.threads = getNumThreads();
  for (const { node, layer } of c.positions) {
    const p = (state.nodes.get(node) as RowPositions).rows[0];
    if (p + 1 > layer.maxPosition) return null; // net.step throws the error that says so
    frame.positions.set(node, p);
  }
  if (!placeCaches(c.attentions, state, frame)) return null;
  const run = c.program.run(c.scratchBytes, `${residentEpoch()} ${frame.threads}`);
  if (!run) return null;
  // the range check: the attention kernel's "fits" verdict over the query, the cache, and the new key and value
  // (the program measured those three into each kv head's stats row: [any NaN or ±∞, largest finite |q|, |k|, |v|, …])
  for (const site of c.attentions) {
    const W = site.statsWords, { keys, length } = frame.caches.get(site.node)!, stats = run.floats(site.stats, site.Hkv * W), flags = run.words(site.stats, site.Hkv * W);
    const m = { q: 0, k: 0, v: 0, dOut: 0, dWeights: 0, nonFinite: keys.measured.nonFinite };
    for (let h = 0; h < site.Hkv * W; h += W) {
      m.nonFinite ||= flags[h] !== 0;
      m.q = Math.max(m.q, stats[h + 1]); m.k = Math.max(m.k, stats[h + 2]); m.v = Math.max(m.v, stats[h + 3]);
    }
    site.measured = { k: m.k, v: m.v, nonFinite: false };
    m.k = Math.max(m.k, keys.measured.k); m.v = Math.max(m.v, keys.measured.v);
    if (m.nonFinite || !forwardFits({ scale: site.scale, D: site.D, Tk: length + 1 }, m)) return null;
  }
  const outs: Record<string, NetValue> = {};
  for (const o of c.outputs) {
    const data = new Float32Array(o.size);
    data.set(run.floats(o.local, o.size));
    outs[o.name] = { x: new Tensor(data, [1, 1, o.size]), lengths: [1] };
  }
  // commit: nothing above changed the state
  for (const site of c.attentions) {
    (state.nodes.get(site.node) as KeyValueCache).appendWritten(0, run.floats(site.k, site.Hkv * site.D), run.floats(site.v, site.Hkv * site.Dv), site.measured);
  }
  for (const { node } of c.positions) (state.nodes.get(node) as RowPositions).rows[0]++;
  runs++;
  return outs;
}

/**
 * The net's program with room for this step's keys, made again when the weights were replaced (a new parameter
 * list) or the caches outgrew it; null for a net it does not take, or a state of several rows.
 */
function programFor(net: NetGraph, state: NetState): Compiled | null {
  let entry = compiled.get(net);
  if (!entry || entry.parameters !== net.parameterList) compiled.set(net, (entry = { parameters: net.parameterList, program: compile(net, MIN_KEYS) }));
  if (!entry.program) return null;
  let longest = 1;
  for (const site of entry.program.attentions) {
    const cache = state.nodes.get(site.node) as KeyValueCache;
    if (cache.batch !== 1) return null;
    longest = Math.max(longest, cache.lengths[0] + 1);
  }
  if (entry.program.maxKeys < longest) entry.program = compile(net, 2 ** Math.ceil(Math.log2(longest)));
  return entry.program;
}

/** Keys a program's attention partials have room for at first (they double as the caches outgrow them). */
const MIN_KEYS = 256;

/**
 * Each cache's copy in kernel memory with room for this step's position, into the frame. Fetching one may move
 * another's (an arena allocation compacts), so it fetches them again until a pass allocates nothing; false when
 * that does not settle, or a cache does not fit there.
 */
function placeCaches(sites: readonly AttentionSite[], state: NetState, frame: Frame): boolean {
  for (let pass = 0; pass < 3; pass++) {
    const before = arenaChanges();
    for (const { node } of sites) {
      const cache = state.nodes.get(node) as KeyValueCache, keys = cache.residentForStep(0), placed = frame.caches.get(node);
      if (!keys) return false;
      if (placed) { placed.keys = keys; placed.length = cache.lengths[0]; } else frame.caches.set(node, { keys, length: cache.lengths[0] });
    }
    if (arenaChanges() === before) return true;
  }
  return false;
}


/** The net as a step program with attention partials for up to `maxKeys` keys; null when some node is not one it takes. */
function compile(net: NetGraph, maxKeys: number): Compiled | null {
  if (net.inputNames.length !== 1 || !net.isIdInput(net.inputNames[0])) return null;
  const program = new StepProgram(), frame: Frame = { threads: 1, token: 0, caches: new Map(), positions: new Map() };
  const external = (read: () => number | undefined): External => ({ kind: "external", read });
  const perStep = (read: () => number | undefined): External => ({ kind: "external", read, perStep: true });
  const values = new Map<string, { local: Local; size: number }>();
  const keyOf = (s: NetSource) => (s.node === undefined ? `input ${s.port}` : `${s.node}/${s.port}`);
  const token = program.words([perStep(() => frame.token)]);
  const c: Compiled = { program, frame, scratchBytes: 0, maxKeys, attentions: [], embeddings: [], positions: [], outputs: [] };
  const exports = wasmKernels().exports as unknown as { attentionDecodeChunk(): number; attentionStatsWords(): number };
  let D4max = 4, Dv4max = 4;
  // how many node inputs and net outputs read each value: a product's output that only an elementwise layer reads is
  // finished by the product's items (act(x·Wᵀ + b) + r on their columns), saving that layer a pass and a wait
  const readers = new Map<string, string[]>(); // by value: the nodes that read it, "" for each net output
  const read = (key: string, by: string) => readers.set(key, [...(readers.get(key) ?? []), by]);
  for (const node of net.order) for (const port of net.nodes[node].inputNames) read(keyOf(net.inputSource(node, port)), node);
  for (const source of Object.values(net.outputSources)) read(keyOf(source), "");
  /**
   * Gives the last operation again with args[slot] = value (reading `reads` too) when it is a product whose output
   * only input `port` of `node` reads, and that slot is free (an activation comes before a residual): true if so.
   */
  const finishLast = (node: string, port: string, x: { local: Local }, slot: number, value: Operand, reads: readonly Local[]): boolean => {
    const last = lastProduct;
    if (!last || readers.get(keyOf(net.inputSource(node, port)))?.length !== 1 || last.out !== x.local || last.index !== program.operationCount - 1) return false;
    if (last.residual || (slot === LINEAR_ACT && last.act)) return false;
    const op = program.takeLast();
    op.args[slot] = value;
    program.op(op.code, op.items, op.args, [...op.reads, ...reads], op.writes);
    if (slot === LINEAR_ACT) last.act = true;
    else last.residual = true;
    return true;
  };
  let lastProduct: { out: Local; index: number; act: boolean; residual: boolean } | undefined;

  for (const node of net.order) {
    const layer = net.nodes[node];
    if (layer.outputNames.length !== 1) return null;
    const input = (port: string) => values.get(keyOf(net.inputSource(node, port)));
    const params = layer.parameters;
    const weight = (name: string): External => { const data = params[name].data; return external(() => residentOffset(data)); };
    let out: { local: Local; size: number } | undefined;
    if (layer instanceof EmbeddingLayer) {
      if (net.inputSource(node, "in").node !== undefined) return null; // ids only from the net's input
      out = { local: program.buffer(layer.dimension), size: layer.dimension };
      program.op("row", 1, [out.local, weight("weights"), token, layer.dimension], [token], [out.local]);
      c.embeddings.push(layer);
    } else if (layer instanceof PositionEmbeddingLayer) {
      const position = program.words([perStep(() => frame.positions.get(node))]);
      out = { local: program.buffer(layer.outputSize), size: layer.outputSize };
      program.op("row", 1, [out.local, weight("weights"), position, layer.outputSize], [position], [out.local]);
      c.positions.push({ node, layer });
    } else if (layer instanceof AdditionLayer) {
      const ins = layer.inputNames.map(input);
      if (ins.some((x) => !x || x.size !== ins[0]!.size)) return null;
      const [a, b] = ins as { local: Local; size: number }[];
      if (ins.length === 2 && finishLast(node, "in2", b, LINEAR_RESIDUAL, a.local, [a.local])) out = b; // x + y = y + x exactly
      else if (ins.length === 2 && finishLast(node, "in1", a, LINEAR_RESIDUAL, b.local, [b.local])) out = a;
      else {
        out = ins[0]!;
        for (const x of ins.slice(1)) { // ((in1 + in2) + in3) + …, as the layer sums
          const sum = program.buffer(out.size);
          program.op("add", 1, [sum, out.local, x!.local, out.size], [out.local, x!.local], [sum]);
          out = { local: sum, size: out.size };
        }
      }
    } else if (layer instanceof LayerNormalizationLayer) {
      const x = input("in");
      if (!x) return null;
      // read by products alone (a block's attention, its feed-forward): every thread normalizes for itself, so none waits for another
      const own = (readers.get(`${node}/${layer.outputNames[0]}`) ?? []).every((n) => n !== "" && (net.nodes[n] instanceof FullyConnectedLayer || net.nodes[n] instanceof SelfAttentionLayer));
      const C = x.size, buffer = (n: number) => (own ? program.privateBuffer(n) : program.buffer(n));
      const centered = buffer(C), sd = buffer(1), y = buffer(C);
      const args = [x.local, weight("scale"), weight("offset"), C, floatWord(layer.epsilon), centered, sd, y, 1];
      if (own) program.opOnEveryThread("layerNorm", args, [x.local], [centered, sd, y]);
      else program.op("layerNorm", 1, args, [x.local], [centered, sd, y]);
      out = { local: y, size: C };
    } else if (layer instanceof FullyConnectedLayer) {
      const x = input("in");
      if (!x) return null;
      out = linear(program, frame, x, params.weights, layer.hasBias ? params.bias : undefined);
      lastProduct = { out: out.local, index: program.operationCount - 1, act: false, residual: false };
    } else if (layer instanceof ActivationLayer && (layer.kind === "geluLayer" || layer.kind === "reluLayer")) {
      const x = input("in");
      if (!x) return null;
      const act = layer.kind === "geluLayer" ? ACT_GELU : ACT_RELU;
      if (finishLast(node, "in", x, LINEAR_ACT, act, [])) out = x;
      else {
        const y = program.buffer(x.size), per = Math.max(256, Math.ceil(x.size / 8 / 16) * 16), items = Math.ceil(x.size / per);
        if (layer.kind === "geluLayer") program.op("gelu", items, [x.local, y, 0, x.size, per], [x.local], [y]);
        else program.op("relu", items, [x.local, y, x.size, per], [x.local], [y]);
        out = { local: y, size: x.size };
      }
    } else if (layer instanceof DropoutLayer) {
      out = input("in"); // nothing at inference
    } else if (layer instanceof SelfAttentionLayer) {
      const x = input("in");
      if (!x || layer.inputNames.length !== 1) return null;
      const site = attention(program, node, layer, x, maxKeys, { chunk: exports.attentionDecodeChunk(), statsWords: exports.attentionStatsWords() }, frame, perStep);
      c.attentions.push(site.site);
      lastProduct = { out: site.out.local, index: program.operationCount - 1, act: false, residual: false }; // the output projection
      D4max = Math.max(D4max, up4(site.site.D)); Dv4max = Math.max(Dv4max, up4(site.site.Dv));
      out = site.out;
    }
    if (!out) return null;
    values.set(`${node}/${layer.outputNames[0]}`, out);
  }
  for (const [name, source] of Object.entries(net.outputSources)) {
    const v = values.get(keyOf(source));
    if (!v) return null;
    c.outputs.push({ name, ...v });
  }
  c.scratchBytes = stepScratchBytes(D4max, Dv4max);
  return c;
}

const up4 = (n: number) => (n + 3) & ~3;

/**
 * y = x·Wᵀ (+ b), W [n, k], reading W and b from their resident copies: one item per thread, each W's rows of a
 * range of output columns (contiguous: a thread streams its share alone; see ../kernels/wasm/resident.ts).
 */
function linear(program: StepProgram, frame: Frame, x: { local: Local; size: number }, w: Tensor, bias: Tensor | undefined): { local: Local; size: number } {
  const [n, k] = w.shape, y = program.buffer(n), data = w.data, biasData = bias?.data;
  const cols = () => Math.ceil(n / (2 * frame.threads) / 8) * 8; // two items per thread (claimed as they go: a thread that runs slower takes fewer); W's rows eight at a time
  program.op("linear", { kind: "external", read: () => Math.ceil(n / cols()) }, [
    x.local, { kind: "external", read: () => residentOffset(data) }, 1,
    biasData ? { kind: "external", read: () => residentOffset(biasData) } : 0, y, 1, k, n, { kind: "external", read: cols }, 0, 0,
  ], [x.local], [y]);
  return { local: y, size: n };
}

/** Where a linear operation's arguments hold its residual (a Local, or 0) and its activation (ACT_GELU, ACT_RELU or 0). */
const LINEAR_RESIDUAL = 9, LINEAR_ACT = 10;
/** The activations of assembly/stepProgram.ts's LINEAR. */
const ACT_GELU = 1, ACT_RELU = 2;

/**
 * Causal self-attention of one position: q, k, v projections; per kv head (one item each), the query into the
 * problem's layout, the new key and value into the cache, the split-K partials and their merge per query head
 * into the joined heads [H·Dv]; the output projection. The problem's fields are the ones
 * src/kernels/wasm/attention.ts writes for the same call (B = 1, Tq = 1, bottom-right causal, keys measured).
 */
function attention(
  program: StepProgram, node: string, layer: SelfAttentionLayer, x: { local: Local; size: number }, maxKeys: number, { chunk, statsWords }: { chunk: number; statsWords: number },
  frame: Frame, perStep: (read: () => number | undefined) => External,
): { site: AttentionSite; out: { local: Local; size: number } } {
  const H = layer.numHeads, Hkv = layer.numKeyValueHeads, D = layer.numKeyChannels / H, Dv = layer.numValueChannels / H;
  const D4 = up4(D), Dv4 = up4(Dv), TqP = 4, params = layer.parameters;
  const q = linear(program, frame, x, params.queryWeights, params.queryBias);
  const k = linear(program, frame, x, params.keyWeights, params.keyBias);
  const v = linear(program, frame, x, params.valueWeights, params.valueBias);
  const cache = () => frame.caches.get(node);
  const qPadded = program.buffer(H * TqP * D4), outPadded = program.buffer(H * TqP * Dv4), rowMax = program.buffer(H), rowSum = program.buffer(H);
  const stats = program.buffer(Hkv * statsWords), partials = program.buffer(H * Math.ceil(maxKeys / chunk) * TqP * (Dv4 + 2));
  const scale = 1 / Math.sqrt(D);
  const fields: Partial<Record<Field, Operand>> = {
    B: 1, H, Hkv, Tq: 1, Tk: perStep(() => { const c = cache(); return c && c.length + 1; }), D, Dv, D4, Dv4, TqP,
    TkP: perStep(() => cache()?.keys.stride), causal: 2, keepScale: floatWord(1), scale: floatWord(scale),
    q: qPadded, k: perStep(() => cache()?.keys.k), v: perStep(() => cache()?.keys.v), out: outPadded, rowMax, rowSum, stats, splitKeys: 1, keysMeasured: 1,
  };
  const problem = program.words(FIELDS.map((f) => fields[f] ?? 0));
  const position = perStep(() => cache()?.length), joined = program.buffer(H * Dv);
  program.op("attend", Hkv, [problem, q.local, k.local, v.local, position, partials, joined], [problem, q.local, k.local, v.local], [qPadded, stats, outPadded, rowMax, rowSum, partials, joined]);
  const out = linear(program, frame, { local: joined, size: H * Dv }, params.outputWeights, params.outputBias);
  return { site: { node, H, Hkv, D, Dv, scale, k: k.local, v: v.local, stats, statsWords, measured: { k: 0, v: 0, nonFinite: false } }, out };
}
