// Threads in a browser (headless Chromium through playwright-core): inside a worker of a cross-origin
// isolated page, ready() starts the pool and GEMM and attention give the same bits with 1 and 2 threads;
// without isolation the kernels run on one thread.
import { createServer, type Server } from "node:http";
import { join } from "node:path";
import * as esbuild from "esbuild";
import { chromium, type Browser } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

const PAGE = `<!doctype html><script>
  window.result = null;
  const w = new Worker("worker.js");
  w.onmessage = (e) => { window.result = e.data; };
  w.onerror = (e) => { window.result = { error: e.message }; };
</script>`;

let browser: Browser;
let server: Server;
let base = "";

beforeAll(async () => {
  const built = await esbuild.build({
    entryPoints: [join(__dirname, "browser", "threadsWorker.ts")], bundle: true, minify: true, format: "iife", platform: "browser", target: "es2022", write: false, logLevel: "silent", // minified, as an app ships it (the worker loop is sent as source)
  });
  const worker = built.outputFiles[0].text;
  server = createServer((req, res) => {
    const isolated = req.url!.startsWith("/isolated/");
    const headers: Record<string, string> = { "cache-control": "no-store" };
    if (isolated) Object.assign(headers, { "cross-origin-opener-policy": "same-origin", "cross-origin-embedder-policy": "require-corp" });
    if (req.url!.endsWith("/worker.js")) res.writeHead(200, { ...headers, "content-type": "text/javascript" }).end(worker);
    else res.writeHead(200, { ...headers, "content-type": "text/html" }).end(PAGE);
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  base = `http://127.0.0.1:${(server.address() as { port: number }).port}`;
  browser = await chromium.launch({ executablePath: "/usr/bin/chromium", args: ["--headless", "--no-sandbox", "--disable-gpu"] });
}, 60_000);

afterAll(async () => {
  await browser?.close();
  await new Promise((resolve) => server?.close(resolve));
});

interface Result { error?: string; isolated: boolean; threadsAfterReady: number; workers: number; identical: boolean }

async function run(path: string): Promise<Result> {
  const page = await browser.newPage();
  await page.goto(base + path);
  await page.waitForFunction(() => (window as unknown as { result: unknown }).result !== null, undefined, { timeout: 30_000 });
  const result = await page.evaluate(() => (window as unknown as { result: Result }).result);
  await page.close();
  return result;
}

describe("kernel threads in a browser", () => {
  it("a worker of a cross-origin isolated page runs a pool: 2 threads, bit-identical to 1", async () => {
    const r = await run("/isolated/");
    expect(r.error).toBeUndefined();
    expect(r.isolated).toBe(true);
    expect(r.threadsAfterReady).toBe(await browser.newPage().then(async (p) => { const n = await p.evaluate(() => navigator.hardwareConcurrency); await p.close(); return n; }));
    expect(r.workers).toBeGreaterThanOrEqual(1);
    expect(r.identical).toBe(true);
  }, 60_000);

  it("without cross-origin isolation the kernels use one thread", async () => {
    const r = await run("/plain/");
    expect(r.error).toBeUndefined();
    expect(r.isolated).toBe(false);
    expect(r.threadsAfterReady).toBe(1);
    expect(r.workers).toBe(0);
    expect(r.identical).toBe(true);
  }, 60_000);
});
