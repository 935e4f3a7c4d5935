// Error messages name the layer (and its name, if set), the port, and expected versus received.
export function layerLabel(kind, name) {
    return name ? `${kind} "${name}"` : kind;
}
