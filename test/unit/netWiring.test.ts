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

  it("a port name with a \"/\" (a nested net's) is the whole rest of \"node/port\", never cut at its own \"/\"", () => {
    const inner = netGraph({ nodes: { f: fullyConnectedLayer(2), g: fullyConnectedLayer(3) }, edges: [["input", "f"], ["input", "g"]], outputs: { a: "f", "a/b": "g" } });
    const outer = netGraph({ nodes: { inner, h: reluLayer() }, edges: [["input", "inner"], ["inner/a/b", "h"]], outputs: { y: "h", other: "inner/a" } });
    expect(outer.inputSource("h", "in")).toEqual({ node: "inner", port: "a/b" });
    expect(outer.outputSources.other).toEqual({ node: "inner", port: "a" });
    expect(outer.inferSizes({ input: 4 })).toEqual({ y: 3, other: 2 }); // h gets g's 3 channels, not f's 2
  });

  it("a graph input named like a node's output (\"fc/out\") keeps its own size through size inference", () => {
    const net = netGraph({
      inputs: ["input", "fc/out"], nodes: { fc: fullyConnectedLayer(2), g: fullyConnectedLayer(3) },
      edges: [["input", "fc"], ["fc/out", "g"]], outputs: { a: "fc", b: "g" },
    });
    expect(net.inputSource("g", "in")).toEqual({ port: "fc/out" });
    net.initialize({ inputSize: 4, "fc/outSize": 5 });
    expect(net.learnableShapes["g/weights"]).toEqual([3, 5]); // the input's 5 channels, not fc's 2
  });

  it("a nested net's port names are quoted printable in the edges' messages", () => {
    const inner = () => netGraph({ inputs: ["x\u001b[2J", "y"], nodes: { f: fullyConnectedLayer(2), g: fullyConnectedLayer(2) }, edges: [["x\u001b[2J", "f"], ["y", "g"]], outputs: { "a\n": "f", b: "g" } });
    const feeds: [string, string][] = [["input", "inner/x\u001b[2J"], ["input", "inner/y"]];
    expect(() => netGraph({ nodes: { inner: inner() }, edges: [["input", "inner"]] })).toThrow(/node "inner" has inputs x\\u001b\[2J, y;/);
    expect(() => netGraph({ nodes: { inner: inner() }, edges: feeds, outputs: { z: "inner/c" } })).toThrow(/has no output "c" \(outputs: a\\n, b\)/);
    expect(() => netGraph({ nodes: { inner: inner(), h: reluLayer() }, edges: [...feeds, ["inner", "h"]] })).toThrow(/node "inner" has outputs a\\n, b;/);
  });

  it("asking for a node or port that does not exist names the net, the node and what exists", () => {
    const net = graph();
    expect(() => net.inputSource("nope", "in")).toThrow(/^netGraph: no node "nope" \(nodes: fc, sum, att\)/);
    expect(() => net.inputSource("sum", "in3")).toThrow(/^netGraph: node "sum" has no input "in3" \(inputs: in1, in2\)/);
    // names from a caller or a file are quoted printable, and long lists shortened, as in the edges' messages
    expect(() => net.inputSource("x\u001b[2J\n", "in")).toThrow(/^netGraph: no node "x\\u001b\[2J\\n" /);
    const wide = netGraph({ nodes: { sum: additionLayer(20) }, edges: Array.from({ length: 20 }, (_, i) => ["input", `sum/in${i + 1}`] as const) });
    expect(() => wide.inputSource("sum", "in\u202e")).toThrow(/^netGraph: node "sum" has no input "in\\u202e" \(inputs: in1, in2, .*, in8, … and 12 more\)$/);
  });
});
