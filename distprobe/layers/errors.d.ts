export declare function layerLabel(kind: string, name: string): string;
