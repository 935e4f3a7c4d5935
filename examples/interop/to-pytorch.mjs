// Hand a trained net to PyTorch: net.py (class Net), its weights, and the Japanese Vowels training split
// as padded tensors for tools/pytorch-interop/train_ddp.py.
//   node examples/interop/to-pytorch.mjs report/japanese-vowels-attention.safetensors interop/
import { mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { encodeSafetensors, exportPyTorch, loadJapaneseVowels, loadNet } from "attention-layers";

const [netPath, outDir] = process.argv.slice(2);
mkdirSync(outDir, { recursive: true });
const { code, weights } = exportPyTorch(loadNet(netPath));
writeFileSync(join(outDir, "net.py"), code);
writeFileSync(join(outDir, "net.safetensors"), weights);

const { train } = loadJapaneseVowels();
const B = train.sequences.length, T = Math.max(...train.lengths), C = train.channels;
const x = new Float32Array(B * T * C), mask = new Float32Array(B * T);
train.sequences.forEach((s, b) => { x.set(s, b * T * C); mask.fill(1, b * T, b * T + train.lengths[b]); });
writeFileSync(join(outDir, "data.safetensors"), encodeSafetensors({
  x: { dtype: "F32", shape: [B, T, C], data: x },
  mask: { dtype: "F32", shape: [B, T], data: mask },
  y: { dtype: "F32", shape: [B], data: Float32Array.from(train.labels) },
}));
console.log(`wrote ${join(outDir, "net.py")}, net.safetensors and data.safetensors (${B} sequences, padded to ${T} steps)`);
