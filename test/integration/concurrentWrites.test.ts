// Files written side by side: saves of one target from several threads of one process (as from several
// processes that share a pid, like pid 1 in two containers) all succeed, and the file is always one whole
// net; temp-file cleanup removes only files whose writer is provably gone. Two CLI runs never share an
// output folder: the second is refused, naming the lock and its holder.
import { describe, expect, it } from "vitest";
import { execFileSync, spawn, spawnSync } from "node:child_process";
import { existsSync, mkdirSync, readFileSync, readdirSync, writeFileSync } from "node:fs";
import { basename, join } from "node:path";
import { fileURLToPath } from "node:url";
import { Worker } from "node:worker_threads";
import { fullyConnectedLayer, loadNet, netChain, saveNet, sequenceInputLayer } from "../../dist/node/index.js";
import { tempPathFor } from "../../src/node/atomicWrite.js";
import { self } from "../../src/node/fileOwner.js";
import { cliMain, tinyData } from "../helpers/cliRuns.js";
import { tempDir } from "../helpers/tempDir.js";

const entry = fileURLToPath(new URL("../../dist/node/index.js", import.meta.url));

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
    const dir = tempDir("concurrent");
    const target = join(dir, "net.safetensors");
    const errors = (await Promise.all([0, 1, 2, 3].map(() => saveOnThread(target, 10)))).flat();
    expect(errors).toEqual([]);
    expect(loadNet(target).parameters["2/weights"].shape).toEqual([200, 200]);
    expect(readdirSync(dir)).toEqual(["net.safetensors"]); // no temp file left behind
  }, 60_000);

  it("two processes that are both pid 1 (as in two containers) save one path 20 times each, all succeeding", async () => {
    const probe = spawnSync("unshare", ["--pid", "--fork", "--mount-proc", process.execPath, "-e", "process.stdout.write(String(process.pid))"], { encoding: "utf8" });
    if (probe.stdout !== "1") return; // no pid namespaces here (not Linux, or not allowed): the thread case above stands in
    const dir = tempDir("pid1");
    const target = join(dir, "net.safetensors");
    const child = `import { saveNet, netChain, sequenceInputLayer, fullyConnectedLayer } from ${JSON.stringify(entry)};
      if (process.pid !== 1) throw new Error("expected pid 1, got " + process.pid);
      const net = netChain([sequenceInputLayer(200), fullyConnectedLayer(200)]).initialize({ seed: 7 });
      for (let i = 0; i < 20; i++) saveNet(net, ${JSON.stringify(target)});`;
    const runs = [0, 1].map(() => new Promise<{ code: number | null; stderr: string }>((resolve) => {
      const p = spawn("unshare", ["--pid", "--fork", "--mount-proc", process.execPath, "--input-type=module", "-e", child], { stdio: ["ignore", "ignore", "pipe"] });
      let stderr = "";
      p.stderr.on("data", (b) => (stderr += b));
      p.once("exit", (code) => resolve({ code, stderr }));
    }));
    expect(await Promise.all(runs)).toEqual([{ code: 0, stderr: "" }, { code: 0, stderr: "" }]);
    expect(loadNet(target).parameters["2/weights"].shape).toEqual([200, 200]);
    expect(readdirSync(dir)).toEqual(["net.safetensors"]);
  }, 60_000);

  it("removes only temp files whose writer is provably gone", () => {
    const dir = tempDir("stale");
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

const lockOf = (dir: string) => join(dir, ".attention-layers.lock");

describe("two CLI runs with the same --out", () => {
  it("the second is refused before training, naming the lock and its holder; the first finishes alone", async () => {
    const dir = tempDir("cli-lock");
    const out = join(dir, "out");
    const first = spawn(process.execPath, [cliMain, "--out", out, "--epochs", "8", "--quiet"], { stdio: ["ignore", "pipe", "pipe"] });
    let firstOut = "";
    first.stdout.on("data", (b) => (firstOut += b));
    const deadline = Date.now() + 60_000;
    while (!existsSync(lockOf(out)) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 5));
    const second = spawnSync(process.execPath, [cliMain, "--out", out, "--data", tinyData(dir), "--epochs", "1", "--quiet"], { encoding: "utf8" });
    const firstStatus = await new Promise((r) => first.once("exit", r));
    expect(second.status).toBe(1);
    expect(second.stderr).toContain(`error: --out ${out} is in use by another run (process ${first.pid} on `);
    expect(second.stderr).toContain(`lock file ${lockOf(out)}`);
    expect(second.stdout).not.toContain("training:");
    expect(firstStatus).toBe(0);
    expect(firstOut).toContain("test accuracy");
    expect(readFileSync(join(out, "index.html"), "utf8")).toContain("sequenceInput(12, zscore)"); // the first run's report, not the 1-channel run's
    expect(loadNet(join(out, "japanese-vowels-attention.safetensors")).parameters["attention/queryWeights"].shape).toEqual([12, 12]); // 12 input channels ([12, 1] for the second run's data)
    expect(existsSync(lockOf(out))).toBe(false); // released
  }, 120_000);

  it("a lock left by a killed run on this machine is taken over; one held elsewhere is refused", () => {
    const dir = tempDir("cli-stale");
    const data = tinyData(dir);
    const deadPid = Number(execFileSync(process.execPath, ["-e", "process.stdout.write(String(process.pid))"], { encoding: "utf8" }));
    const lock = (origin: string) => JSON.stringify({ origin, pid: deadPid, host: "h", started: "2026-01-01T00:00:00.000Z", token: "0123456789abcdef" });
    const run = (out: string) => spawnSync(process.execPath, [cliMain, "--out", out, "--data", data, "--epochs", "1", "--quiet"], { encoding: "utf8" });

    mkdirSync(join(dir, "killed"));
    writeFileSync(lockOf(join(dir, "killed")), lock(self.origin));
    const taken = run(join(dir, "killed"));
    expect(taken.stderr).toBe("");
    expect(taken.status).toBe(0);
    expect(readdirSync(join(dir, "killed")).filter((f) => f.startsWith("."))).toEqual([]);

    mkdirSync(join(dir, "elsewhere"));
    const foreign = lock(self.origin === "00000000" ? "00000001" : "00000000"); // another host or container: its pid means nothing here
    writeFileSync(lockOf(join(dir, "elsewhere")), foreign);
    const refused = run(join(dir, "elsewhere"));
    expect(refused.status).toBe(1);
    expect(refused.stderr).toContain(`is in use by another run (process ${deadPid} on h, since 2026-01-01T00:00:00.000Z; lock file ${lockOf(join(dir, "elsewhere"))})`);
    expect(readdirSync(join(dir, "elsewhere"))).toEqual([".attention-layers.lock"]);
    expect(readFileSync(lockOf(join(dir, "elsewhere")), "utf8")).toBe(foreign);
  }, 60_000);
});
