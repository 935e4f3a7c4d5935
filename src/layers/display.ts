// MATLAB-style property display of a layer (what `layer = selfAttentionLayer(8,256)` prints), used by
// layer.toString() and util.inspect(layer):
//     selfAttentionLayer with properties:
//
//                    name: 'enc1'
//                numHeads: 4
//     ...
//     Learnable Parameters
//            queryWeights: [12×12]
// Hyperparameters are the constructor arguments (the layer's config), shown with the layer's live value of
// the same name where it has one (so "auto" sizes appear resolved once known). Private fields never appear.
import { sizeOf } from "../tensor/shape.js";
import { printable } from "../util/text.js";
import { isRecord } from "../util/validate.js";
import type { JsonValue, Layer } from "./layer.js";
import { positionalArguments } from "./layerKind.js";

/** Values longer than this are shown by their size only (e.g. a sequenceInputLayer's 12 means). */
const LONGEST_LIST = 6;

/** The hyperparameters of a layer as [name, value] pairs, in constructor order, without the name. */
export function hyperparameters(layer: Layer): [string, JsonValue][] {
  let args: JsonValue[];
  try {
    args = layer.config().args;
  } catch {
    return []; // a layer that cannot be saved has no config
  }
  const names = positionalArguments(layer.kind);
  const out: [string, JsonValue][] = [];
  args.forEach((arg, i) => {
    const isOptions = i === args.length - 1 && isRecord(arg) && !(i < names.length);
    if (isOptions) for (const [k, v] of Object.entries(arg as { readonly [key: string]: JsonValue })) out.push([k, v]);
    else out.push([names[i] ?? `argument${i + 1}`, arg]);
  });
  return out
    .filter(([k, v]) => k !== "name" && v !== undefined)
    .map(([k, v]): [string, JsonValue] => {
      const current: JsonValue | object = k in layer ? Reflect.get(layer, k) : undefined;
      return [k, typeof current === "number" || typeof current === "string" || typeof current === "boolean" ? current : v];
    });
}

/** One value as MATLAB shows it: 'text', numbers, true/false, [a b c], {'a' 'b'}, [12] (a size) for long lists, <kind> for configs. */
export function formatValue(v: JsonValue): string {
  if (v === null || v === undefined) return "[]";
  if (typeof v === "string") return `'${printable(v)}'`;
  if (typeof v === "number" || typeof v === "boolean") return String(v);
  if (Array.isArray(v)) {
    const shape = nestedShape(v);
    if (sizeOf(shape) > LONGEST_LIST || shape.length > 1) return `[${shape.join("×")}]`;
    const items = v.map((x) => formatValue(x as JsonValue)).join(" ");
    return v.every((x) => typeof x === "string") ? `{${items}}` : `[${items}]`; // MATLAB: {'in' 'mask'} for names
  }
  const o = v as { readonly [key: string]: JsonValue };
  if (o.net && typeof o.net === "object" && "kind" in o.net) return `<${String((o.net as { kind: JsonValue }).kind)}>`;
  if (typeof o.kind === "string") return `<${o.kind}>`;
  return `{${Object.keys(o).join(", ")}}`;
}

function nestedShape(v: readonly JsonValue[]): number[] {
  const shape = [v.length];
  let first: JsonValue = v[0];
  while (Array.isArray(first)) {
    shape.push(first.length);
    first = first[0];
  }
  return shape;
}

/** Rows "name: value" right-aligned on the colon, MATLAB's layout. */
function rows(pairs: [string, string][], width: number): string[] {
  return pairs.map(([k, v]) => `${k.padStart(width)}: ${v}`);
}

/** The whole display of one layer. */
export function describeLayer(layer: Layer): string {
  const properties: [string, string][] = [
    ["name", formatValue(layer.name)],
    ...hyperparameters(layer).map(([k, v]): [string, string] => [k, formatValue(v)]),
    ["inputNames", formatValue([...layer.inputNames])],
    ["outputNames", formatValue([...layer.outputNames])],
  ];
  const shapes = layer.learnableShapes;
  const values = layer.parameters;
  const learnables: [string, string][] = Object.keys(shapes).map((n) => [n, values[n] ? `[${values[n].shape.join("×")}]` : "[]"]);
  const width = Math.max(...[...properties, ...learnables].map(([k]) => k.length)) + 4;
  const lines = [`  ${layer.kind} with properties:`, "", ...rows(properties, width)];
  lines.push("", "   Learnable Parameters");
  if (learnables.length === 0) lines.push("    No properties.");
  else lines.push(...rows(learnables, width));
  return lines.join("\n");
}
