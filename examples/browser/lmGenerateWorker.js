// The lm page's generating worker: holds the latest weights the training worker sent (a safetensors file with its
// text encoder) and streams a continuation of the prompt with generateStream, one message per character. Because
// generateStream lets the event loop run before each token, a "stop" message reaches this worker mid-stream and
// aborts it. A text longer than the net's context is made in pieces (app/cli/lmContinue.js, as the lm job does).
import { ready, setNumThreads, deserializeNet, generateStream } from "attention-layers";
import { continuation } from "attention-layers/app/cli/lmContinue.js";

setNumThreads(1); // the training worker has the threads
let latest = null; // { net, epoch }
let controller = null;

async function generateText({ prompt, maxNewTokens, temperature, seed }) {
  if (!latest) throw new Error("no weights yet: generation starts after the first epoch");
  controller?.abort();
  const own = (controller = new AbortController());
  const { net, epoch } = latest; // weights that arrive meanwhile are for the next generation
  const pieces = continuation(net.nodes.positions.maxPosition, prompt, maxNewTokens, seed);
  let count = 0;
  for (let piece = pieces.next(); !piece.done && !own.signal.aborted; ) {
    const { window, maxNewTokens: n, seed: pieceSeed } = piece.value;
    let more = "";
    for await (const { text } of generateStream(net, window, { maxNewTokens: n, temperature, seed: pieceSeed, signal: own.signal })) {
      more += text;
      count++;
      postMessage({ type: "text", text });
    }
    piece = pieces.next(more);
  }
  postMessage({ type: "generated", count, epoch, stopped: own.signal.aborted });
}

onmessage = async ({ data }) => {
  try {
    if (data.type === "weights") latest = { net: deserializeNet(data.bytes), epoch: data.epoch };
    else if (data.type === "stop") controller?.abort();
    else if (data.type === "generate") await generateText(data);
  } catch (e) {
    postMessage({ type: "error", message: e.message });
  }
};

await ready();
postMessage({ type: "ready" });
