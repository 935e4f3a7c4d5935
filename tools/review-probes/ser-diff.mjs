import { netChain, sequenceInputLayer, selfAttentionLayer, fullyConnectedLayer, softmaxLayer, serializeNet, deserializeNet, decodeSafetensors } from "../../dist/index.js";
const net = netChain([sequenceInputLayer(6), selfAttentionLayer(2, 8, { attentionMask: "causal" }), fullyConnectedLayer(3), softmaxLayer()]).initialize({ seed: 3 });
const a = serializeNet(net), b = serializeNet(deserializeNet(a));
console.log(a.length, b.length);
const ta = new TextDecoder().decode(a.subarray(8, 8 + Number(new DataView(a.buffer, a.byteOffset).getBigUint64(0, true))));
const tb = new TextDecoder().decode(b.subarray(8, 8 + Number(new DataView(b.buffer, b.byteOffset).getBigUint64(0, true))));
let i = 0; while (i < ta.length && ta[i] === tb[i]) i++;
console.log("first header difference at", i, "\nA:", ta.slice(Math.max(0, i - 200), i + 200), "\nB:", tb.slice(Math.max(0, i - 200), i + 200));
