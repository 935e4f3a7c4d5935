import type { JsonValue, Layer } from "./layer.js";
/** The hyperparameters of a layer as [name, value] pairs, in constructor order, without the name. */
export declare function hyperparameters(layer: Layer): [string, JsonValue][];
/** One value as MATLAB shows it: 'text', numbers, true/false, [a b c], {'a' 'b'}, [12] (a size) for long lists, <kind> for configs. */
export declare function formatValue(v: JsonValue): string;
/** The whole display of one layer. */
export declare function describeLayer(layer: Layer): string;
