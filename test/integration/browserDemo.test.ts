// The browser demo (examples/browser/), built with esbuild from the packed package installed into a fresh
// project, served on loopback and driven in headless Chromium (Debian's, through playwright-core): the
// loss falls, the page keeps drawing frames while the worker trains, the heatmap has colour, and the
// downloaded net reloads with the same predictions.
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

interface DemoState {
  state: string; error?: string; epochs: { loss: number; validationLoss: number; validationAccuracy: number }[]; iterations: { loss: number }[];
  framesWhileTraining: number; identical: boolean | null; predicted: number[]; attention: { index: number; length: number } | null;
}

declare global {
  interface Window { demo: DemoState }
}

let browser: Browser;
let server: { url: string; close: () => Promise<void> };

beforeAll(async () => {
  const { dir } = installedPackage();
  const source = join(dir, "demo");
  mkdirSync(source);
  for (const f of ["index.html", "main.js", "worker.js"]) cpSync(join(repoRoot, "examples", "browser", f), join(source, f));
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
});
