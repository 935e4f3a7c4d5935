import { NetChain } from "../nets/netChain.js";
export function netWiring(net) {
    const parse = (from) => {
        if (net.inputNames.includes(from))
            return { port: from };
        const [node, port] = from.split("/");
        const layer = net.nodes[node];
        if (!layer)
            throw new Error(`${net.label}: "${from}" is neither a node nor a graph input`);
        return { node, port: port ?? layer.outputNames[0] };
    };
    const sources = new Map();
    for (const [from, to] of net.edges) {
        const [node, port] = to.split("/");
        sources.set(`${node}/${port ?? net.nodes[node].inputNames[0]}`, parse(from));
    }
    let outputs;
    if (net instanceof NetChain) {
        const last = net.order.find((n) => net.nodes[n] === net.layers[net.layers.length - 1]);
        outputs = { [net.outputNames[0]]: { node: last, port: net.nodes[last].outputNames[0] } };
    }
    else {
        const spec = net.config().args[0];
        outputs = Object.fromEntries(Object.entries(spec.outputs).map(([name, from]) => [name, parse(from)]));
    }
    return {
        inputOf(node, port) {
            const s = sources.get(`${node}/${port}`);
            if (!s)
                throw new Error(`${net.label}: input "${port}" of node "${node}" is not connected`);
            return s;
        },
        outputs,
    };
}
/** The key under which a source's value is kept while walking a net. */
export const sourceKey = (s) => (s.node === undefined ? `in:${s.port}` : `${s.node}/${s.port}`);
