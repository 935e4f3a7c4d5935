// net.summary(): one row per node, like MATLAB's analyzeNetwork or Keras' summary:
//     #  node           layer                           activations   learnables
//     1  sequenceInput  sequenceInputLayer              T×12                   0
//     2  attention      selfAttentionLayer              T×12                 624
// Activation sizes leave out the batch; "T" marks the time axis, found by running the net on zeros of two
// lengths (5 and 7) and seeing which axes follow. When the net cannot run yet (not initialized, or z-score
// statistics not set) the column shows the channel sizes from size inference instead.
import { Random } from "../tensor/random.js";
import { sizeOf } from "../tensor/shape.js";
import { Tensor } from "../tensor/tensor.js";
import { NetGraph } from "./netGraph.js";
import { printable } from "../util/text.js";

const PROBE_LENGTHS = [5, 7] as const;

/** The table as text. */
export function netSummary(net: NetGraph<string>): string {
  // a view of the same layers whose outputs are every node port, so one forward pass shows them all (the
  // outputs are numbered: "node/port" may be longer than a name may be)
  const ports = net.order.flatMap((n) => net.nodes[n].outputNames.map((p) => `${n}/${p}`));
  const view = new NetGraph({ nodes: { ...net.nodes }, edges: net.edges, inputs: net.inputNames, outputs: Object.fromEntries(ports.map((p, i) => [String(i), p])) });
  const shapes = probeShapes(view) ?? channelSizes(view);
  const sizeOfPort = (n: string, p: string) => shapes.sizes[String(ports.indexOf(`${n}/${p}`))] ?? "?";
  const header = ["#", "node", "layer", "activations", "learnables"];
  const rows = net.order.map((n, i) => {
    const layer = net.nodes[n];
    const activations = layer.outputNames.map((p) => (layer.outputNames.length > 1 ? `${p}: ` : "") + sizeOfPort(n, p)).join(", ");
    return [String(i + 1), printable(n), layer.kind, activations, String(learnableCount(layer.learnableShapes))];
  });
  const widths = header.map((h, c) => Math.max(h.length, ...rows.map((r) => r[c].length)));
  const right = new Set([0, 4]);
  const line = (r: string[]) => r.map((v, c) => (right.has(c) ? v.padStart(widths[c]) : v.padEnd(widths[c]))).join("   ").trimEnd();
  const total = learnableCount(net.learnableShapes);
  return [
    `${net.label}: ${net.order.length} layers, ${total.toLocaleString("en-US")} learnables${net.isInitialized ? "" : " (not initialized)"}`,
    line(header), ...rows.map(line),
    ...(shapes.exact ? [] : ["(activations: channel sizes; the time axis shows once the net can run, e.g. after training)"]),
  ].join("\n");
}

/** Number of learnable values; unknown sizes count as 0. */
function learnableCount(shapes: Record<string, number[] | undefined>): number {
  return Object.values(shapes).reduce((s, shape) => s + (shape ? sizeOf(shape) : 0), 0);
}

/** Shapes by running the view on zeros [1, T, C] for two lengths T; undefined when it cannot run. */
function probeShapes(view: NetGraph<string>): { sizes: Record<string, string>; exact: true } | undefined {
  // one sequence input (its size declared by its sequenceInputLayer), parameters in place
  if (!view.isInitialized || view.inputNames.length !== 1 || !view.isSequenceInput(view.inputNames[0])) return undefined;
  const [port, C] = [view.inputNames[0], view.inputLayers[0].inputSize];
  let runs: Record<string, number[]>[];
  try {
    runs = PROBE_LENGTHS.map((T) => {
      const outs = view.forward({ [port]: { x: new Tensor(new Float32Array(T * C), [1, T, C]), lengths: [T] } }, { training: false, random: new Random(0) });
      return Object.fromEntries(Object.entries(outs).map(([k, v]) => [k, v.x.shape.slice(1)]));
    });
  } catch {
    return undefined;
  }
  const sizes = Object.fromEntries(Object.keys(runs[0]).map((k) => {
    const [a, b] = [runs[0][k], runs[1][k]];
    return [k, a.map((d, i) => (d === b[i] ? String(d) : d === PROBE_LENGTHS[0] && b[i] === PROBE_LENGTHS[1] ? "T" : "?")).join("×") || "1"];
  }));
  return { sizes, exact: true };
}

/** Channel sizes (last axis) of every node port from size inference. */
function channelSizes(view: NetGraph<string>): { sizes: Record<string, string>; exact: false } {
  try {
    return { sizes: Object.fromEntries(Object.entries(view.inferSizes({})).map(([k, c]) => [k, String(c)])), exact: false };
  } catch {
    return { sizes: {}, exact: false };
  }
}
