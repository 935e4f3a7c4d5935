import type { LayerKind } from "../layerKinds.js";
import { type TorchTranslator } from "./translator.js";
export declare const torchTranslators: Record<LayerKind, TorchTranslator>;
