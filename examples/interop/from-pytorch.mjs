// Bring weights trained in PyTorch (Net.save) back into the net, report test accuracy before and after,
// and save the result as a regular net file.
//   node examples/interop/from-pytorch.mjs report/japanese-vowels-attention.safetensors interop/trained.safetensors interop/finetuned.safetensors
import { readFileSync } from "node:fs";
import { argmaxRows, importPyTorchWeights, loadJapaneseVowels, loadNet, saveNet, Tensor } from "attention-layers";

const [netPath, trainedPath, outPath] = process.argv.slice(2);
const { test } = loadJapaneseVowels();
const sequences = test.sequences.map((d, i) => new Tensor(d, [test.lengths[i], test.channels]));
const accuracy = (net) => net.predict(sequences).filter((p, i) => argmaxRows(p)[0] === test.labels[i]).length / sequences.length;

const net = loadNet(netPath);
const before = accuracy(net);
importPyTorchWeights(net, readFileSync(trainedPath));
console.log(`test accuracy: ${before.toFixed(4)} before, ${accuracy(net).toFixed(4)} after training in PyTorch`);
saveNet(net, outPath);
console.log(`saved ${outPath}`);
