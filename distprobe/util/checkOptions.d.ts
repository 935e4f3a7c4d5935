export declare function checkOptionNames(options: object | undefined, allowed: readonly string[], where: string): void;
/** Levenshtein distance, for suggestions. */
export declare function editDistance(a: string, b: string): number;
