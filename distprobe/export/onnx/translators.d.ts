import type { LayerKind } from "../layerKinds.js";
import { type OnnxTranslator } from "./translator.js";
export declare const onnxTranslators: Record<LayerKind, OnnxTranslator>;
