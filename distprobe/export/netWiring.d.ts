import type { NetGraph } from "../nets/netGraph.js";
/** A value in a net: a graph input port (node undefined) or a node's output port. */
export interface Source {
    node?: string;
    port: string;
}
export interface Wiring {
    /** "node/port" → source */
    inputOf(node: string, port: string): Source;
    outputs: Record<string, Source>;
}
export declare function netWiring(net: NetGraph): Wiring;
/** The key under which a source's value is kept while walking a net. */
export declare const sourceKey: (s: Source) => string;
