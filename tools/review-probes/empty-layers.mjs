// Do the layers reach the Tq = 0 / Tk = 0 crash? (attentionLayer with no queries or no keys, selfAttentionLayer with T = 0)
import { attentionLayer, selfAttentionLayer, sequenceAttentionLayer, tensor, Tensor, setDefaultAttentionKernel } from "../../dist/index.js";
const impl = process.argv[2] ?? "wasm";
setDefaultAttentionKernel(impl);
const tryIt = (name, f) => { try { const r = f(); console.log(`${impl} ${name}: ok`, r?.shape ?? ""); } catch (e) { console.log(`${impl} ${name}: THROWS ${e.message}`); } };
tryIt("attentionLayer no queries", () => attentionLayer("Dot").apply({ key: [[1, 0], [0, 1]], value: [[1], [2]], query: new Tensor(new Float32Array(0), [0, 2]) }));
tryIt("attentionLayer no keys", () => attentionLayer("Dot").apply({ key: new Tensor(new Float32Array(0), [0, 2]), value: new Tensor(new Float32Array(0), [0, 1]), query: [[1, 0]] }));
tryIt("selfAttentionLayer T=0", () => selfAttentionLayer(2, 4).initialize({ inputSize: 4, seed: 1 }).apply(new Tensor(new Float32Array(0), [1, 0, 4])));
tryIt("selfAttentionLayer B=0", () => selfAttentionLayer(2, 4).initialize({ inputSize: 4, seed: 1 }).apply(new Tensor(new Float32Array(0), [0, 3, 4])));
