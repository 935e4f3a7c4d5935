import { NetGraph } from "./netGraph.js";
/** The table as text. */
export declare function netSummary(net: NetGraph<string>): string;
