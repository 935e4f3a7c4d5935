// The lm page's training worker: the King James corpus bundled into it (as text, see build.mjs), the lm job's
// net and data (app/cli/lmModel.js and lmWindows.js, the same code as `npx attention-layers lm`), trained by one
// trainNet call over all epochs. It posts each mini-batch's loss, and after each epoch the validation loss and
// the weights (safetensors bytes, the text encoder inside) for the generating worker.
import { ready, getNumThreads, characterEncoder, trainNet, serializeNet } from "attention-layers";
import { LM_TRAINING, characterGpt } from "attention-layers/app/cli/lmModel.js";
import { lmWindows } from "attention-layers/app/cli/lmWindows.js";
import corpus from "attention-layers/data/kjv/kjv-genesis-proverbs-ecclesiastes.txt";

// every character of the corpus has a code, so a prompt may use any of them even when training reads a slice
const encoder = characterEncoder({ fromText: corpus });

function train(o) {
  const ids = encoder.encode(o.characters > 0 ? corpus.slice(0, o.characters) : corpus);
  const { train, validation } = lmWindows(ids, o.context, o.windows, o.validation, o.seed);
  const net = characterGpt({ vocabulary: encoder.size, size: o.size, heads: o.heads, blocks: o.blocks, context: o.context, feedForward: o.feedForward });
  net.initialize({ seed: o.seed, inputSize: 1 });
  net.textEncoder = encoder;
  const learnables = Object.values(net.parameters).reduce((n, p) => n + p.data.length, 0);
  postMessage({ type: "started", learnables, characters: ids.length, threads: getNumThreads(), validationWindows: validation.x.length });
  const step = (info) => (info.epoch - 1) * info.iterationsPerEpoch + info.iteration;
  trainNet(net, train, {
    ...LM_TRAINING, maxEpochs: o.epochs, miniBatchSize: o.batchSize, learnRate: o.learnRate, seed: o.seed, validationData: validation,
    progressSink: { iteration: (info) => postMessage({ type: "iteration", step: step(info), steps: info.maxEpochs * info.iterationsPerEpoch, ...info }) },
    onProgress: (info) => {
      const bytes = serializeNet(net);
      postMessage({ type: "epoch", step: step(info), ...info, bytes }, [bytes.buffer]);
    },
  });
  postMessage({ type: "trained" });
}

onmessage = ({ data }) => {
  try {
    if (data.type === "train") train(data);
  } catch (e) {
    postMessage({ type: "error", message: e.message });
  }
};

await ready();
postMessage({ type: "ready", isolated: globalThis.crossOriginIsolated === true, threads: getNumThreads(), vocabulary: encoder.size, corpus: corpus.length });
