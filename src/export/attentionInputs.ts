// What both exporters need first from an attentionLayer / sequenceAttentionLayer node: its key, value and
// query values by role (a sequenceAttentionLayer's "input" port is both key and value), after the check
// both exports share (keys and queries with a time axis). Whether multiHead exports is each exporter's call.
import type { AttentionBase } from "../layers/attention/attentionLayer.js";
import type { Layer } from "../layers/layer.js";

/** Both exports take sequences [B, T, C] at the ports named here (a value without a time axis is refused). */
export function requireSequence(layer: Layer, v: { time: boolean }, port: string): void {
  if (!v.time) throw layer.error(`input "${port}" must be a sequence [B, T, C] to export, got a value without a time axis`);
}

export function attentionInputs<V extends { time: boolean }>(layer: AttentionBase<object>, inputs: Record<string, V>): { key: V; value: V; query: V } {
  const roles = layer.roles;
  const key = inputs[roles.key], value = inputs[roles.value], query = inputs[roles.query];
  for (const [role, v] of [[roles.key, key], [roles.query, query]] as const) {
    requireSequence(layer, v, role);
  }
  return { key, value, query };
}
