export interface FlagSpec {
    name: string;
    kind: "number" | "string" | "boolean";
    description: string;
    default?: number | string | boolean;
    choices?: readonly string[];
    /** numbers: the smallest allowed value, and whether it must be a whole number */
    min?: number;
    integer?: boolean;
}
export declare function parseArgs(argv: readonly string[], specs: readonly FlagSpec[]): Record<string, number | string | boolean>;
export declare function usage(command: string, summary: string, specs: readonly FlagSpec[]): string;
