import type { Layer } from "../layers/layer.js";
/** Options of exportOnnx: the graph's name and doc string. */
export interface ExportOnnxOptions {
    /** the graph's name (default: the net's name or "attention-layers net") */
    name?: string;
    /** the model's doc string */
    docString?: string;
}
export declare const MASK_INPUT = "mask";
/**
 * The net as an ONNX model (opset 17) in bytes: inputs `input` [batch, time, C] (and `mask` [batch, time] for sequence nets), for onnxruntime in Node, the web or Python.
 * @example writeFileSync("net.onnx", exportOnnx(net))
 */
export declare function exportOnnx(net: Layer, options?: ExportOnnxOptions): Uint8Array;
