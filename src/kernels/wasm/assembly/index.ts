// The WebAssembly module's exports. Kernels allocate nothing: the host (../memory.ts) lays out every
// array in linear memory and passes byte offsets, so the same module can run on one shared memory in
// several threads.
export { attentionScratchFloats, attentionKeyBlock, attentionQueryBlock, attentionQueryItems, attentionKeyValueItems, attentionPack, attentionStatsWords, measureFinite, attentionForward, attentionBackwardDelta, attentionBackwardKeyValue, attentionBackwardQuery } from "./attention";
export { attentionDecodeChunk, attentionDecodeItems, attentionDecodePartial, attentionDecodeMerge } from "./attentionDecode";
export { gemm, gemmWorkspaceBytes, gemmPackA, gemmPackB } from "./gemm";
export { gemmBias, columnSums } from "./bias";
export { gemmClaimed } from "./gemmClaimed";
export { headsLastToPadded, paddedToHeadsLast } from "./headsLayout";
export { lstmForward, lstmBackward } from "./lstm";
export { gruForward, gruBackward } from "./gru";
export { rnnForward, rnnBackward } from "./rnn";
export { geluForward, geluBackward } from "./gelu";
export { layerNormForward, layerNormBackward, layerNormParamGrads } from "./layerNorm";
export { crossentropyLogitsForward, crossentropyLogitsBackward } from "./crossentropy";
export { adamUpdate } from "./adam";
export { additiveScoresForward, additiveScoresBackward } from "./additiveScores";
export { stepProgramRun, stepProgramScratchBytes } from "./stepProgram";
