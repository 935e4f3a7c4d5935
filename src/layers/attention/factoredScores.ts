// A scoring netGraph's pairwise scores, factored (attentionLayer with a custom scoring net). The net scores every
// (key, query) pair, s_ij = f(k_j, q_i), mapping over leading axes. Run on the M·N pairs as such, every node that
// reads the keys alone (W₁k in Bahdanau's wᵀ tanh(W₁k + W₂q)) would run M times over each key, and every node that
// reads the queries alone N times over each query. Here those nodes run once per key (on K [.., 1, N, k]) or once
// per query (on Q [.., M, 1, q]), and a node that reads both gets its inputs broadcast to the pairs [.., M, N, ·]:
// the same values, since a scoring net maps over leading axes (and so does each of its nodes).
import * as ops from "../../tensor/ops/index.js";
import type { Tensor } from "../../tensor/tensor.js";
import { Layer, type ForwardContext, type NetValue } from "../layer.js";

/** What factoredScores reads of a netGraph (its public wiring; nets/ is not imported here, as it imports layers/). */
export interface GraphLike {
  readonly order: readonly string[];
  readonly nodes: Readonly<Record<string, Layer>>;
  readonly outputSources: Readonly<Record<string, { node?: string; port: string }>>;
  inputSource(node: string, port: string): { node?: string; port: string };
}

/** True for a netGraph with one output (a scoring net that factoredScores can run). */
export function isFactorable(net: unknown): net is GraphLike & Layer {
  const g = net as Partial<GraphLike>;
  return net instanceof Layer && Array.isArray(g.order) && typeof g.inputSource === "function" && Object.keys(g.outputSources ?? {}).length === 1;
}

/** What a value varies over: the keys ([.., 1, N, ·]), the queries ([.., M, 1, ·]) or the pairs ([.., M, N, ·]). */
type Over = "key" | "query" | "pair";

/**
 * A value computed once per fixed keys while decoding (cross-attention's FixedKeys): memo(name, compute, byRow).
 * byRow: the value is [B, …] and its row b comes from row b of the keys alone (decoder.select may take its rows).
 */
export type Memo = <T>(name: string, compute: () => T, byRow?: boolean) => T;

/**
 * Scores of every pair of K [.., N, k] and Q [.., M, q] by the net's ports input and query: [.., M, N] (or
 * [.., M, N, 1]). `memo`: the key-only values are computed once for these keys (decoding over fixed keys).
 */
export function factoredScores(net: GraphLike & Layer, K: Tensor, Q: Tensor, context: ForwardContext, memo?: Memo): Tensor {
  const lead = K.shape.slice(0, -2), [N, k] = K.shape.slice(-2), [M, q] = Q.shape.slice(-2);
  const toPairs = (x: Tensor) => ops.broadcastTo(x, [...lead, M, N, x.shape[x.rank - 1]]);
  const key = (s: { node?: string; port: string }) => (s.node === undefined ? `\0${s.port}` : `${s.node}/${s.port}`);
  /** Runs the nodes not yet in `values` whose inputs all vary over one of `overs` (in order). */
  const run = (values: Map<string, Valued>, overs: readonly Over[]) => {
    for (const n of net.order) {
      const layer = net.nodes[n];
      if (values.has(`${n}/${layer.outputNames[0]}`)) continue;
      const sources = layer.inputNames.map((p) => values.get(key(net.inputSource(n, p))));
      if (sources.some((s) => s === undefined || !overs.includes(s.over))) continue;
      const over = sources.every((s) => s!.over === sources[0]!.over) ? sources[0]!.over : "pair";
      const ins = Object.fromEntries(layer.inputNames.map((p, i) => [p, over === sources[i]!.over ? sources[i]!.value : { x: toPairs(sources[i]!.value.x) }]));
      let outs: Record<string, NetValue>;
      try {
        outs = layer.forward(ins, context);
      } catch (e) {
        throw net.error(`node "${n}": ${(e as Error).message}`);
      }
      for (const [p, v] of Object.entries(outs)) values.set(`${n}/${p}`, { value: v, over });
    }
    return values;
  };
  const keyOnly = () => run(new Map([["\0input", { value: { x: ops.reshape(K, [...lead, 1, N, k]) }, over: "key" }]]), ["key"]);
  const values = new Map(memo ? memo("scoring net's key-only values", keyOnly) : keyOnly());
  values.set("\0query", { value: { x: ops.reshape(Q, [...lead, M, 1, q]) }, over: "query" });
  run(values, ["key", "query", "pair"]);
  const out = values.get(key(Object.values(net.outputSources)[0]))!;
  return out.over === "pair" ? out.value.x : toPairs(out.value.x);
}

/** A value of the net and what it varies over. */
interface Valued { value: NetValue; over: Over }
