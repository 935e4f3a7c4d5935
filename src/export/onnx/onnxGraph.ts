// Builds an ONNX graph (nodes, initializers, inputs, outputs) and encodes the model with protobufjs.
// Values are named strings; every op call returns fresh unique output names.
import protobuf from "protobufjs/light.js";
import { LONE_SURROGATE, quote } from "../../util/text.js";
import { AttributeType, DataType, IR_VERSION, OPSET, onnxSchema } from "./onnxSchema.js";

export type Attribute = number | number[] | string | { floats: number[] } | { float: number };

interface NodeProto { input: string[]; output: string[]; name: string; opType: string; attribute: object[] }
interface TensorProto { name: string; dims: number[]; dataType: number; rawData: Uint8Array }
interface ValueInfo { name: string; type: { tensorType: { elemType: number; shape?: { dim: object[] } } } }

/** A dimension: a fixed size, or a symbolic name such as "batch". */
export type Dim = number | string;

let root: protobuf.Root | undefined;
function modelType(): protobuf.Type {
  root ??= protobuf.Root.fromJSON(onnxSchema as unknown as protobuf.INamespace);
  return root.lookupType("onnx.ModelProto");
}

function littleEndianBytes(values: Float32Array | Int32Array | BigInt64Array | Uint8Array): Uint8Array {
  const bytes = new Uint8Array(values.buffer, values.byteOffset, values.byteLength).slice();
  const littleHost = new Uint8Array(new Uint16Array([1]).buffer)[0] === 1;
  if (!littleHost && values.BYTES_PER_ELEMENT > 1) {
    for (let i = 0; i < bytes.length; i += values.BYTES_PER_ELEMENT) bytes.subarray(i, i + values.BYTES_PER_ELEMENT).reverse();
  }
  return bytes;
}

function attribute(name: string, value: Attribute): object {
  if (typeof value === "string") return { name, type: AttributeType.STRING, s: new TextEncoder().encode(value) };
  if (Array.isArray(value)) return { name, type: AttributeType.INTS, ints: value };
  if (typeof value === "number") {
    if (!Number.isInteger(value)) throw new Error(`exportOnnx: attribute "${name}" = ${value} must be an integer (use { float })`);
    return { name, type: AttributeType.INT, i: value };
  }
  if ("floats" in value) return { name, type: AttributeType.FLOATS, floats: value.floats };
  return { name, type: AttributeType.FLOAT, f: value.float };
}

/**
 * An internal value, node or dimension name from a hint (a node path: any string from the net's file):
 * characters outside [A-Za-z0-9_.:/-] become "_", so tools that print names (onnxruntime's errors, the onnx
 * checker) or turn them into code get plain text. The graph's inputs and outputs keep the net's port names
 * exactly (they are how a runtime feeds the model; names are well-formed and free of NUL by checkName).
 */
export function onnxName(hint: string): string {
  return hint.replace(/[^A-Za-z0-9_.:/-]/g, "_");
}

/** Free text (graph name, doc string) as valid UTF-8 protobuf strings: a lone surrogate becomes U+FFFD. */
function wellFormed(text: string): string {
  return text.replace(LONE_SURROGATE, "\ufffd");
}

export class OnnxGraph {
  private readonly nodes: NodeProto[] = [];
  private readonly initializers: TensorProto[] = [];
  private readonly inputs: ValueInfo[] = [];
  private readonly outputs: ValueInfo[] = [];
  private readonly used = new Set<string>();
  private readonly constants = new Map<string, string>();
  private readonly dimParams = new Map<string, string>();

  /** A fresh value name built from `hint` (ONNX names must be unique in the graph). */
  fresh(hint: string): string {
    hint = onnxName(hint);
    let name = hint, i = 1;
    while (this.used.has(name)) name = `${hint}_${i++}`;
    this.used.add(name);
    return name;
  }

  /**
   * Names made from `hints` (onnxName) that are all free, with one shared suffix ("", "_1", …), so names made
   * together stay paired (past_key_x_1 goes with present_key_x_1). They are not taken until used.
   */
  freeNames(hints: readonly string[]): string[] {
    for (let i = 0; ; i++) {
      const names = hints.map((h) => `${onnxName(h)}${i === 0 ? "" : `_${i}`}`);
      if (names.every((n) => !this.used.has(n)) && new Set(names).size === names.length) return names;
    }
  }

  /** Adds a node; returns its output names (named after `hint`). */
  op(opType: string, inputs: string[], attributes: Record<string, Attribute> = {}, hint = opType, outputCount = 1): string[] {
    const output = Array.from({ length: outputCount }, (_, i) => this.fresh(outputCount === 1 ? hint : `${hint}_${i}`));
    this.nodes.push({
      input: inputs, output, name: this.fresh(`${hint}_node`), opType,
      attribute: Object.entries(attributes).map(([k, v]) => attribute(k, v)),
    });
    return output;
  }

  /** op() with one output. */
  op1(opType: string, inputs: string[], attributes: Record<string, Attribute> = {}, hint = opType): string {
    return this.op(opType, inputs, attributes, hint)[0];
  }

  /** A float32 initializer (weights, constants). */
  floats(hint: string, data: Float32Array | readonly number[], dims: readonly number[]): string {
    return this.initializer(hint, Float32Array.from(data), dims, DataType.FLOAT);
  }

  /** An int64 initializer (shapes, axes, indices); identical ones are shared. */
  ints(values: readonly number[]): string {
    return this.shared(`i64:${values.join(",")}`, () =>
      this.initializer(`const_${values.join("_").replace(/-/g, "m") || "empty"}`, BigInt64Array.from(values.map(BigInt)), [values.length], DataType.INT64));
  }

  /** An int64 scalar constant, shared. */
  intScalar(value: number): string {
    return this.shared(`i64s:${value}`, () => this.initializer(`int_${value}`.replace("-", "m"), BigInt64Array.of(BigInt(value)), [], DataType.INT64));
  }

  /** A float32 scalar constant, shared. */
  scalar(value: number): string {
    return this.shared(`f32:${value}`, () =>
      this.initializer(`scalar_${String(value).replace(/[^0-9a-z]/gi, "_")}`, Float32Array.of(value), [], DataType.FLOAT));
  }

  /** The constant stored under `key`, made by `make` the first time. */
  private shared(key: string, make: () => string): string {
    let name = this.constants.get(key);
    if (name === undefined) {
      name = make();
      this.constants.set(key, name);
    }
    return name;
  }

  /** A bool initializer. */
  bools(hint: string, data: Uint8Array, dims: readonly number[]): string {
    return this.initializer(hint, data, dims, DataType.BOOL);
  }

  private initializer(hint: string, data: Float32Array | BigInt64Array | Uint8Array, dims: readonly number[], dataType: number): string {
    const name = this.fresh(hint);
    this.initializers.push({ name, dims: [...dims], dataType, rawData: littleEndianBytes(data) });
    return name;
  }

  /** A symbolic dimension's name: the same for the same `hint` ("batch" is shared), distinct for distinct hints after onnxName. */
  private dimParam(hint: string): string {
    let name = this.dimParams.get(hint);
    if (name === undefined) {
      const taken = new Set(this.dimParams.values());
      name = onnxName(hint);
      for (let i = 1; taken.has(name); i++) name = `${onnxName(hint)}_${i}`;
      this.dimParams.set(hint, name);
    }
    return name;
  }

  /** Declares a graph input (float32 unless said otherwise). */
  input(name: string, dims: readonly Dim[], elemType: number = DataType.FLOAT): string {
    if (this.used.has(name)) throw new Error(`exportOnnx: two graph inputs are named ${quote(name)}`);
    this.used.add(name);
    this.inputs.push(valueInfo(name, elemType, dims.map((d) => (typeof d === "number" ? d : this.dimParam(d)))));
    return name;
  }

  /** Declares `value` as the graph output (its name must have been reserved before any op was added) `name` (through an Identity node so the name is exact). */
  output(name: string, value: string): void {
    this.used.add(name); // reserved up front, so no other value has taken it
    this.nodes.push({ input: [value], output: [name], name: this.fresh(`${name}_identity`), opType: "Identity", attribute: [] });
    this.outputs.push(valueInfo(name, DataType.FLOAT));
  }

  /** Reserves a name (so no value takes a graph input's or output's name). */
  reserve(name: string): void {
    this.used.add(name);
  }

  encode(meta: { graphName: string; docString?: string; metadata?: Record<string, string> }): Uint8Array {
    const message = {
      irVersion: IR_VERSION,
      opsetImport: [{ domain: "", version: OPSET }],
      producerName: "attention-layers",
      producerVersion: "0.1.0",
      docString: wellFormed(meta.docString ?? ""),
      metadataProps: Object.entries(meta.metadata ?? {}).map(([key, value]) => ({ key: wellFormed(key), value: wellFormed(value) })),
      graph: { node: this.nodes, name: wellFormed(meta.graphName), initializer: this.initializers, input: this.inputs, output: this.outputs },
    };
    const type = modelType();
    return type.encode(type.fromObject(message)).finish();
  }
}

function valueInfo(name: string, elemType: number, dims?: readonly Dim[]): ValueInfo {
  const shape = dims && { dim: dims.map((d) => (typeof d === "number" ? { dimValue: d } : { dimParam: d })) };
  return { name, type: { tensorType: shape ? { elemType, shape } : { elemType } } };
}
