// The browser demo (examples/browser/), built with esbuild from the packed package installed into a fresh
// project, served on loopback and driven in headless Chromium (Debian's, through playwright-core): the
// loss falls, the page keeps drawing frames while the worker trains, the heatmap has colour, and the
// downloaded net reloads with the same predictions. The lm page (tiny sizes from its URL) trains with threads,
// its loss falls, and text streams into the page from the corpus's characters while training runs, until Stop.
import { cpSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import * as esbuild from "esbuild";
import { chromium, type Browser } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { deserializeNet, loadJapaneseVowels, type NetGraph, type Tensor } from "../../src/node/index.js";
import { buildDemo } from "../../examples/browser/build.mjs";
import { serveFolder } from "../../examples/browser/serve.mjs";
import { installedPackage, repoRoot } from "../helpers/packedInstall.js";

const CHROMIUM_FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update", "--disable-sync", "--no-first-run"];
export const SCREENSHOT = join(repoRoot, "test", "output", "browser-demo.png");
const LM_SCREENSHOTS = ["browser-lm-streaming.png", "browser-lm-trained.png"].map((f) => join(repoRoot, "test", "output", f));
const KJV = readFileSync(join(repoRoot, "data", "kjv", "kjv-genesis-proverbs-ecclesiastes.txt"), "utf8");

interface DemoState {
  state: string; error?: string; epochs: { loss: number; validationLoss: number; validationAccuracy: number }[]; iterations: { loss: number }[];
  framesWhileTraining: number; identical: boolean | null; predicted: number[]; attention: { index: number; length: number } | null;
}

interface LmState {
  state: string; error?: string; isolated: boolean; threads: number; framesWhileTraining: number;
  iterations: { step: number; loss: number }[]; epochs: { epoch: number; loss: number; validationLoss: number }[];
  generation: { state: string; text: string; count: number; epoch: number; error?: string };
}

declare global {
  interface Window { demo: DemoState; lm: LmState }
}

let browser: Browser;
let server: { url: string; close: () => Promise<void> };

beforeAll(async () => {
  const { dir } = installedPackage();
  const source = join(dir, "demo");
  cpSync(join(repoRoot, "examples", "browser"), source, { recursive: true, filter: (path) => !path.endsWith("/dist") });
  const built = await buildDemo({ dir: source, outdir: join(dir, "site"), esbuild });
  const inputs = Object.keys(built.metafile!.inputs);
  expect(inputs.some((p) => p.includes("node_modules/attention-layers/dist/index.js"))).toBe(true); // the packed package, browser entry
  expect(inputs.filter((p) => p.startsWith("node:"))).toEqual([]);
  server = await serveFolder(join(dir, "site"));
  browser = await chromium.launch({ executablePath: "/usr/bin/chromium", args: CHROMIUM_FLAGS });
}, 60_000);

afterAll(async () => {
  await browser?.close();
  await server?.close();
});

describe("the browser demo", () => {
  it("trains in a worker, draws the loss and the attention heatmap, and offers a net that reloads identically", async () => {
    const page = await browser.newPage({ viewport: { width: 1100, height: 820 }, acceptDownloads: true });
    const errors: string[] = [];
    page.on("pageerror", (e) => errors.push(e.message));
    await page.goto(server.url);
    await page.waitForFunction(() => window.demo.state === "ready", undefined, { timeout: 20_000 });
    await page.fill("#epochs", "4");
    await page.selectOption("#utterance", "7");
    await page.click("#train");
    await page.waitForFunction(() => ["done", "error"].includes(window.demo.state), undefined, { timeout: 60_000 });
    const demo = await page.evaluate(() => window.demo);
    expect(demo.error).toBeUndefined();
    expect(errors).toEqual([]);

    // the loss falls: epoch means and test loss, and mini-batches from the first to the last epoch
    expect(demo.epochs.length).toBe(4);
    expect(demo.epochs[3].loss).toBeLessThan(demo.epochs[0].loss);
    expect(demo.epochs[3].validationLoss).toBeLessThan(demo.epochs[0].validationLoss);
    expect(demo.iterations.length).toBe(4 * 10);
    expect(demo.iterations.at(-1)!.loss).toBeLessThan(demo.iterations[0].loss / 2);
    expect(demo.epochs[3].validationAccuracy).toBeGreaterThan(0.5);
    // the page kept drawing while the worker trained
    expect(demo.framesWhileTraining).toBeGreaterThan(3);

    // the heatmap of utterance #8 is drawn: many distinct colours inside the map, none of them the background
    expect(demo.attention?.index).toBe(7);
    const colours = await page.evaluate(() => {
      const canvas = document.getElementById("heatmap") as HTMLCanvasElement;
      const { data } = canvas.getContext("2d")!.getImageData(70, 10, 400, 400);
      const seen = new Set<number>();
      let transparent = 0;
      for (let i = 0; i < data.length; i += 4) {
        if (data[i + 3] === 0) transparent++;
        else seen.add((data[i] << 16) | (data[i + 1] << 8) | data[i + 2]);
      }
      return { distinct: seen.size, transparent };
    });
    expect(colours.transparent).toBe(0);
    expect(colours.distinct).toBeGreaterThan(20);
    // the loss canvas has its curves
    const lossPixels = await page.evaluate(() => {
      const canvas = document.getElementById("loss") as HTMLCanvasElement;
      const { data } = canvas.getContext("2d")!.getImageData(0, 0, canvas.width, canvas.height);
      let drawn = 0;
      for (let i = 3; i < data.length; i += 4) if (data[i] > 0) drawn++;
      return drawn;
    });
    expect(lossPixels).toBeGreaterThan(2000);

    mkdirSync(join(repoRoot, "test", "output"), { recursive: true });
    await page.screenshot({ path: SCREENSHOT, fullPage: true });

    // the download: safetensors bytes that give the browser's predictions here in Node
    expect(demo.identical).toBe(true);
    const [download] = await Promise.all([page.waitForEvent("download"), page.click("#download")]);
    const path = join(repoRoot, "test", "output", "browser-demo.safetensors");
    await download.saveAs(path);
    const net = deserializeNet(new Uint8Array(readFileSync(path))) as NetGraph;
    const { test } = loadJapaneseVowels();
    const predicted = (net.predict(test.x) as Tensor[]).map((p) => p.data.indexOf(Math.max(...p.data)));
    expect(predicted).toEqual(demo.predicted);
    writeFileSync(join(repoRoot, "test", "output", "browser-demo.json"), JSON.stringify({ epochs: demo.epochs }, null, 1));

    // choosing another utterance after training redraws the heatmap for it
    await page.selectOption("#utterance", "20");
    await page.waitForFunction(() => window.demo.attention?.index === 20, undefined, { timeout: 10_000 });
    expect(await page.textContent("#heatmap-title")).toMatch(/test utterance #21: speaker \d, predicted \d/);
  }, 90_000);

  it("the lm page trains the character GPT with threads, and streams text into the page while it trains, until Stop", async () => {
    const page = await browser.newPage({ viewport: { width: 1100, height: 900 } });
    const errors: string[] = [];
    page.on("pageerror", (e) => errors.push(e.message));
    await page.goto(server.url);
    expect(await page.getAttribute("#lm-link", "href")).toBe("./lm.html"); // the main page links to it
    await page.goto(`${server.url}lm.html?size=32&heads=2&blocks=1&context=32&feedForward=64&windows=512&batchSize=32&validation=16&characters=30000`);
    await page.waitForFunction(() => window.lm.state === "ready", undefined, { timeout: 20_000 });
    const ready = await page.evaluate(() => ({ isolated: window.lm.isolated, threads: window.lm.threads, cores: navigator.hardwareConcurrency }));
    expect(ready.isolated).toBe(true); // serve.mjs sends COOP/COEP
    expect(ready.threads).toBe(ready.cores); // the training worker's kernels use every core

    await page.fill("#epochs", "10");
    await page.click("#train");
    await page.waitForFunction(() => window.lm.epochs.length >= 1, undefined, { timeout: 20_000 });
    // generate while training goes on: many characters asked for, so only Stop ends it
    await page.fill("#prompt", "And God said");
    await page.fill("#length", "20000");
    await page.click("#generate");
    const shown = () => page.evaluate(() => ({ count: window.lm.generation.count, text: document.getElementById("output")!.textContent!, training: window.lm.state === "training" }));
    await page.waitForFunction(() => window.lm.generation.count >= 20, undefined, { timeout: 10_000 });
    const first = await shown();
    await page.waitForFunction((n) => window.lm.generation.count > n + 20, first.count, { timeout: 10_000 });
    const later = await shown();
    expect(first.training).toBe(true); // streaming while the other worker trains
    expect(later.text.startsWith(first.text)).toBe(true); // the text grows on the page
    expect(later.text.length).toBeGreaterThan(first.text.length);
    expect(first.text.startsWith("And God said")).toBe(true);
    mkdirSync(join(repoRoot, "test", "output"), { recursive: true });
    await page.screenshot({ path: LM_SCREENSHOTS[0], fullPage: true });

    await page.click("#stop");
    await page.waitForFunction(() => window.lm.generation.state !== "generating", undefined, { timeout: 10_000 });
    const stopped = await page.evaluate(() => window.lm.generation);
    expect(stopped.state).toBe("stopped");
    expect(stopped.count).toBeLessThan(20_000);
    expect(stopped.text).toHaveLength(stopped.count);
    await page.waitForTimeout(500);
    expect((await shown()).text).toBe(`And God said${stopped.text}`); // nothing more came after Stop
    const alphabet = new Set(KJV);
    expect([...stopped.text].filter((c) => !alphabet.has(c))).toEqual([]); // made of the corpus's characters

    // training ends; the loss fell
    await page.waitForFunction(() => ["trained", "error"].includes(window.lm.state), undefined, { timeout: 40_000 });
    const lm = await page.evaluate(() => window.lm);
    expect(lm.error).toBeUndefined();
    expect(lm.epochs).toHaveLength(10);
    expect(lm.iterations).toHaveLength(10 * 16); // 512 windows in mini-batches of 32
    const mean = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / xs.length;
    expect(mean(lm.iterations.slice(-16).map((p) => p.loss))).toBeLessThan(mean(lm.iterations.slice(0, 16).map((p) => p.loss)) - 0.5); // last epoch against the first
    expect(lm.epochs[9].validationLoss).toBeLessThan(lm.epochs[0].validationLoss - 0.2);
    expect(lm.framesWhileTraining).toBeGreaterThan(3);
    // the loss chart: the lm job's SVG line chart with its three series
    const chart = await page.evaluate(() => ({ paths: document.querySelectorAll("#chart svg path, #chart svg polyline").length, text: document.getElementById("chart")!.textContent }));
    expect(chart.paths).toBeGreaterThanOrEqual(3);
    expect(chart.text).toContain("validation");

    // after training: a short generation runs to its end, from the last epoch's weights
    await page.fill("#length", "120");
    await page.click("#generate");
    await page.waitForFunction(() => window.lm.generation.state !== "generating", undefined, { timeout: 20_000 });
    const done = await page.evaluate(() => window.lm.generation);
    expect(done).toMatchObject({ state: "done", count: 120, epoch: 10 });
    expect([...done.text].every((c) => alphabet.has(c))).toBe(true);
    await page.screenshot({ path: LM_SCREENSHOTS[1], fullPage: true });
    // a prompt character the corpus lacks is refused on the page, naming it; the page goes on working
    await page.fill("#prompt", "And God said ©");
    await page.click("#generate");
    await page.waitForFunction(() => window.lm.generation.state !== "generating", undefined, { timeout: 10_000 });
    expect(await page.textContent("#generation")).toMatch(/^error: .*"©" \(U\+00A9\)/);
    expect(await page.isEnabled("#generate")).toBe(true);
    expect(errors).toEqual([]);
  }, 60_000);
});
