// exportPyTorch(net): a self-contained Python module (class Net(torch.nn.Module)) mirroring the net, and
// its weights as safetensors; importPyTorchWeights(net, bytes) brings weights saved by Net.save back.
// Both walk the net the same way, so module names (and so state-dict names) agree.
import type { Layer } from "../layers/layer.js";
import type { NetGraph } from "../nets/netGraph.js";
import { bytesSource, encodeSafetensors, type NamedArray, readSafetensorsHeader, type SafetensorsHeader } from "../nets/safetensors.js";
import { firstNonFinite, MAX_NET_TENSORS } from "../nets/serializeNet.js";
import { describe } from "../util/validate.js";
import { listNames } from "../util/listNames.js";
import { formatShape, sameShape } from "../tensor/shape.js";
import { Tensor } from "../tensor/tensor.js";
import { printable } from "../util/text.js";
import { asNet, takesSequences } from "./asNet.js";
import { pyEscape, pyString, pyStrings } from "./pytorch/pythonText.js";
import { type TranslateNode, translatorFor, walkNet } from "./walkNet.js";
import { PYTHON_LOAD_SAVE, PYTHON_RUNTIME } from "./pytorch/pythonRuntime.js";
import type { TorchContext, TorchTranslator, TorchValue } from "./pytorch/translator.js";
import { torchTranslators } from "./pytorch/translators.js";

/** What exportPyTorch gives: the Python module's source and its weights as safetensors. */
export interface PyTorchExport {
  /** a Python module defining class Net(torch.nn.Module) */
  code: string;
  /** Net's state dict as a safetensors file (Net().load(path) reads it) */
  weights: Uint8Array;
}

const FORMAT = "attention-layers/pytorch@1";

/**
 * The net as a PyTorch module: Python source defining `class Net(torch.nn.Module)` and its state dict as safetensors bytes.
 * @example const { code, weights } = exportPyTorch(net)
 */
export function exportPyTorch(net: Layer): PyTorchExport {
  const plan = torchPlan(asNet(net, "exportPyTorch"), "exportPyTorch");
  const tensors: Record<string, NamedArray> = {};
  for (const { module, layer, translator } of plan.nodes) {
    for (const [name, t] of Object.entries(translator.toTorch(layer))) tensors[`${module}.${name}`] = { dtype: "F32", shape: [...t.shape], data: t.data };
  }
  return { code: plan.code, weights: encodeSafetensors(tensors, { format: FORMAT }) };
}

/**
 * Loads weights saved by the exported module's Net.save (after training in PyTorch) into `net`, in place.
 * Every tensor name and shape is checked before anything changes. Returns the net.
 */
export function importPyTorchWeights<T extends Layer>(net: T, bytes: Uint8Array): T {
  const plan = torchPlan(asNet(net, "importPyTorchWeights"), "importPyTorchWeights");
  const expected = new Map<string, { shape: readonly number[]; node: string }>();
  for (const { module, path, layer, translator } of plan.nodes) {
    for (const [name, t] of Object.entries(translator.toTorch(layer))) expected.set(`${module}.${name}`, { shape: t.shape, node: `${printable(path)} (${layer.label})` });
  }
  // names and shapes are checked on the header, before any tensor data is read; a file of more tensors
  // than a net file may hold is refused before its header is parsed
  let header: SafetensorsHeader;
  try {
    if (!(bytes instanceof Uint8Array)) throw new Error(`expected a Uint8Array, got ${describe(bytes)}`);
    header = readSafetensorsHeader(bytesSource(bytes), { maxTensors: Math.max(MAX_NET_TENSORS, expected.size) });
  } catch (e) {
    throw new Error(`importPyTorchWeights: not a valid safetensors file: ${(e as Error).message}`);
  }
  const { shapes } = header;
  const missing = [...expected.keys()].filter((n) => !(n in shapes)), extra = Object.keys(shapes).filter((n) => !expected.has(n));
  if (missing.length || extra.length) {
    throw new Error(`importPyTorchWeights: the file does not fit ${net.label}: ${missing.length ? `missing ${listNames(missing)}` : ""}${missing.length && extra.length ? "; " : ""}${extra.length ? `unexpected ${listNames(extra.map(printable))}` : ""} (expected: ${listNames(expected.keys())})`);
  }
  for (const [name, { shape, node }] of expected) {
    if (!sameShape(shape, shapes[name])) throw new Error(`importPyTorchWeights: tensor "${name}" of node ${node} has shape ${formatShape(shapes[name])}, expected ${formatShape(shape)}`);
  }
  const tensors = header.readTensors();
  for (const [name, { node }] of expected) {
    const bad = firstNonFinite(tensors[name].data);
    if (bad >= 0) throw new Error(`importPyTorchWeights: tensor "${name}" of node ${node} holds ${tensors[name].data[bad]} at element ${bad}; weights must be finite`);
  }
  const updates = plan.nodes.map(({ module, layer, translator }) => {
    const prefix = `${module}.`;
    const mine = Object.fromEntries(Object.entries(tensors).filter(([n]) => n.startsWith(prefix) && expected.has(n)).map(([n, t]) => [n.slice(prefix.length), new Tensor(t.data, t.shape)]));
    return { layer, parameters: translator.fromTorch(layer, mine) };
  });
  for (const { layer, parameters } of updates) for (const [name, t] of Object.entries(parameters)) layer.setParameter(name, t);
  return net;
}

interface PlannedNode { module: string; path: string; layer: Layer; translator: TorchTranslator }

const PYTHON_KEYWORDS = "False None True and as assert async await break class continue def del elif else except finally for from global if import in is lambda nonlocal not or pass raise return try while with yield";
// torch.nn.Module's public attributes (torch 1.13 to 2.x) and Net's own: a module stored under one of these
// names would be shadowed by the method (self.children(x) calls Module.children)
const MODULE_ATTRIBUTES = `T_destination add_module apply bfloat16 buffers call_super_init children compile cpu cuda double dump_patches eval
  extra_repr float forward get_buffer get_extra_state get_parameter get_submodule half ipu load_state_dict modules mtia named_buffers
  named_children named_modules named_parameters parameters register_backward_hook register_buffer register_forward_hook
  register_forward_pre_hook register_full_backward_hook register_full_backward_pre_hook register_load_state_dict_post_hook
  register_load_state_dict_pre_hook register_module register_parameter register_state_dict_post_hook register_state_dict_pre_hook
  requires_grad_ set_extra_state set_submodule share_memory state_dict to to_empty train training type xpu zero_grad
  load save input_names output_names`.split(/\s+/).join(" ");
// forward()'s own names and the builtins the generated code calls
const PYTHON_NAMES = "self x mask torch math array json struct sys float super";

/**
 * A valid Python identifier from a hint (a node path, a port name: any string): [A-Za-z0-9_] only, not starting
 * with a digit or "_" (Python mangles "__name" in a class body, and Module keeps its state in "_modules" etc.).
 */
function identifier(hint: string): string {
  const s = hint.replace(/[^A-Za-z0-9_]/g, "_");
  return /^[0-9_]/.test(s) || s === "" ? `node_${s}` : s;
}

function freshNames(taken: string): (hint: string) => string {
  const used = new Set(taken.split(" "));
  return (hint) => {
    const base = identifier(hint);
    let name = base, i = 2;
    while (used.has(name)) name = `${base}_${i++}`;
    used.add(name);
    return name;
  };
}

/** Walks the net with the PyTorch translators: the module's code and the nodes with their module names. */
function torchPlan(net: NetGraph, exporter: string): { code: string; nodes: PlannedNode[] } {
  const init: string[] = [], forward: string[] = [], nodes: PlannedNode[] = [];
  const attribute = freshNames(`${PYTHON_KEYWORDS} ${MODULE_ATTRIBUTES}`), local = freshNames(`${PYTHON_KEYWORDS} ${PYTHON_NAMES}`);
  const sequences = takesSequences(net);
  const inputs: Record<string, TorchValue> = {};
  let parameters: string[];
  if (sequences) {
    parameters = ["x", "mask=None"];
    inputs[net.inputNames[0]] = { expr: "x", time: true, padded: true };
    forward.push("if mask is None:", "    mask = torch.ones(x.shape[:2], dtype=x.dtype, device=x.device)");
  } else {
    parameters = net.inputNames.map((port) => local(port));
    net.inputNames.forEach((port, i) => (inputs[port] = { expr: parameters[i], time: true, padded: false }));
  }
  const translate: TranslateNode<TorchValue> = (layer, nodeInputs, path) => {
    const translator = translatorFor(torchTranslators, layer);
    const context: TorchContext = {
      module: attribute(path.replace(/\//g, "__")), path: pyEscape(path), mask: sequences ? "mask" : undefined,
      init: (line) => init.push(line), line: (line) => forward.push(line), local, attribute,
      exportNet: (inner, innerInputs, prefix) => walkNet(inner, innerInputs, prefix, exporter, translate),
    };
    const outs = translator.forward(layer, nodeInputs, context);
    nodes.push({ module: context.module, path, layer, translator });
    return outs;
  };
  const outputs = walkNet(net, inputs, "", exporter, translate);
  const names = Object.keys(outputs);
  forward.push(names.length === 1 ? `return ${outputs[names[0]].expr}` : `return {${names.map((k) => `${pyString(k)}: ${outputs[k].expr}`).join(", ")}}`);
  const usage = sequences
    ? "y = net(x, mask)  # x [batch, time, channels] float32; mask [batch, time], 1 = data, 0 = padding"
    : `y = net(${parameters.join(", ")})  # each [batch, time, channels] float32`;
  const code = `"""${pyEscape(net.label)} as a PyTorch module, generated by attention-layers exportPyTorch.

    net = Net().load("weights.safetensors").eval()
    ${usage}

Needs only torch and the Python standard library. Net.save(path) writes the weights back for
importPyTorchWeights.
"""
import array
import json
import math
import struct
import sys

import torch

${PYTHON_RUNTIME}

class Net(torch.nn.Module):
    input_names = ${pyStrings(sequences ? ["x", "mask"] : net.inputNames)}
    output_names = ${pyStrings(names)}

    def __init__(self):
        super().__init__()
${init.map((l) => `        ${l}`).join("\n")}

    def forward(self, ${parameters.join(", ")}):
${forward.map((l) => `        ${l}`).join("\n")}
${PYTHON_LOAD_SAVE}`;
  return { code, nodes };
}
