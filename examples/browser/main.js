// The demo page: starts the worker, draws the loss curve as progress arrives, draws the attention heatmap of
// the chosen test utterance, and offers the trained net as a download. `window.demo` holds what was drawn
// (the browser test reads it).
import { countFrames } from "./frames.js";
const $ = (id) => document.getElementById(id);
const worker = new Worker(new URL("./worker.js", import.meta.url), { type: "module" });
const demo = (window.demo = { state: "loading", iterations: [], epochs: [], attention: null, frames: 0, framesWhileTraining: 0, identical: null });

countFrames(demo, $("ticker"));

worker.onmessage = ({ data }) => {
  switch (data.type) {
    case "ready": {
      const select = $("utterance");
      select.replaceChildren(...data.speakers.map((s, i) => new Option(`#${i + 1}: speaker ${s}, ${data.lengths[i]} steps`, String(i))));
      select.disabled = false;
      $("train").disabled = false;
      demo.state = "ready";
      $("status").textContent = `ready: ${data.train} training and ${data.speakers.length} test utterances`;
      break;
    }
    case "iteration":
      demo.iterations.push({ x: data.epoch - 1 + data.iteration / data.iterationsPerEpoch, loss: data.loss });
      demo.maxEpochs = data.maxEpochs;
      drawLoss();
      break;
    case "epoch":
      demo.epochs.push({ x: data.epoch, loss: data.loss, validationLoss: data.validationLoss, validationAccuracy: data.validationAccuracy });
      $("status").textContent = `epoch ${data.epoch}/${data.maxEpochs}: loss ${data.loss.toFixed(4)}, test loss ${data.validationLoss.toFixed(4)}, test accuracy ${(100 * data.validationAccuracy).toFixed(1)}%, ${data.elapsedSeconds.toFixed(1)} s`;
      drawLoss();
      break;
    case "attention":
      demo.attention = data;
      drawHeatmap(data);
      break;
    case "done": {
      demo.state = "done";
      demo.identical = data.identical;
      const link = $("download");
      if (link.href) URL.revokeObjectURL(link.href);
      link.href = URL.createObjectURL(new Blob([data.bytes], { type: "application/octet-stream" }));
      link.setAttribute("aria-disabled", "false");
      demo.bytes = data.bytes.length;
      demo.predicted = data.predicted;
      $("train").disabled = false;
      $("status").textContent += ` — done; the downloadable net (${(data.bytes.length / 1024).toFixed(1)} KiB) ${data.identical ? "reloads with identical predictions" : "DOES NOT reload identically"}`;
      break;
    }
    case "error":
      demo.state = "error";
      demo.error = data.message;
      $("status").textContent = `error: ${data.message}`;
      $("train").disabled = false;
      break;
  }
};

$("train").onclick = () => {
  Object.assign(demo, { state: "training", iterations: [], epochs: [], attention: null, framesWhileTraining: 0, identical: null });
  $("train").disabled = true;
  $("download").setAttribute("aria-disabled", "true");
  $("status").textContent = "training…";
  worker.postMessage({ type: "train", epochs: Number($("epochs").value), utterance: Number($("utterance").value) });
};
$("utterance").onchange = () => {
  if (demo.state === "done") worker.postMessage({ type: "attention", index: Number($("utterance").value) });
};

const FONT = "22px system-ui, sans-serif";

function drawLoss() {
  const canvas = $("loss"), g = canvas.getContext("2d");
  const W = canvas.width, H = canvas.height, left = 80, right = 20, top = 20, bottom = 60;
  g.clearRect(0, 0, W, H);
  const points = [...demo.iterations.map((p) => p.loss), ...demo.epochs.map((p) => p.validationLoss)].filter(Number.isFinite);
  if (points.length === 0) return;
  const maxX = demo.maxEpochs ?? 1, maxY = Math.max(...points) * 1.05;
  const px = (x) => left + ((W - left - right) * x) / maxX, py = (y) => top + (H - top - bottom) * (1 - y / maxY);
  g.strokeStyle = "#999"; g.lineWidth = 1; g.font = FONT; g.fillStyle = "#444";
  g.beginPath(); g.moveTo(left, top); g.lineTo(left, H - bottom); g.lineTo(W - right, H - bottom); g.stroke();
  for (let k = 0; k <= 4; k++) {
    const y = (maxY * k) / 4;
    g.textAlign = "right"; g.fillText(y.toFixed(2), left - 8, py(y) + 7);
  }
  g.textAlign = "center";
  for (let e = 0; e <= maxX; e += Math.max(1, Math.ceil(maxX / 10))) g.fillText(String(e), px(e), H - bottom + 28);
  g.fillText("epoch", (left + W) / 2, H - 6);
  const line = (pts, color, width) => {
    g.strokeStyle = color; g.lineWidth = width; g.beginPath();
    pts.forEach((p, i) => (i ? g.lineTo(px(p.x), py(p.y)) : g.moveTo(px(p.x), py(p.y))));
    g.stroke();
  };
  line(demo.iterations.map((p) => ({ x: p.x, y: p.loss })), "#9ecae1", 2);
  line(demo.epochs.map((p) => ({ x: p.x - 0.5, y: p.loss })), "#08519c", 4); // an epoch's mean, at its middle
  line(demo.epochs.map((p) => ({ x: p.x, y: p.validationLoss })), "#e6550d", 4);
  g.textAlign = "left";
  [["mini-batch", "#9ecae1"], ["epoch mean", "#08519c"], ["test (end of epoch)", "#e6550d"]].forEach(([label, color], i) => {
    g.fillStyle = color; g.fillRect(W - 290, top + 10 + i * 32, 28, 8); g.fillStyle = "#444"; g.fillText(label, W - 252, top + 20 + i * 32);
  });
}

// viridis at nine stops, interpolated
const VIRIDIS = ["#440154", "#472d7b", "#3b528b", "#2c728e", "#21918c", "#28ae80", "#5ec962", "#addc30", "#fde725"].map((h) => [1, 3, 5].map((i) => parseInt(h.slice(i, i + 2), 16)));
function viridis(t) {
  const pos = Math.min(1, Math.max(0, t)) * (VIRIDIS.length - 1), i = Math.min(VIRIDIS.length - 2, Math.floor(pos)), f = pos - i;
  return `rgb(${VIRIDIS[i].map((c, k) => Math.round(c + (VIRIDIS[i + 1][k] - c) * f)).join(",")})`;
}

function drawHeatmap({ length: T, weights, speaker, predicted, index }) {
  const canvas = $("heatmap"), g = canvas.getContext("2d");
  const W = canvas.width, H = canvas.height, left = 70, top = 10, bottom = 60, bar = 90, size = Math.min(W - left - bar, H - top - bottom), cell = size / T;
  g.clearRect(0, 0, W, H);
  const max = Math.max(...weights);
  for (let q = 0; q < T; q++) for (let k = 0; k < T; k++) {
    g.fillStyle = viridis(weights[q * T + k] / max);
    g.fillRect(left + k * cell, top + q * cell, Math.ceil(cell), Math.ceil(cell));
  }
  g.fillStyle = "#444"; g.font = FONT; g.textAlign = "center";
  g.fillText("key time step", left + size / 2, top + size + 45);
  for (let t = 0; t < T; t += 5) {
    g.fillText(String(t + 1), left + (t + 0.5) * cell, top + size + 20);
    g.textAlign = "right"; g.fillText(String(t + 1), left - 8, top + (t + 0.5) * cell + 7); g.textAlign = "center";
  }
  g.save(); g.translate(18, top + size / 2); g.rotate(-Math.PI / 2); g.fillText("query time step", 0, 0); g.restore();
  // colour bar: weight 0 … the largest weight in the map
  const x0 = left + size + 20;
  for (let y = 0; y < size; y++) { g.fillStyle = viridis(1 - y / size); g.fillRect(x0, top + y, 18, 1); }
  g.fillStyle = "#444"; g.textAlign = "left"; g.font = "18px system-ui, sans-serif";
  g.fillText(max.toFixed(2), x0 + 22, top + 14); g.fillText("0", x0 + 22, top + size);
  $("heatmap-title").textContent = `Attention (mean over 4 heads) of test utterance #${index + 1}: speaker ${speaker}, predicted ${predicted}`;
}
