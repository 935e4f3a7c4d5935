import type { Tensor } from "../tensor/tensor.js";
export interface TrainableParameter {
    name: string;
    tensor: Tensor;
    learnRateFactor: number;
    l2Factor: number;
}
export interface OptimizerOptions {
    solver: "adam" | "sgdm";
    learnRate: number;
    l2Regularization: number;
    momentum: number;
    gradientDecayFactor: number;
    squaredGradientDecayFactor: number;
    epsilon: number;
    gradientThreshold: number;
    gradientThresholdMethod: "l2norm" | "global-l2norm";
}
export declare class Optimizer {
    readonly options: OptimizerOptions;
    private readonly state;
    private steps;
    constructor(options: OptimizerOptions);
    step(parameters: readonly TrainableParameter[], grads: readonly Tensor[], learnRate?: number): void;
    private clip;
}
