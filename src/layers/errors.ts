// Error messages name the layer (and its name, if set), the port, and expected versus received.
import { quote } from "../util/text.js";

/** `fullyConnectedLayer "fc"`: the name quoted and escaped (a name from a file may hold \n, \x1b, quotes). */
export function layerLabel(kind: string, name: string): string {
  return name ? `${kind} ${quote(name)}` : kind;
}
