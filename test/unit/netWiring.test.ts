// A net's wiring is public and read-only: what feeds each node's port (NetGraph.inputSource) and what each
// output is (outputSources), for netGraph and netChain alike; the exporters read nothing else.
import { describe, expect, it } from "vitest";
import { additionLayer, fullyConnectedLayer, netChain, netGraph, reluLayer, selfAttentionLayer } from "../../src/index.js";

describe("net wiring", () => {
  const graph = () => netGraph({
    nodes: { fc: fullyConnectedLayer(3), sum: additionLayer(2), att: selfAttentionLayer(1, 3, { hasScoresOutput: true }) },
    edges: [["input", "fc"], ["fc", "sum/in1"], ["input", "sum/in2"], ["sum", "att"]],
    outputs: { y: "att/out", scores: "att/scores", raw: "input" },
  });

  it("netGraph: each node port's source, as the edges named it (a bare node is its only port)", () => {
    const net = graph();
    expect(net.inputSource("fc", "in")).toEqual({ port: "input" });
    expect(net.inputSource("sum", "in1")).toEqual({ node: "fc", port: "out" });
    expect(net.inputSource("sum", "in2")).toEqual({ port: "input" });
    expect(net.inputSource("att", "in")).toEqual({ node: "sum", port: "out" });
    expect(net.outputSources).toEqual({ y: { node: "att", port: "out" }, scores: { node: "att", port: "scores" }, raw: { port: "input" } });
  });

  it("netChain: each layer reads the one before; the output is the last layer's", () => {
    const chain = netChain([fullyConnectedLayer(4), reluLayer({ name: "act" }), fullyConnectedLayer(2)]);
    expect(chain.inputSource("1", "in")).toEqual({ port: "input" });
    expect(chain.inputSource("act", "in")).toEqual({ node: "1", port: "out" });
    expect(chain.inputSource("3", "in")).toEqual({ node: "act", port: "out" });
    expect(chain.outputSources).toEqual({ output: { node: "3", port: "out" } });
  });

  it("asking for a node or port that does not exist names the net, the node and what exists", () => {
    const net = graph();
    expect(() => net.inputSource("nope", "in")).toThrow(/^netGraph: no node "nope" \(nodes: fc, sum, att\)/);
    expect(() => net.inputSource("sum", "in3")).toThrow(/^netGraph: node "sum" has no input "in3" \(inputs: in1, in2\)/);
  });
});
