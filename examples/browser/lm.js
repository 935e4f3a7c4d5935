// The lm page: starts the training worker and the generating worker, passes each epoch's weights from one to the
// other, draws the loss curve (the lm job's SVG chart) as progress arrives, and appends streamed characters to the
// page as they come. Sizes come from the URL (?size=64&heads=4&blocks=2&context=64&feedForward=256&windows=512
// &batchSize=16&learnRate=0.003&validation=64&characters=0&seed=0&epochs=10; characters 0: the whole corpus).
// `window.lm` holds what the page shows (the browser test reads it).
import { lineChartSvg } from "attention-layers/app/report/lineChart.js";
import { countFrames } from "./frames.js";

const $ = (id) => document.getElementById(id);
const DEFAULTS = { size: 64, heads: 4, blocks: 2, context: 64, feedForward: 256, windows: 512, batchSize: 16, learnRate: 0.003, validation: 64, characters: 0, seed: 0, epochs: 10 };
const params = new URL(location.href).searchParams;
const settings = Object.fromEntries(Object.entries(DEFAULTS).map(([k, v]) => [k, params.has(k) ? Number(params.get(k)) : v]));
$("epochs").value = String(settings.epochs);

const lm = (window.lm = {
  state: "loading", settings, iterations: [], epochs: [], frames: 0, framesWhileTraining: 0,
  generation: { state: "idle", text: "", count: 0, epoch: 0, runs: 0 },
});
const trainer = new Worker(new URL("./lmTrainWorker.js", import.meta.url), { type: "module" });
const generator = new Worker(new URL("./lmGenerateWorker.js", import.meta.url), { type: "module" });

countFrames(lm, $("ticker"));

let chartQueued = false;
const queueChart = () => {
  if (!chartQueued) (chartQueued = true), requestAnimationFrame(() => ((chartQueued = false), drawChart()));
};

function fail(message) {
  lm.state = "error";
  lm.error = message;
  $("status").textContent = `error: ${message}`;
  $("train").disabled = false;
}

trainer.onmessage = ({ data }) => {
  switch (data.type) {
    case "ready":
      Object.assign(lm, { state: "ready", isolated: data.isolated, threads: data.threads });
      $("train").disabled = false;
      $("status").textContent = `ready: ${data.corpus} characters of the King James Version, ${data.vocabulary} distinct; kernels on ${data.threads} thread${data.threads > 1 ? "s" : ""} (${data.isolated ? "" : "not "}cross-origin isolated)`;
      break;
    case "started":
      lm.learnables = data.learnables;
      $("model").textContent = `${settings.blocks} block${settings.blocks > 1 ? "s" : ""}, width ${settings.size}, ${settings.heads} heads, context ${settings.context}: ${data.learnables.toLocaleString("en")} learnables, ${data.threads} thread${data.threads > 1 ? "s" : ""}`;
      break;
    case "iteration":
      lm.iterations.push({ step: data.step, loss: data.loss });
      $("progress").max = data.steps;
      $("progress").value = data.step;
      $("status").textContent = `epoch ${data.epoch}/${data.maxEpochs}, step ${data.step}/${data.steps}: mini-batch loss ${data.loss.toFixed(3)}, ${data.elapsedSeconds.toFixed(1)} s` +
        (lm.epochs.length ? `; validation loss ${lm.epochs.at(-1).validationLoss.toFixed(3)} after epoch ${lm.epochs.at(-1).epoch}` : "");
      queueChart();
      break;
    case "epoch":
      lm.epochs.push({ epoch: data.epoch, step: data.step, loss: data.loss, validationLoss: data.validationLoss, seconds: data.elapsedSeconds });
      generator.postMessage({ type: "weights", bytes: data.bytes, epoch: data.epoch }, [data.bytes.buffer]);
      if (lm.generation.state !== "generating") $("generate").disabled = false;
      $("generate").title = `continues the prompt with the weights of the latest epoch (${data.epoch})`;
      queueChart();
      break;
    case "trained": {
      lm.state = "trained";
      const last = lm.epochs.at(-1);
      $("status").textContent = `trained: ${last.epoch} epochs, ${lm.iterations.length} steps in ${last.seconds.toFixed(1)} s; validation loss ${last.validationLoss.toFixed(3)} nats = ${(last.validationLoss / Math.LN2).toFixed(3)} bits per character`;
      $("train").disabled = false;
      break;
    }
    case "error":
      fail(data.message);
      break;
  }
};

let streamed = null; // the text node the characters go into
generator.onmessage = ({ data }) => {
  const g = lm.generation;
  switch (data.type) {
    case "text":
      g.text += data.text;
      g.count++;
      streamed.appendData(data.text);
      if (g.count % 16 === 0) $("output").scrollTop = $("output").scrollHeight;
      $("generation").textContent = `generating: ${g.count} characters…`;
      break;
    case "generated":
      Object.assign(g, { state: data.stopped ? "stopped" : "done", epoch: data.epoch });
      $("output").scrollTop = $("output").scrollHeight;
      $("generation").textContent = `${data.count} characters from the weights of epoch ${data.epoch}${data.stopped ? " (stopped)" : ""}`;
      $("generate").disabled = false;
      $("stop").disabled = true;
      break;
    case "error":
      Object.assign(g, { state: "error", error: data.message });
      $("generation").textContent = `error: ${data.message}`;
      $("generate").disabled = false;
      $("stop").disabled = true;
      break;
  }
};

$("train").onclick = () => {
  Object.assign(lm, { state: "training", iterations: [], epochs: [], framesWhileTraining: 0 });
  $("train").disabled = true;
  $("status").textContent = "training…";
  trainer.postMessage({ type: "train", ...settings, epochs: Number($("epochs").value) });
};

$("generate").onclick = () => {
  const prompt = $("prompt").value;
  Object.assign(lm.generation, { state: "generating", text: "", count: 0, error: undefined, runs: lm.generation.runs + 1 });
  const bold = document.createElement("b");
  bold.textContent = prompt;
  streamed = document.createTextNode("");
  $("output").replaceChildren(bold, streamed);
  $("generate").disabled = true;
  $("stop").disabled = false;
  $("generation").textContent = "generating…";
  generator.postMessage({
    type: "generate", prompt, maxNewTokens: Number($("length").value), temperature: Number($("temperature").value), seed: settings.seed + lm.generation.runs,
  });
};

$("stop").onclick = () => generator.postMessage({ type: "stop" });

function drawChart() {
  const series = [
    { name: "mini-batch", x: lm.iterations.map((p) => p.step), y: lm.iterations.map((p) => p.loss), color: "#9ecae1" },
    { name: "epoch mean", x: lm.epochs.map((p) => p.step), y: lm.epochs.map((p) => p.loss), color: "#08519c" },
    { name: "validation", x: lm.epochs.map((p) => p.step), y: lm.epochs.map((p) => p.validationLoss), color: "#e6550d" },
  ];
  $("chart").innerHTML = lineChartSvg({ title: "Cross-entropy per character", xLabel: "step", yLabel: "loss (nats per character)", series, width: 640, height: 440 });
}
