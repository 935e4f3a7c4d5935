import { pyFloat, pyFloats, torchTranslator } from "../translator.js";
/** Forward for "in" → "out" layers that keep the time axis and padding: one assignment. */
function mapping(expression, extra = {}) {
    return torchTranslator({
        ...extra,
        forward(layer, inputs, context) {
            const y = context.local(context.module);
            context.line(`${y} = ${expression(layer, inputs.in.expr, context)}  # ${context.path}: ${layer.kind}`);
            return { out: { ...inputs.in, expr: y } };
        },
    });
}
/** Renames tensors: { torchName: layerName }. */
const renamed = (tensors, names) => Object.fromEntries(Object.entries(names).filter(([from]) => tensors[from]).map(([from, to]) => [to, tensors[from]]));
export const sequenceInputToTorch = mapping((layer, x, context) => {
    if (layer.normalization === "none")
        return x;
    if (!layer.mean || !layer.standardDeviation)
        throw layer.error(`normalization "zscore" has no statistics yet; train the net first`);
    const mean = context.attribute(`${context.module}_mean`), std = context.attribute(`${context.module}_std`);
    context.init(`self.register_buffer("${mean}", torch.tensor(${pyFloats(layer.mean)}), persistent=False)`);
    context.init(`self.register_buffer("${std}", torch.tensor(${pyFloats(layer.standardDeviation)}), persistent=False)`);
    return `(${x} - self.${mean}) / self.${std}`;
});
const LINEAR_NAMES = { weight: "weights", bias: "bias" };
export const fullyConnectedToTorch = mapping((layer, x, context) => {
    context.init(`self.${context.module} = torch.nn.Linear(${layer.inputSize}, ${layer.outputSize}, bias=${layer.hasBias ? "True" : "False"})`);
    return `self.${context.module}(${x})`;
}, {
    toTorch: (layer) => renamed(layer.parameters, { weights: "weight", bias: "bias" }),
    fromTorch: (_layer, t) => renamed(t, LINEAR_NAMES),
});
export const layerNormalizationToTorch = mapping((layer, x, context) => {
    context.init(`self.${context.module} = torch.nn.LayerNorm(${layer.parameters.scale.shape[0]}, eps=${pyFloat(layer.epsilon)})`);
    return `self.${context.module}(${x})`;
}, {
    toTorch: (layer) => renamed(layer.parameters, { scale: "weight", offset: "bias" }),
    fromTorch: (_layer, t) => renamed(t, { weight: "scale", bias: "offset" }),
});
const ACTIVATIONS = {
    softmaxLayer: (x) => `torch.softmax(${x}, dim=-1)`,
    reluLayer: (x) => `torch.relu(${x})`,
    geluLayer: (x) => `torch.nn.functional.gelu(${x})`, // exact (erf) form, as the layer
    tanhLayer: (x) => `torch.tanh(${x})`,
    sigmoidLayer: (x) => `torch.sigmoid(${x})`,
};
export const activationToTorch = mapping((layer, x) => ACTIVATIONS[layer.kind](x));
/** Dropout in training (PyTorch scales kept values by 1/(1 − p), as the layer does), identity in eval(). */
export const dropoutToTorch = mapping((layer, x, context) => {
    context.init(`self.${context.module} = torch.nn.Dropout(${pyFloat(layer.probability)})`);
    return `self.${context.module}(${x})`;
});
export const additionToTorch = torchTranslator({
    forward(layer, inputs, context) {
        const y = context.local(context.module);
        context.line(`${y} = ${layer.inputNames.map((p) => inputs[p].expr).join(" + ")}  # ${context.path}: additionLayer`);
        return { out: { ...inputs.in1, expr: y } };
    },
});
