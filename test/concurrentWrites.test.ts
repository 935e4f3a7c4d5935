// Files written side by side: saves of one target from several threads of one process (as from several
// processes that share a pid, like pid 1 in two containers) all succeed, and the file is always one whole
// net; temp-file cleanup removes only files whose writer is provably gone.
import { describe, expect, it } from "vitest";
import { execFileSync } from "node:child_process";
import { existsSync, mkdtempSync, readdirSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { basename, join } from "node:path";
import { fileURLToPath } from "node:url";
import { Worker } from "node:worker_threads";
import { fullyConnectedLayer, loadNet, netChain, saveNet, sequenceInputLayer } from "../dist/node/index.js";
import { tempPathFor } from "../src/node/atomicWrite.js";
import { self } from "../src/node/fileOwner.js";

const entry = fileURLToPath(new URL("../dist/node/index.js", import.meta.url));

/** Runs `saves` saveNet calls of the same net to `target` on a worker thread; resolves to the error messages. */
function saveOnThread(target: string, saves: number): Promise<string[]> {
  const source = `
    const { workerData, parentPort } = require("node:worker_threads");
    import(workerData.entry).then(({ saveNet, netChain, sequenceInputLayer, fullyConnectedLayer }) => {
      const net = netChain([sequenceInputLayer(200), fullyConnectedLayer(200)]).initialize({ seed: 7 });
      const errors = [];
      for (let i = 0; i < workerData.saves; i++) {
        try { saveNet(net, workerData.target); } catch (e) { errors.push(e.message); }
      }
      parentPort.postMessage(errors);
    });`;
  return new Promise((resolve, reject) => {
    const worker = new Worker(source, { eval: true, workerData: { entry, target, saves } });
    worker.once("message", resolve);
    worker.once("error", reject);
  });
}

describe("saveNet side by side", () => {
  it("40 saves of one path from 4 threads of one process all succeed and leave one whole net", async () => {
    const dir = mkdtempSync(join(tmpdir(), "attention-concurrent-"));
    const target = join(dir, "net.safetensors");
    const errors = (await Promise.all([0, 1, 2, 3].map(() => saveOnThread(target, 10)))).flat();
    expect(errors).toEqual([]);
    expect(loadNet(target).parameters["2/weights"].shape).toEqual([200, 200]);
    expect(readdirSync(dir)).toEqual(["net.safetensors"]); // no temp file left behind
  }, 60_000);

  it("removes only temp files whose writer is provably gone", () => {
    const dir = mkdtempSync(join(tmpdir(), "attention-stale-"));
    const target = join(dir, "net.safetensors");
    const deadPid = Number(execFileSync(process.execPath, ["-e", "process.stdout.write(String(process.pid))"], { encoding: "utf8" }));
    const gone = tempPathFor(target, { ...self, pid: deadPid });
    const otherThread = tempPathFor(target, { ...self, thread: self.thread + 1 }); // this process: maybe being written
    const otherHost = tempPathFor(target, { ...self, origin: self.origin === "00000000" ? "00000001" : "00000000", pid: deadPid }); // its pid means nothing here
    for (const f of [gone, otherThread, otherHost]) writeFileSync(f, "partial");
    saveNet(netChain([sequenceInputLayer(2), fullyConnectedLayer(2)]).initialize({ seed: 1 }), target);
    expect(existsSync(gone)).toBe(false);
    expect(readdirSync(dir).sort()).toEqual([basename(otherHost), basename(otherThread), "net.safetensors"].sort());
  });
});
