// Builds an ONNX graph (nodes, initializers, inputs, outputs) and encodes the model with protobufjs.
// Values are named strings; every op call returns fresh unique output names.
import protobuf from "protobufjs/light.js";
import { AttributeType, DataType, IR_VERSION, OPSET, onnxSchema } from "./onnxSchema.js";
let root;
function modelType() {
    root ??= protobuf.Root.fromJSON(onnxSchema);
    return root.lookupType("onnx.ModelProto");
}
function littleEndianBytes(values) {
    const bytes = new Uint8Array(values.buffer, values.byteOffset, values.byteLength).slice();
    const littleHost = new Uint8Array(new Uint16Array([1]).buffer)[0] === 1;
    if (!littleHost && values.BYTES_PER_ELEMENT > 1) {
        for (let i = 0; i < bytes.length; i += values.BYTES_PER_ELEMENT)
            bytes.subarray(i, i + values.BYTES_PER_ELEMENT).reverse();
    }
    return bytes;
}
function attribute(name, value) {
    if (typeof value === "string")
        return { name, type: AttributeType.STRING, s: new TextEncoder().encode(value) };
    if (Array.isArray(value))
        return { name, type: AttributeType.INTS, ints: value };
    if (typeof value === "number") {
        if (!Number.isInteger(value))
            throw new Error(`exportOnnx: attribute "${name}" = ${value} must be an integer (use { float })`);
        return { name, type: AttributeType.INT, i: value };
    }
    if ("floats" in value)
        return { name, type: AttributeType.FLOATS, floats: value.floats };
    return { name, type: AttributeType.FLOAT, f: value.float };
}
export class OnnxGraph {
    nodes = [];
    initializers = [];
    inputs = [];
    outputs = [];
    used = new Set();
    constants = new Map();
    /** A fresh value name built from `hint` (ONNX names must be unique in the graph). */
    fresh(hint) {
        let name = hint, i = 1;
        while (this.used.has(name))
            name = `${hint}_${i++}`;
        this.used.add(name);
        return name;
    }
    /** Adds a node; returns its output names (named after `hint`). */
    op(opType, inputs, attributes = {}, hint = opType, outputCount = 1) {
        const output = Array.from({ length: outputCount }, (_, i) => this.fresh(outputCount === 1 ? hint : `${hint}_${i}`));
        this.nodes.push({
            input: inputs, output, name: this.fresh(`${hint}_node`), opType,
            attribute: Object.entries(attributes).map(([k, v]) => attribute(k, v)),
        });
        return output;
    }
    /** op() with one output. */
    op1(opType, inputs, attributes = {}, hint = opType) {
        return this.op(opType, inputs, attributes, hint)[0];
    }
    /** A float32 initializer (weights, constants). */
    floats(hint, data, dims) {
        return this.initializer(hint, Float32Array.from(data), dims, DataType.FLOAT);
    }
    /** An int64 initializer (shapes, axes, indices); identical ones are shared. */
    ints(values) {
        return this.shared(`i64:${values.join(",")}`, () => this.initializer(`const_${values.join("_").replace(/-/g, "m") || "empty"}`, BigInt64Array.from(values.map(BigInt)), [values.length], DataType.INT64));
    }
    /** An int64 scalar constant, shared. */
    intScalar(value) {
        return this.shared(`i64s:${value}`, () => this.initializer(`int_${value}`.replace("-", "m"), BigInt64Array.of(BigInt(value)), [], DataType.INT64));
    }
    /** A float32 scalar constant, shared. */
    scalar(value) {
        return this.shared(`f32:${value}`, () => this.initializer(`scalar_${String(value).replace(/[^0-9a-z]/gi, "_")}`, Float32Array.of(value), [], DataType.FLOAT));
    }
    /** The constant stored under `key`, made by `make` the first time. */
    shared(key, make) {
        let name = this.constants.get(key);
        if (name === undefined) {
            name = make();
            this.constants.set(key, name);
        }
        return name;
    }
    /** A bool initializer. */
    bools(hint, data, dims) {
        return this.initializer(hint, data, dims, DataType.BOOL);
    }
    initializer(hint, data, dims, dataType) {
        const name = this.fresh(hint);
        this.initializers.push({ name, dims: [...dims], dataType, rawData: littleEndianBytes(data) });
        return name;
    }
    /** Declares a graph input (float32 unless said otherwise). */
    input(name, dims, elemType = DataType.FLOAT) {
        if (this.used.has(name))
            throw new Error(`exportOnnx: two graph inputs are named "${name}"`);
        this.used.add(name);
        this.inputs.push(valueInfo(name, elemType, dims));
        return name;
    }
    /** Declares `value` as the graph output (its name must have been reserved before any op was added) `name` (through an Identity node so the name is exact). */
    output(name, value) {
        this.used.add(name); // reserved up front, so no other value has taken it
        this.nodes.push({ input: [value], output: [name], name: this.fresh(`${name}_identity`), opType: "Identity", attribute: [] });
        this.outputs.push(valueInfo(name, DataType.FLOAT));
    }
    /** Reserves a name (so no value takes a graph input's or output's name). */
    reserve(name) {
        this.used.add(name);
    }
    encode(meta) {
        const message = {
            irVersion: IR_VERSION,
            opsetImport: [{ domain: "", version: OPSET }],
            producerName: "attention-layers",
            producerVersion: "0.1.0",
            docString: meta.docString ?? "",
            metadataProps: Object.entries(meta.metadata ?? {}).map(([key, value]) => ({ key, value })),
            graph: { node: this.nodes, name: meta.graphName, initializer: this.initializers, input: this.inputs, output: this.outputs },
        };
        const type = modelType();
        return type.encode(type.fromObject(message)).finish();
    }
}
function valueInfo(name, elemType, dims) {
    const shape = dims && { dim: dims.map((d) => (typeof d === "number" ? { dimValue: d } : { dimParam: d })) };
    return { name, type: { tensorType: shape ? { elemType, shape } : { elemType } } };
}
