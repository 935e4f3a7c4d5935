import { Random } from "../../tensor/random.js";
import { Tensor } from "../../tensor/tensor.js";
import { Layer } from "../layer.js";
/** A custom scoring net for attentionLayer: ports input (a key vector) and query, one score per pair, mapped over leading axes. */
export interface ScoringNet {
    readonly inputNames: readonly string[];
    readonly parameters: Record<string, Tensor>;
    readonly isInitialized: boolean;
    /** sizes by port: { inputSize: k, querySize: q } */
    initialize(options: {
        seed?: number;
        inputSize?: number;
        querySize?: number;
    }): void;
    /** the scores [...] or [..., 1] (a net with several outputs is an error when the layer runs) */
    apply(ports: {
        input: Tensor;
        query: Tensor;
    }, options?: {
        training?: boolean;
    }): Tensor | Record<string, Tensor>;
    /** s = q·(P k) with P = keyProjection (identity when null): lets the layer use the attention kernel */
    dotProductForm?(): {
        keyProjection: Tensor | null;
    };
    parameterFactors?(name: string): {
        learnRate: number;
        l2: number;
    };
}
/** The built-in scoring nets report errors as the attention layer that owns them. */
declare abstract class BuiltInScoring extends Layer {
    private readonly owner?;
    constructor(owner?: (() => string) | undefined);
    get label(): string;
}
/** "Dot": s = k·q (needs k = q). */
export declare class DotScoring extends BuiltInScoring implements ScoringNet {
    readonly kind = "DotScoring";
    protected readonly sizeNames: string[];
    readonly inputNames: readonly ["input", "query"];
    readonly outputNames: readonly ["output"];
    protected readonly parameterNames: readonly [];
    protected parameterShape(): number[] | undefined;
    protected initialValue(): Tensor;
    protected setSizes(sizes: Record<string, number>): void;
    apply(ports: {
        input: Tensor;
        query: Tensor;
    }): Tensor;
    dotProductForm(): {
        keyProjection: null;
    };
}
/** "Bilinear": s = q·(W k), W [querySize, keySize], no bias. */
export declare class BilinearScoring extends BuiltInScoring implements ScoringNet {
    readonly kind = "BilinearScoring";
    protected readonly sizeNames: string[];
    readonly inputNames: readonly ["input", "query"];
    readonly outputNames: readonly ["output"];
    protected readonly parameterNames: readonly ["weights"];
    keySize?: number;
    querySize?: number;
    protected parameterShape(): number[] | undefined;
    protected initialValue(_name: string, shape: number[], random: Random): Tensor;
    protected setSizes(sizes: Record<string, number>): void;
    protected parameterRank(_name: string): number;
    protected inferSizesFrom(_name: string, shape: readonly number[]): void;
    protected saveSizes(): () => void;
    private fixSize;
    apply(ports: {
        input: Tensor;
        query: Tensor;
    }): Tensor;
    dotProductForm(): {
        keyProjection: Tensor;
    };
}
/** How attention scores a (key, query) pair: "Dot" (k·q), "Bilinear" (q·W·k with learned W) or a scoring net. */
export type Scoring = "Dot" | "Bilinear" | ScoringNet;
/** The scoring net of a layer; `owner` gives the layer's label for messages. */
export declare function scoringNetFor(scoring: Scoring, where: string, owner?: () => string): ScoringNet;
export {};
