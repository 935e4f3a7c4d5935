import type { TrainingHistory } from "../train/trainNet.js";
export interface AttentionExample {
    index: number;
    label: string;
    predicted: string;
    length: number;
    /** attention weights averaged over heads, [T, T] row-major (query rows, key columns) */
    weights: Float32Array;
    heads: number;
}
export interface ReportInput {
    dir: string;
    title: string;
    summary: [string, string][];
    history: TrainingHistory;
    confusion: {
        counts: number[];
        classNames: string[];
    };
    attention: AttentionExample[];
}
export declare function writeReport(r: ReportInput): string;
