/** A port's shape for attentionLayer: a vector size n, or a list of axis sizes where "varying" (first) is a sequence axis and "auto" is inferred. */
export type ShapeSpec = number | readonly (number | "varying" | "auto")[];
export declare class PortShape {
    readonly port: string;
    private dims;
    constructor(port: string, spec: ShapeSpec | undefined, where: string);
    /** the size of the last axis, once known */
    vectorSize: number | undefined;
    get rank(): number | undefined;
    /** Checks a data shape against the spec and fixes "auto" sizes from it. */
    check(shape: readonly number[], where: string, port?: string): void;
    /** Restores the sizes fixed so far (a refused call must not fix them). */
    snapshot(): () => void;
    describe(): ShapeSpec | undefined;
}
