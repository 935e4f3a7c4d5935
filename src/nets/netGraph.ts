// netGraph (Wolfram NetGraph, MATLAB dlnetwork): named nodes with named ports, wired by edges.
// An edge is [from, to]: `from` is a graph input name, "node" (its only output) or "node/port";
// `to` is "node" (its only input) or "node/port". Channel sizes are inferred through the graph in
// topological order before anything runs, and errors name the node and the port.
import { Random } from "../tensor/random.js";
import type { NestedArray, OneOrList, Tensor, TensorLike } from "../tensor/tensor.js";
import type { ApplyInput } from "../layers/applyInput.js";
import { Layer, type ForwardContext, type LayerConfig, type NetValue, type ParameterFactors, type Pending } from "../layers/layer.js";
import { SequenceInputLayer } from "../layers/sequenceInputLayer.js";
import { checkInteger, checkOptionNames, checkSeed, describe, isRecord } from "../util/validate.js";
import { listNames } from "../util/listNames.js";
import { layerName } from "../layers/validate.js";
import { checkName, printable, quote } from "../util/text.js";
import { netSummary } from "./summary.js";
import { NetState, type DecodeState } from "../decode/state.js";
import { weightWrites } from "../layers/weightWrites.js";
import type { DecodingOptions } from "../decode/decoder.js";
import { startTypedDecoder, type TypedDecoder } from "../decode/typedDecoder.js";
import { CharacterEncoder } from "../text/characterEncoder.js";
import { checkEncoderFits } from "../decode/encoderFits.js";

/** A netGraph's nodes by name, its edges [from, to], and optionally its input and output ports. */
export interface NetGraphSpec {
  nodes: Record<string, Layer>;
  edges: readonly (readonly [string, string])[];
  /** the graph's input ports (default ["input"]) */
  inputs?: readonly string[];
  /** graph output port → "node" or "node/port" (default: { output: the one node output nothing consumes }) */
  outputs?: Record<string, string>;
  name?: string;
}

/** A value in a net: graph input `port` (node undefined), or output `port` of node `node`. */
export interface NetSource { readonly node?: string; readonly port: string }
type Source = NetSource;

/** True when O is a union of several names. */
type IsUnion<O extends string, All extends string = O> = O extends string ? ([All] extends [O] ? false : true) : never;

/**
 * What apply gives for one input, by the net's output names O: the value itself for one output, a record by
 * name for several (either, when the names are not known to the type system).
 */
export type NetResult<O extends string, A> =
  // (the [O] extends [infer P] wrapper lets NetGraph<"x"> be assigned to NetGraph<string>: TypeScript then compares structurally)
  [O] extends [infer P extends string] ? (string extends P ? A | Record<string, A> : true extends IsUnion<P> ? { [K in P]: A } : A) : never;

/** Inputs apply accepts besides tensors: nested arrays or a Float32Array (results come back as nested arrays). */
export type ArrayInput = NestedArray[] | Float32Array;

/** Options of a net's apply: training mode (dropout on), the dropout seed, and the attention weights. */
export interface PredictOptions {
  training?: boolean;
  seed?: number;
  /**
   * also return the softmax weights of every attention node (attentionLayer, sequenceAttentionLayer,
   * selfAttentionLayer; nested nets' as "net/node"): `{ output, weights: { node: w } }`, w as the layer's own
   * apply(…, { returnWeights: true }) gives them for that example ([query positions, key positions])
   */
  returnWeights?: boolean;
}

/** A result of predict with returnWeights: the result without it, and the attention weights by node. */
export interface WithWeights<R, A> {
  output: R;
  weights: Record<string, A>;
}

/** Marks the attention weights among a forward's results (NUL: no port name holds it), "\0weights/node". */
const WEIGHTS = "\0weights/";

/**
 * O: the names of the graph outputs ("output" unless the spec names them), so apply's result type follows them;
 * N: the nodes by name as the spec gave them, so net.nodes.fc is the layer itself (its apply typed as its own).
 */
export class NetGraph<O extends string = string, N extends Record<string, Layer> = Record<string, Layer>> extends Layer {
  readonly kind: string;
  readonly inputNames: readonly string[];
  readonly outputNames: readonly O[];
  readonly nodes: Readonly<N & Record<string, Layer>>; // by a spec's name its own type; by any string a Layer
  readonly edges: readonly (readonly [string, string])[];
  /** node names in an order where every node comes after its sources */
  readonly order: readonly string[];
  private readonly sources = new Map<string, Source>(); // "node/port" → source
  /** The net's outputs: what each is, by output name (read-only wiring, as the spec resolved it). */
  readonly outputSources: Readonly<Record<string, NetSource>>;
  private encoder: CharacterEncoder | undefined;
  /** Each node's wiring by sourceKey, resolved once here rather than at every run (a decoding step runs them all). */
  private readonly wiring = new Map<string, NodeWiring>();
  /** The graph outputs' names with the sourceKeys of their values. */
  private readonly outputKeys: readonly (readonly [string, string])[];

  /**
   * The net's text encoder (a characterEncoder), or undefined: it belongs to the net, not a layer. serializeNet
   * and saveNet write it into the file, deserializeNet and loadNet restore it, and generate and decoder.next
   * take strings through it. Set it with `net.textEncoder = characterEncoder({ fromText: corpus })`. An encoder
   * with more codes than the numWords of an embeddingLayer it feeds is refused (here, at startDecoding, generate).
   */
  get textEncoder(): CharacterEncoder | undefined {
    return this.encoder;
  }

  set textEncoder(encoder: CharacterEncoder | undefined) {
    if (encoder !== undefined && !(encoder instanceof CharacterEncoder)) throw this.error(`textEncoder must be a characterEncoder or undefined, got ${describe(encoder)}`);
    // a one-input net's embedding must have a row for every code (multi-input nets: checked at startDecoding)
    if (encoder && this.inputNames.length === 1) checkEncoderFits(this, encoder, this.inputNames, `${this.label}.textEncoder`);
    this.encoder = encoder;
  }

  /** `kind` names the net in messages ("netChain" for chains) */
  constructor(spec: NetGraphSpec, kind = "netGraph") {
    super();
    this.kind = kind;
    this.name = layerName(spec, kind);
    checkSpec(spec, this.label);
    checkOptionNames(spec, ["nodes", "edges", "inputs", "outputs", "name"], this.label);
    this.nodes = { ...spec.nodes } as N & Record<string, Layer>;
    this.edges = spec.edges.map(([a, b]) => [a, b] as const);
    this.inputNames = [...(spec.inputs ?? ["input"])];
    for (const [n, layer] of Object.entries(this.nodes)) {
      if (!(layer instanceof Layer)) throw this.error(`node ${quote(n)} is not a layer`);
      if (this.inputNames.includes(n)) throw this.error(`node ${quote(n)} has the same name as a graph input`);
      if (n.includes("/")) throw this.error(`node name ${quote(n)} must not contain "/"`);
    }
    for (const [from, to] of this.edges) this.connect(from, to);
    for (const [n, layer] of Object.entries(this.nodes)) {
      for (const port of layer.inputNames) {
        if (!this.sources.has(`${n}/${port}`)) throw this.error(`input ${quote(port)} of node ${quote(n)} (${layer.label}) is not connected`);
      }
    }
    this.order = this.topologicalOrder();
    this.outputSources = spec.outputs
      ? Object.fromEntries(Object.entries(spec.outputs).map(([name, from]) => [name, this.source(from, `output ${quote(name)}`)]))
      : { output: this.danglingOutput() };
    this.outputNames = Object.keys(this.outputSources) as O[];
    for (const n of this.order) {
      const layer = this.nodes[n];
      this.wiring.set(n, {
        layer,
        inputs: layer.inputNames.map((p) => [p, sourceKey(this.sources.get(`${n}/${p}`)!)] as const),
        outputKeys: new Map(layer.outputNames.map((p) => [p, sourceKey({ node: n, port: p })])),
      });
    }
    this.outputKeys = Object.entries(this.outputSources).map(([name, s]) => [name, sourceKey(s)] as const);
  }

  private source(from: string, where: string): Source {
    if (this.inputNames.includes(from)) return { port: from };
    const [node, port] = splitEndpoint(from);
    const layer = this.node(node);
    if (!layer) throw this.error(`${where}: ${quote(from)} is neither a node nor a graph input (nodes: ${listNames(Object.keys(this.nodes).map(printable))}; inputs: ${listNames(this.inputNames.map(printable))})`);
    if (port === undefined) {
      if (layer.outputNames.length !== 1) throw this.error(`${where}: node ${quote(node)} has outputs ${listNames(layer.outputNames.map(printable))}; name one as ${quote(`${node}/port`)}`);
      return { node, port: layer.outputNames[0] };
    }
    if (!layer.outputNames.includes(port)) throw this.error(`${where}: node ${quote(node)} has no output ${quote(port)} (outputs: ${listNames(layer.outputNames.map(printable))})`);
    return { node, port };
  }

  private connect(from: string, to: string): void {
    const src = this.source(from, `edge ${printable(from)} → ${printable(to)}`);
    const [node, port0] = splitEndpoint(to);
    const layer = this.node(node);
    if (!layer) throw this.error(`edge ${printable(from)} → ${printable(to)}: no node ${quote(node)}`);
    let port = port0;
    if (port === undefined) {
      if (layer.inputNames.length !== 1) throw this.error(`edge ${printable(from)} → ${printable(to)}: node ${quote(node)} has inputs ${listNames(layer.inputNames.map(printable))}; name one as ${quote(`${node}/port`)}`);
      port = layer.inputNames[0];
    }
    if (!layer.inputNames.includes(port)) throw this.error(`edge ${printable(from)} → ${printable(to)}: node ${quote(node)} has no input ${quote(port)} (inputs: ${listNames(layer.inputNames.map(printable))})`);
    const key = `${node}/${port}`;
    if (this.sources.has(key)) throw this.error(`input ${quote(port)} of node ${quote(node)} is connected twice`);
    this.sources.set(key, src);
  }

  /** What feeds input `port` of node `node` (read-only wiring, as the edges resolved it). */
  inputSource(node: string, port: string): NetSource {
    const layer = this.node(node);
    if (!layer) throw this.error(`no node ${quote(node)} (nodes: ${listNames(Object.keys(this.nodes).map(printable))})`);
    const source = this.sources.get(`${node}/${port}`);
    if (!source) throw this.error(`node ${quote(node)} has no input ${quote(port)} (inputs: ${listNames(layer.inputNames.map(printable))})`);
    return source;
  }

  /** The node of that name (own entries only: "toString" or "__proto__" are not nodes unless given). */
  private node(name: string): Layer | undefined {
    return Object.hasOwn(this.nodes, name) ? this.nodes[name] : undefined;
  }

  /** The nodes, each after its sources: a depth-first walk with its own stack (a file may chain 10⁵ nodes). */
  private topologicalOrder(): string[] {
    const order: string[] = [];
    const state = new Map<string, "visiting" | "done">();
    const sourcesOf = (n: string) => this.nodes[n].inputNames.map((port) => this.sources.get(`${n}/${port}`)!.node);
    for (const root of Object.keys(this.nodes)) {
      if (state.has(root)) continue;
      state.set(root, "visiting");
      const stack = [{ node: root, next: 0, sources: sourcesOf(root) }];
      while (stack.length > 0) {
        const top = stack[stack.length - 1];
        if (top.next === top.sources.length) {
          state.set(top.node, "done");
          order.push(top.node);
          stack.pop();
          continue;
        }
        const n = top.sources[top.next++];
        if (n === undefined || state.get(n) === "done") continue;
        if (state.get(n) === "visiting") {
          const path = stack.map((f) => f.node);
          throw this.error(`the edges form a cycle: ${listNames([...path.slice(path.indexOf(n)), n].map(printable), 8, " → ")}`);
        }
        state.set(n, "visiting");
        stack.push({ node: n, next: 0, sources: sourcesOf(n) });
      }
    }
    return order;
  }

  private danglingOutput(): Source {
    const consumed = new Set([...this.sources.values()].filter((s) => s.node).map((s) => `${s.node}/${s.port}`));
    const free = this.order.flatMap((n) => this.nodes[n].outputNames.map((p) => ({ node: n, port: p }))).filter((s) => !consumed.has(`${s.node}/${s.port}`));
    if (free.length !== 1) {
      throw this.error(`cannot tell the output: ${free.length === 0 ? "every node output is consumed" : `${listNames(free.map((s) => printable(`${s.node}/${s.port}`)))} are unconsumed`}; give outputs: { name: "node/port" }`);
    }
    return free[0];
  }

  /** Live parameters of every node, as "node/parameter". */
  override get parameters(): Record<string, Tensor> {
    const out: Record<string, Tensor> = {};
    for (const n of this.order) for (const [p, t] of Object.entries(this.nodes[n].parameters)) out[`${n}/${p}`] = t;
    return out;
  }

  override setParameter(name: string, value: Tensor | NestedArray | Float32Array): void {
    const cut = name.indexOf("/");
    const node = this.node(name.slice(0, cut));
    if (cut < 0 || !node) throw this.error(`unknown parameter ${quote(name)} (names are "node/parameter"; nodes: ${listNames(Object.keys(this.nodes).map(printable))})`);
    node.setParameter(name.slice(cut + 1), value);
  }

  override parameterFactors(name: string): ParameterFactors {
    const cut = name.indexOf("/");
    const node = this.node(name.slice(0, cut));
    if (cut < 0 || !node) throw this.error(`unknown parameter ${quote(name)} (names are "node/parameter"; nodes: ${listNames(Object.keys(this.nodes).map(printable))})`);
    return node.parameterFactors(name.slice(cut + 1));
  }

  override isBuilt(pending?: Pending): boolean {
    return this.order.every((n) => this.nodes[n].isBuilt(pending));
  }

  /** Parameter shapes of every node, as "node/parameter". */
  override get learnableShapes(): Record<string, number[] | undefined> {
    return Object.fromEntries(this.order.flatMap((n) => Object.entries(this.nodes[n].learnableShapes).map(([p, s]) => [`${n}/${p}`, s])));
  }

  /** A table of the nodes: layer kind, activation sizes (without the batch; T = time) and learnable counts. */
  summary(): string {
    return netSummary(this);
  }

  override toString(): string {
    return this.summary();
  }

  /**
   * Infers channel sizes through the graph, then initializes every node's unset parameters. Sizes of
   * graph inputs come as `${input}Size` (e.g. inputSize, querySize), from sequenceInputLayer nodes, or are 1
   * for an input of token ids (one that feeds an embeddingLayer).
   */
  override initialize(options: { seed?: number; [size: string]: number | undefined } = {}): this {
    const where = `${this.label}.initialize`;
    checkOptionNames(options, ["seed", ...this.inputNames.map((p) => `${p}Size`)], where);
    if (options.seed !== undefined) checkSeed(options.seed, where);
    const { seed, ...given } = options;
    const sizes = Object.fromEntries(Object.entries(given).map(([k, v]) => [k, checkInteger(v, where, k)]));
    this.staged(undefined, (pending) => this.build(pending, seed, sizes));
    return this;
  }

  /** The build: sizes inferred through the graph (from `${input}Size` given or declared), then every node's build. */
  override build(pending: Pending, seed: number | undefined, given: Record<string, number | undefined>): void {
    const sizes: Record<string, number> = {};
    for (const port of this.inputNames) {
      const size = given[`${port}Size`];
      if (size !== undefined) sizes[port] = size;
    }
    // a nested net's sizes come from its parent's inference, which then builds it with a seed only
    if (Object.keys(sizes).length > 0 || !this.sizesKnown(pending)) this.inferSizes(sizes, pending);
    const random = new Random(seed ?? 0);
    for (const n of this.order) this.nodes[n].build(pending, random.seed(), {});
  }

  /** True once sizes have been inferred through the graph (its inputs' sizes are then known). */
  private sizesKnown(pending: Pending): boolean {
    return this.inputNames.every((port) => this.size(this.sizesIn(pending), `${port}Size`) !== "auto");
  }

  /** Channel sizes through the graph (fixing the nodes' sizes in `pending`); returns the sizes of the graph outputs. */
  override inferSizes(inputs: Record<string, number>, pending?: Pending): Record<string, number> {
    return this.staged(pending, (p) => this.inferSizesStaged(inputs, p));
  }

  private inferSizesStaged(inputs: Record<string, number>, pending: Pending): Record<string, number> {
    const sizes = new Map<string, number>(); // by sourceKey: a graph input "fc/out" is not node fc's output "out"
    for (const port of this.inputNames) {
      let size: number | undefined = inputs[port];
      if (size === undefined) size = this.declaredInputSize(port) ?? (this.isIdInput(port) ? 1 : undefined); // ids: one channel
      if (size === undefined) throw this.error(`the size of graph input ${quote(port)} is unknown; pass ${port}Size to initialize() or apply the net to data`);
      sizes.set(sourceKey({ port }), size);
    }
    const sizeOf = (s: Source) => sizes.get(sourceKey(s))!;
    for (const n of this.order) {
      const layer = this.nodes[n];
      const ins = Object.fromEntries(layer.inputNames.map((p) => [p, sizeOf(this.sources.get(`${n}/${p}`)!)]));
      for (const [p, size] of Object.entries(ins)) {
        if (!Number.isInteger(size)) {
          const s = this.sources.get(`${n}/${p}`)!;
          throw this.error(`node ${quote(n)}: input ${quote(p)} gets ${s.node ? quote(`${s.node}/${s.port}`) : `graph input ${quote(s.port)}`}, which has no channel axis (attention scores [B, H, T, T] cannot feed ${layer.label})`);
        }
      }
      const outs = this.atNode(n, () => layer.inferSizes(ins, pending));
      for (const [p, s] of Object.entries(outs)) sizes.set(sourceKey({ node: n, port: p }), s);
    }
    pending.stage(this, { sizes: Object.fromEntries(this.inputNames.map((port) => [`${port}Size`, sizes.get(sourceKey({ port }))!])) });
    return Object.fromEntries(Object.entries(this.outputSources).map(([name, s]) => [name, sizeOf(s)]));
  }

  /** The input size declared by a sequenceInputLayer that a graph input feeds, if any. */
  declaredInputSize(port: string): number | undefined {
    return this.inputLayerOf(port)?.inputSize;
  }

  /** The sequenceInputLayer that graph input `port` feeds, if any (trainNet fills its normalization statistics). */
  inputLayerOf(port: string): SequenceInputLayer | undefined {
    for (const [key, src] of this.sources) {
      if (src.node === undefined && src.port === port) {
        const layer = this.nodes[splitEndpoint(key)[0]];
        if (layer instanceof SequenceInputLayer) return layer;
      }
    }
    return undefined;
  }

  /** Runs one node's work; its error names the node. */
  private atNode<T>(node: string, work: () => T): T {
    try {
      return work();
    } catch (e) {
      throw this.nodeError(node, e);
    }
  }

  private nodeError(node: string, e: unknown): Error {
    return this.error(`node ${quote(node)}: ${(e as Error).message}`);
  }

  /** True when graph input `port` feeds only mask inputs (through nested nets too): its data are masks, so they may hold booleans. */
  override isMaskInput(port: string): boolean {
    const targets = [...this.sources].filter(([, src]) => src.node === undefined && src.port === port).map(([key]) => splitEndpoint(key) as [string, string]);
    return targets.length > 0 && targets.every(([node, nodePort]) => this.nodes[node].isMaskInput(nodePort));
  }

  /** True when graph input `port` feeds a node's token-id input (an embeddingLayer's, through nested nets too): its data are ids, one channel. */
  override isIdInput(port: string): boolean {
    return [...this.sources].some(([key, src]) => src.node === undefined && src.port === port && this.nodes[splitEndpoint(key)[0]].isIdInput(splitEndpoint(key)[1]!));
  }

  /** True when graph input `port` feeds a sequenceInputLayer (so its data are sequences). */
  override isSequenceInput(port: string): boolean {
    return this.declaredInputSize(port) !== undefined;
  }

  /** The sequence input layers, in order (trainNet fills their normalization statistics). */
  get inputLayers(): SequenceInputLayer[] {
    return this.order.map((n): Layer => this.nodes[n]).filter((l): l is SequenceInputLayer => l instanceof SequenceInputLayer);
  }

  override forward(inputs: Record<string, NetValue>, context: ForwardContext): Record<string, NetValue> {
    return this.staged(context.pending, (pending) => this.forwardStaged(inputs, { ...context, pending }));
  }

  private forwardStaged(inputs: Record<string, NetValue>, context: ForwardContext & { pending: Pending }): Record<string, NetValue> {
    for (const port of this.inputNames) if (!inputs[port]) throw this.error(`missing input ${quote(port)} (inputs: ${listNames(this.inputNames.map(printable))})`);
    if (!this.sizesKnown(context.pending) || !this.isBuilt(context.pending)) {
      this.build(context.pending, undefined, Object.fromEntries(this.inputNames.map((p) => [`${p}Size`, inputs[p].x.shape.at(-1)])));
    }
    if (!context.returnWeights) return this.walk(inputs, (_node, layer, ins) => layer.forward(ins, context));
    // predict with returnWeights: a node's "weights" value (a nested net's "\0weights/…" ones) joins the results
    const weights: Record<string, NetValue> = {};
    const outputs = this.walk(inputs, (node, layer, ins) => {
      const outs = { ...layer.forward(ins, context) };
      for (const [p, v] of Object.entries(outs)) {
        if (p === "weights" && !layer.outputNames.includes(p)) weights[`${WEIGHTS}${node}`] = v;
        else if (p.startsWith(WEIGHTS)) weights[`${WEIGHTS}${node}/${p.slice(WEIGHTS.length)}`] = v;
        else continue;
        delete outs[p];
      }
      return outs;
    });
    return { ...outputs, ...weights };
  }

  /**
   * Runs every node in order on the values its sources gave (`run`: one node's call), and returns the graph outputs.
   * `known`: values by sourceKey computed before (a decoder's memory); nodes whose outputs are known do not run.
   */
  private walk(inputs: Record<string, NetValue>, run: (node: string, layer: Layer, ins: Record<string, NetValue>) => Record<string, NetValue>, known?: ReadonlyMap<string, NetValue>): Record<string, NetValue> {
    const values = this.runNodes(inputs, this.order, run, known);
    const outputs: Record<string, NetValue> = {};
    for (const [name, key] of this.outputKeys) outputs[name] = values.get(key)!;
    return outputs;
  }

  /** Runs `nodes` (in order) from the graph inputs and the known values; returns every value by sourceKey. */
  private runNodes(inputs: Record<string, NetValue>, nodes: readonly string[], run: (node: string, layer: Layer, ins: Record<string, NetValue>) => Record<string, NetValue>, known?: ReadonlyMap<string, NetValue>): Map<string, NetValue> {
    const values = new Map<string, NetValue>(known);
    for (const [port, v] of Object.entries(inputs)) values.set(sourceKey({ port }), v);
    for (const n of nodes) {
      const { layer, inputs: sources, outputKeys } = this.wiring.get(n)!;
      if (values.has(outputKeys.get(layer.outputNames[0])!)) continue;
      const ins: Record<string, NetValue> = {};
      for (const [port, key] of sources) ins[port] = values.get(key)!;
      let outs: Record<string, NetValue>;
      try {
        outs = run(n, layer, ins);
      } catch (e) {
        throw this.nodeError(n, e);
      }
      for (const p of Object.keys(outs)) values.set(outputKeys.get(p) ?? sourceKey({ node: n, port: p }), outs[p]);
    }
    return values;
  }

  /** A decoding state: every node's state by node name (a node that cannot decode refuses, named). */
  override startState(batch: number, capacity: number): NetState {
    return new NetState(new Map(this.order.map((n) => [n, this.atNode(n, () => this.nodes[n].startState(batch, capacity))])));
  }

  /**
   * A decoding state with fixed graph inputs (`fixed`: whole values by port, given once): every node that depends
   * on them alone runs its forward now and its outputs join the state's memory (a seq2seq encoder, bidirectional
   * layers included); every other node starts its step state, told which of its ports are fixed (a node that
   * cannot step with those ports fixed refuses, named).
   */
  startFixedState(batch: number, capacity: number, fixed: Record<string, NetValue>, context: ForwardContext): NetState {
    const fixedNodes = this.fixedNodes(Object.keys(fixed));
    const isFixed = (s: Source) => (s.node === undefined ? Object.hasOwn(fixed, s.port) : fixedNodes.has(s.node));
    const states = new Map<string, DecodeState | undefined>();
    for (const n of this.order) {
      if (fixedNodes.has(n)) continue;
      const layer = this.nodes[n];
      const ports = layer.inputNames.filter((p) => isFixed(this.sources.get(`${n}/${p}`)!));
      const why = ports.length > 0 ? layer.fixedInputsRefusal(ports) : undefined;
      if (why) throw this.error(`node ${quote(n)}: ${layer.label} cannot decode step by step: ${why}`);
      states.set(n, this.atNode(n, () => layer.startState(batch, capacity, ports.length > 0 ? ports : undefined)));
    }
    for (const [name, s] of Object.entries(this.outputSources)) {
      if (isFixed(s)) throw this.error(`output ${quote(name)} depends on the fixed inputs (${listNames(Object.keys(fixed).map(printable))}) alone, so decoding would give the same value at every step; decode a net whose outputs depend on a stepped input`);
    }
    return new NetState(states, this.fixedMemory(fixed, fixedNodes, context));
  }

  /** Runs the fixed nodes (`fixedNodes`, in order) on the fixed graph inputs: every value by sourceKey (a decoder's memory). */
  private fixedMemory(fixed: Record<string, NetValue>, fixedNodes: ReadonlySet<string>, context: ForwardContext): Map<string, NetValue> {
    return this.runNodes(fixed, this.order.filter((n) => fixedNodes.has(n)), (_n, layer, ins) => layer.forward(ins, context));
  }

  /**
   * The state's memory from the current weights: computed again from the fixed inputs it holds when a weight was
   * written since (setParameter, an optimizer step). The nodes' states (caches, recurrent state) record the steps
   * run so far and stay as they were computed.
   */
  private currentMemory(state: NetState, context: ForwardContext): ReadonlyMap<string, NetValue> {
    if (state.memoryWeights === weightWrites()) return state.memory;
    const fixed: Record<string, NetValue> = {};
    for (const port of this.inputNames) {
      const v = state.memory.get(sourceKey({ port }));
      if (v) fixed[port] = v;
    }
    if (Object.keys(fixed).length > 0) state.memory = this.fixedMemory(fixed, this.fixedNodes(Object.keys(fixed)), context);
    state.memoryWeights = weightWrites();
    return state.memory;
  }

  /** The nodes that depend on the graph inputs `ports` alone: with those fixed, they run once at the start of decoding. */
  fixedNodes(ports: readonly string[]): Set<string> {
    const fixed = new Set<string>();
    const isFixed = (s: Source) => (s.node === undefined ? ports.includes(s.port) : fixed.has(s.node));
    for (const n of this.order) if (this.nodes[n].inputNames.every((p) => isFixed(this.sources.get(`${n}/${p}`)!))) fixed.add(n);
    return fixed;
  }

  /** One decoding step: each node's step, in order, with its own state (nodes of the state's memory do not run). */
  override step(inputs: Record<string, NetValue>, state: DecodeState | undefined, context: ForwardContext): Record<string, NetValue> {
    const { nodes } = state as NetState, memory = this.currentMemory(state as NetState, context);
    for (const port of this.inputNames) {
      if (!inputs[port] && !memory.has(sourceKey({ port }))) throw this.error(`missing input ${quote(port)} (inputs: ${this.inputNames.map(printable).join(", ")})`);
    }
    return this.walk(inputs, (n, layer, ins) => layer.step(ins, nodes.get(n), context), memory);
  }

  /**
   * Starts incremental decoding (docs/api.md "Decoding and generation"): a Decoder whose next(x) takes the new
   * positions of each of `batch` sequences (default 1) and returns their outputs; caches start with room for
   * `capacity` positions (default 128) and grow as needed. Needs causal attention and an initialized net.
   */
  startDecoding(options: DecodingOptions = {}): TypedDecoder<O> {
    return startTypedDecoder(this, options);
  }

  /**
   * Runs the net through the base's input adapter (applyInput.ts). Sequence nets (input into a
   * sequenceInputLayer) take one sequence [T, C], a batch [B, T, C], or a list of sequences of different
   * lengths (→ a list of results, each as if alone). Other nets take tensors as they are. Several inputs: a
   * record by port name, or a list of records (→ a list of results).
   */
  override apply(input: Tensor | Readonly<Record<string, Tensor>>, options?: PredictOptions): NetResult<O, Tensor>;
  override apply(input: readonly Tensor[] | readonly Readonly<Record<string, Tensor>>[], options?: PredictOptions): NetResult<O, Tensor>[];
  override apply(input: ArrayInput | readonly ArrayInput[] | Readonly<Record<string, ArrayInput>>, options?: PredictOptions): OneOrList<NetResult<O, NestedArray[]>>;
  override apply(input: Tensor | Readonly<Record<string, Tensor>>, options: PredictOptions & { returnWeights: true }): WithWeights<NetResult<O, Tensor>, Tensor>;
  override apply(input: readonly Tensor[] | readonly Readonly<Record<string, Tensor>>[], options: PredictOptions & { returnWeights: true }): WithWeights<NetResult<O, Tensor>, Tensor>[];
  override apply(input: ApplyInput, options: PredictOptions & { returnWeights: true }): OneOrList<WithWeights<NetResult<O, TensorLike>, TensorLike>>;
  override apply(input: ApplyInput, options?: PredictOptions): NetResult<O, TensorLike> | NetResult<O, TensorLike>[];
  override apply(input: ApplyInput, options?: PredictOptions): never {
    const result = super.apply(input, options);
    if (options?.returnWeights !== true) return result as never;
    return (Array.isArray(result) ? result.map((r) => this.splitWeights(r)) : this.splitWeights(result)) as never;
  }

  protected override readonly applyBooleans: readonly string[] = ["returnWeights"];

  /** One result of apply with returnWeights (a record of the outputs and "\0weights/node" values) as { output, weights }. */
  private splitWeights(result: unknown): WithWeights<NetResult<O, TensorLike>, TensorLike> {
    const entries = Object.entries(result as Record<string, TensorLike>);
    const outputs = entries.filter(([k]) => !k.startsWith(WEIGHTS));
    const weights = Object.fromEntries(entries.filter(([k]) => k.startsWith(WEIGHTS)).map(([k, v]) => [k.slice(WEIGHTS.length), v]));
    if (Object.keys(weights).length === 0) throw this.error("predict with returnWeights: the net has no attention node (attentionLayer, sequenceAttentionLayer or selfAttentionLayer)");
    const output = (outputs.length === 1 && this.outputNames.length === 1 ? outputs[0][1] : Object.fromEntries(outputs)) as NetResult<O, TensorLike>;
    return { output, weights };
  }

  protected override applySeedStart(): number {
    return 0x9a9;
  }

  /** The rank of one example at a graph input, as its first consumer that knows it says ([T, C] → 2). */
  override exampleRank(port: string): number | undefined {
    for (const [key, src] of this.sources) {
      if (src.node !== undefined || src.port !== port) continue;
      const [node, nodePort] = splitEndpoint(key) as [string, string];
      const rank = this.nodes[node].exampleRank(nodePort);
      if (rank !== undefined) return rank;
    }
    return undefined;
  }

  /** Same as apply, never in training mode; `{ returnWeights: true }` adds the attention weights by node (PredictOptions). */
  predict(input: Tensor | Readonly<Record<string, Tensor>>, options: { returnWeights: true }): WithWeights<NetResult<O, Tensor>, Tensor>;
  predict(input: readonly Tensor[] | readonly Readonly<Record<string, Tensor>>[], options: { returnWeights: true }): WithWeights<NetResult<O, Tensor>, Tensor>[];
  predict(input: readonly Readonly<Record<string, TensorLike>>[], options: { returnWeights: true }): WithWeights<NetResult<O, TensorLike>, TensorLike>[];
  predict(input: ApplyInput, options: { returnWeights: true }): OneOrList<WithWeights<NetResult<O, TensorLike>, TensorLike>>;
  predict(input: Tensor | Readonly<Record<string, Tensor>>, options?: { returnWeights?: false }): NetResult<O, Tensor>;
  predict(input: readonly Tensor[] | readonly Readonly<Record<string, Tensor>>[], options?: { returnWeights?: false }): NetResult<O, Tensor>[];
  predict(input: ArrayInput | readonly ArrayInput[] | Readonly<Record<string, ArrayInput>>, options?: { returnWeights?: false }): OneOrList<NetResult<O, NestedArray[]>>;
  predict(input: ApplyInput, options?: { returnWeights?: boolean }): NetResult<O, TensorLike> | NetResult<O, TensorLike>[];
  predict(input: ApplyInput, options: { returnWeights?: boolean } = {}): unknown {
    checkOptionNames(options, ["returnWeights"], `${this.label}.predict`);
    return this.apply(input, { training: false, ...options });
  }

  override config(): LayerConfig {
    const outputs = Object.fromEntries(Object.entries(this.outputSources).map(([k, s]) => [k, s.node ? `${s.node}/${s.port}` : s.port]));
    return {
      kind: "netGraph",
      args: [{
        nodes: Object.fromEntries(this.order.map((n) => [n, this.nodes[n].config()])),
        edges: this.edges, inputs: this.inputNames, outputs, name: this.name,
      }],
    };
  }
}

/** A node's wiring as runNodes reads it: its input ports with the sourceKeys that feed them, its outputs' sourceKeys by port. */
interface NodeWiring {
  readonly layer: Layer;
  readonly inputs: readonly (readonly [port: string, key: string])[];
  readonly outputKeys: ReadonlyMap<string, string>;
}

/**
 * A value's key in maps of a net's values: "node/port" for a node's output, NUL then the name for a graph input
 * (names hold no NUL, so a graph input named "fc/out" never meets node fc's output "out").
 */
export function sourceKey(s: NetSource): string {
  return s.node === undefined ? `\0${s.port}` : `${s.node}/${s.port}`;
}

/**
 * "node/port" split at its first "/": node names have none, port names may (a nested net's "a/b"), so the rest
 * is the port whole; a bare "node" has no port.
 */
function splitEndpoint(endpoint: string): [string, string | undefined] {
  const cut = endpoint.indexOf("/");
  return cut < 0 ? [endpoint, undefined] : [endpoint.slice(0, cut), endpoint.slice(cut + 1)];
}

/** The form of a netGraph spec, checked before anything reads it (a non-layer node or an edge "a->b" is an error). */
function checkSpec(spec: NetGraphSpec, where: string): void {
  const s = spec as unknown as Record<string, unknown>;
  if (!isRecord(s.nodes) || !Array.isArray(s.edges)) throw new Error(`${where}: needs { nodes: { name: layer }, edges: [[from, to], ...] }, got nodes ${describe(s.nodes)} and edges ${describe(s.edges)}`);
  (s.edges as unknown[]).forEach((e, i) => {
    if (!Array.isArray(e) || e.length !== 2 || typeof e[0] !== "string" || typeof e[1] !== "string") {
      throw new Error(`${where}: edge ${i + 1} must be [from, to] with two strings, got ${describe(e)}`);
    }
  });
  if (s.inputs !== undefined && (!Array.isArray(s.inputs) || s.inputs.length === 0 || !s.inputs.every((p) => typeof p === "string" && p !== ""))) {
    throw new Error(`${where}: inputs must be a non-empty array of port names, got ${describe(s.inputs)}`);
  }
  if (s.outputs !== undefined && (!isRecord(s.outputs) || Object.keys(s.outputs as object).length === 0 || !Object.values(s.outputs as object).every((v) => typeof v === "string"))) {
    throw new Error(`${where}: outputs must be an object { name: "node/port" } with at least one entry, got ${describe(s.outputs)}`);
  }
  // node and port names obey the rule of layer names (they reach messages, exported code and files alike)
  for (const n of Object.keys(s.nodes)) checkName(n, where, "a node name");
  for (const p of (s.inputs as string[] | undefined) ?? []) checkName(p, where, "an input name");
  for (const p of Object.keys(s.outputs ?? {})) checkName(p, where, "an output name");
}

/**
 * Wolfram NetGraph / MATLAB dlnetwork: named layers wired by edges; sizes are inferred through the graph.
 * @example netGraph({ nodes: { fc: fullyConnectedLayer(2) }, edges: [["input", "fc"]] })
 */
export function netGraph<const Outputs extends Record<string, string> = { output: string }, Nodes extends Record<string, Layer> = Record<string, Layer>>(
  spec: NetGraphSpec & { nodes: Nodes; outputs?: Outputs },
): NetGraph<Extract<keyof Outputs, string>, Nodes> {
  return new NetGraph<Extract<keyof Outputs, string>, Nodes>(spec);
}

// The netGraph kind (layers/layerKind.ts): config args [{ nodes: { name: config }, edges, inputs, outputs, name }].
import { defineLayerKind, describeConfigValue } from "../layers/layerKind.js";

/** The netGraph kind: config args [{ nodes: { name: config }, edges, inputs, outputs, name }]; nodes are rebuilt first. */
export const netGraphKind = defineLayerKind({
  kind: "netGraph", positional: [],
  fromConfig: ([spec], rebuild) => {
    if (!isRecord(spec) || !isRecord(spec.nodes)) throw new Error(`netGraph config needs { nodes: { name: config }, edges }, got ${describeConfigValue(spec)}`);
    const nodes = Object.fromEntries(Object.entries(spec.nodes).map(([n, c]) => [n, rebuild(c as LayerConfig)]));
    return new NetGraph({ ...spec, nodes } as never);
  },
});
