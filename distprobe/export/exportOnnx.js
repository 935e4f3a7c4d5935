import { checkOptionNames } from "../util/checkOptions.js";
import { asNet, declaredInputSize, feedsOnlyPaddingMasks, takesSequences } from "./asNet.js";
import { layerKindOf } from "./layerKinds.js";
import { netWiring, sourceKey } from "./netWiring.js";
import { OnnxGraph } from "./onnx/onnxGraph.js";
import { onnxTranslators } from "./onnx/translators.js";
export const MASK_INPUT = "mask";
/**
 * The net as an ONNX model (opset 17) in bytes: inputs `input` [batch, time, C] (and `mask` [batch, time] for sequence nets), for onnxruntime in Node, the web or Python.
 * @example writeFileSync("net.onnx", exportOnnx(net))
 */
export function exportOnnx(net, options = {}) {
    const graphNet = asNet(net, "exportOnnx");
    checkOptionNames(options, ["name", "docString"], "exportOnnx");
    const g = new OnnxGraph();
    const sequences = takesSequences(graphNet);
    for (const name of graphNet.outputNames)
        g.reserve(name);
    const inputs = {};
    for (const port of graphNet.inputNames) {
        if (sequences && port === MASK_INPUT)
            throw new Error(`exportOnnx: the net's input is named "${MASK_INPUT}", which the exported model needs for the padding mask`);
        const dims = feedsOnlyPaddingMasks(graphNet, port) ? ["batch", "time"] : ["batch", "time", declaredInputSize(graphNet, port) ?? `${port}_channels`];
        inputs[port] = { name: g.input(port, dims), time: true, padded: sequences };
    }
    const mask = sequences ? g.input(MASK_INPUT, ["batch", "time"]) : undefined;
    const context = {
        g, mask,
        exportNet: (inner, innerInputs, prefix) => walk(inner, innerInputs, prefix),
    };
    const walk = (n, ins, prefix) => {
        const wiring = netWiring(n);
        const values = new Map(Object.entries(ins).map(([port, v]) => [sourceKey({ port }), v]));
        for (const node of n.order) {
            const layer = n.nodes[node];
            const nodeInputs = Object.fromEntries(layer.inputNames.map((p) => [p, values.get(sourceKey(wiring.inputOf(node, p)))]));
            let outs;
            try {
                outs = onnxTranslators[layerKindOf(layer)](layer, nodeInputs, { ...context, hint: `${prefix}${node}` });
            }
            catch (e) {
                throw new Error(`exportOnnx: node "${prefix}${node}": ${e.message}`);
            }
            for (const [port, v] of Object.entries(outs))
                values.set(sourceKey({ node, port }), v);
        }
        return Object.fromEntries(Object.entries(wiring.outputs).map(([name, s]) => [name, values.get(sourceKey(s))]));
    };
    const outputs = walk(graphNet, inputs, "");
    for (const [name, v] of Object.entries(outputs))
        g.output(name, v.name);
    return g.encode({ graphName: options.name ?? (graphNet.name || "attention-layers net"), docString: options.docString });
}
