import type { Layer } from "../layers/layer.js";
/** What exportPyTorch gives: the Python module's source and its weights as safetensors. */
export interface PyTorchExport {
    /** a Python module defining class Net(torch.nn.Module) */
    code: string;
    /** Net's state dict as a safetensors file (Net().load(path) reads it) */
    weights: Uint8Array;
}
/**
 * The net as a PyTorch module: Python source defining `class Net(torch.nn.Module)` and its state dict as safetensors bytes.
 * @example const { code, weights } = exportPyTorch(net)
 */
export declare function exportPyTorch(net: Layer): PyTorchExport;
/**
 * Loads weights saved by the exported module's Net.save (after training in PyTorch) into `net`, in place.
 * Every tensor name and shape is checked before anything changes. Returns the net.
 */
export declare function importPyTorchWeights<T extends Layer>(net: T, bytes: Uint8Array): T;
