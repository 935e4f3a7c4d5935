// Recurrent layers → torch.nn.LSTM / GRU / RNN (batch_first; bidirectional for two directions). PyTorch orders
// the gates as MATLAB does (LSTM i, f, g, o; GRU r, z, n), so each direction's block of the weights maps one to
// one (the backward direction to the "_reverse" tensors); PyTorch keeps two biases whose sum is the layer's
// one, except GRU's candidate gate, where bias_hh sits inside r ∘ (…): the layer's "after-multiplication" has
// it zero, "recurrent-bias-after-multiplication" is PyTorch's GRU exactly, "before-multiplication" has no
// PyTorch form. Ragged batches run packed, so each row's backward direction starts at its last valid step.
import type { GruLayer } from "../../../layers/gruLayer.js";
import type { RecurrentLayer } from "../../../layers/recurrentLayer.js";
import * as ops from "../../../tensor/ops/index.js";
import { Tensor } from "../../../tensor/tensor.js";
import { torchTranslator } from "../translator.js";
import { requireSequence } from "../../attentionInputs.js";

const MODULES: Record<string, string> = { lstmLayer: "LSTM", bilstmLayer: "LSTM", gruLayer: "GRU", basicRecurrentLayer: "RNN" };

/** The state-dict suffix of direction d. */
const suffix = (d: number) => (d === 0 ? "_l0" : "_l0_reverse");

/** The PyTorch bias pair of direction d (the layer's bias block of that direction, 3H or 6H for a GRU). */
function biasPair(layer: RecurrentLayer, d: number): [Tensor, Tensor] {
  const G = layer.cell.gates * layer.numHiddenUnits, per = layer.parameters.bias.size / layer.directions;
  const block = ops.slice(layer.parameters.bias, 0, d * per, (d + 1) * per);
  return per === 2 * G ? [ops.slice(block, 0, 0, G), ops.slice(block, 0, G, 2 * G)] : [block, new Tensor(new Float32Array(G), [G])];
}

export const recurrentToTorch = torchTranslator<RecurrentLayer>({
  forward(layer, inputs, context) {
    const x = inputs.in;
    requireSequence(layer, x, "in");
    if ((layer as GruLayer).resetGateMode === "before-multiplication") throw layer.error(`resetGateMode "before-multiplication" has no torch.nn.GRU form; export with "after-multiplication" or "recurrent-bias-after-multiplication"`);
    const D = layer.directions, H = layer.numHiddenUnits, m = `self.${context.module}`;
    context.init(`${m} = torch.nn.${MODULES[layer.kind]}(${layer.inputSize}, ${H}, batch_first=True${D === 2 ? ", bidirectional=True" : ""})`);
    // a state [B, D·H] ↔ PyTorch's [D, B, H]
    const states = layer.cell.cell ? ["hidden", "cell"] : ["hidden"];
    const initial = layer.hasStateInputs ? states.map((s) => `${inputs[s].expr}.reshape(-1, ${D}, ${H}).transpose(0, 1).contiguous()`) : [];
    const init = initial.length === 0 ? "" : `, ${initial.length === 1 ? initial[0] : `(${initial.join(", ")})`}`;
    const y = context.local(context.module), last = context.local("state");
    if (x.padded && context.mask) {
      const lengths = context.local("lengths");
      context.line(`${lengths} = ${context.mask}.sum(1).long()  # ${context.path}: ${layer.kind}, packed by row lengths`);
      context.line(`${y}, ${last} = ${m}(torch.nn.utils.rnn.pack_padded_sequence(${x.expr}, ${lengths}.cpu(), batch_first=True, enforce_sorted=False)${init})`);
      context.line(`${y} = torch.nn.utils.rnn.pad_packed_sequence(${y}, batch_first=True, total_length=${x.expr}.shape[1])[0]`);
    } else context.line(`${y}, ${last} = ${m}(${x.expr}${init})  # ${context.path}: ${layer.kind}`);
    const stateOut = (expr: string) => ({ expr: `${expr}.transpose(0, 1).reshape(-1, ${D * H})`, time: false, padded: false });
    const finals = layer.cell.cell ? [`${last}[0]`, `${last}[1]`] : [last];
    const stateOutputs = layer.hasStateOutputs ? Object.fromEntries(states.map((s, i) => [s, stateOut(finals[i])])) : {};
    if (layer.outputMode === "sequence") return { out: { ...x, expr: y }, ...stateOutputs };
    const step = x.padded && context.mask ? `(${context.mask}.sum(1).long() - 1).clamp(min=0)` : `torch.full((${y}.shape[0],), ${y}.shape[1] - 1, dtype=torch.long)`;
    context.line(`${y} = ${y}[torch.arange(${y}.shape[0]), ${step}]  # last valid step`);
    return { out: { expr: y, time: false, padded: false }, ...stateOutputs };
  },
  toTorch(layer) {
    const { inputWeights, recurrentWeights } = layer.parameters, D = layer.directions, rows = inputWeights.shape[0] / D;
    const out: Record<string, Tensor> = {};
    for (let d = 0; d < D; d++) {
      const [bih, bhh] = biasPair(layer, d);
      Object.assign(out, {
        [`weight_ih${suffix(d)}`]: ops.slice(inputWeights, 0, d * rows, (d + 1) * rows), [`weight_hh${suffix(d)}`]: ops.slice(recurrentWeights, 0, d * rows, (d + 1) * rows),
        [`bias_ih${suffix(d)}`]: bih, [`bias_hh${suffix(d)}`]: bhh,
      });
    }
    return out;
  },
  fromTorch(layer, t) {
    const D = layer.directions, G = layer.cell.gates * layer.numHiddenUnits, H = layer.numHiddenUnits;
    const twoBiases = layer.cell.biasUnits === 2 * layer.cell.gates, gru = layer.kind === "gruLayer";
    const biases = Array.from({ length: D }, (_, d) => {
      const bih = t[`bias_ih${suffix(d)}`].data, bhh = t[`bias_hh${suffix(d)}`].data;
      if (twoBiases) return [...bih, ...bhh];
      if (gru && bhh.subarray(2 * H).some((v) => v !== 0)) throw layer.error(`bias_hh${suffix(d)} has a nonzero candidate-gate part, which resetGateMode "${(layer as GruLayer).resetGateMode}" cannot hold; use "recurrent-bias-after-multiplication"`);
      return Array.from(bih, (v, i) => v + bhh[i]);
    });
    const stack = (name: string) => ops.concat(Array.from({ length: D }, (_, d) => t[`${name}${suffix(d)}`]), 0);
    return { inputWeights: stack("weight_ih"), recurrentWeights: stack("weight_hh"), bias: new Tensor(Float32Array.from(biases.flat()), [D * (twoBiases ? 2 * G : G)]) };
  },
});
