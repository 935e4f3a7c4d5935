import { type TrainingHistory } from "../train/trainNet.js";
export interface JobOptions {
    model: "attention" | "lstm";
    epochs: number;
    seed: number;
    out: string;
    batchSize: number;
    learnRate: number;
    l2Regularization: number;
    /** epochs between learning-rate drops; 0 = constant learning rate */
    learnRateDropPeriod: number;
    learnRateDropFactor: number;
    dataDir?: string;
    /** where to write the ONNX model (default: beside the .safetensors) */
    onnxPath?: string;
    verbose: boolean;
    log: (line: string) => void;
}
export interface JobResult {
    accuracy: number;
    seconds: number;
    history: TrainingHistory;
    netPath: string;
    onnxPath: string;
    reportPath: string;
}
export declare function runJapaneseVowels(o: JobOptions): JobResult;
