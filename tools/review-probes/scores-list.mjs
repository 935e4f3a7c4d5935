// selfAttentionLayer with scores output on a list of ragged sequences vs each alone (the list is batched inside?)
import { selfAttentionLayer, Tensor } from "../../dist/index.js";
import { randArr, compare } from "./lib.mjs";
const layer = selfAttentionLayer(2, 4, { hasScoresOutput: true, attentionMask: "causal" }).initialize({ inputSize: 3, seed: 2 });
const xs = [5, 1, 3].map((T) => new Tensor(randArr(T * 3), [T, 3]));
const list = layer.apply(xs);
xs.forEach((x, i) => {
  const alone = layer.apply(x);
  console.log(`seq ${i}: out shape ${list[i].out.shape} vs ${alone.out.shape}, err ${compare(list[i].out.data, alone.out.data).err}; scores ${list[i].scores.shape} vs ${alone.scores.shape}, err ${compare(list[i].scores.data, alone.scores.data).err}`);
});
