// examples/seq2seq: the date task's generator and codec, and the CLI on a small setting (trains, decodes, reports).
import { execFileSync } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, describe, expect, it } from "vitest";
import { loadNet, predict, type NetGraph } from "attention-layers";
import { FORMS, decode, encode, isWellFormedDate, makeData, sourceCodes, targetCodes, START_ID, END_ID } from "../../examples/seq2seq/model.mjs";
import { greedyDecode, STEPS } from "../../examples/seq2seq/decode.mjs";
import { peerData, TORCH_SCRIPT } from "../../bench/training/seq2seq.mjs";
import { runPythonJson, torchAvailable } from "../../bench/training/python.mjs";

const hasTorch = (() => {
  try {
    return Boolean(torchAvailable());
  } catch {
    return false;
  }
})();

const root = fileURLToPath(new URL("../..", import.meta.url));
const out = mkdtempSync(join(tmpdir(), "seq2seq-test-"));
afterAll(() => rmSync(out, { recursive: true, force: true }));

describe("examples/seq2seq: the data", () => {
  it("is seeded: the same seed gives the same pairs, another seed other pairs", () => {
    const a = makeData({ train: 50, test: 10, seed: 3 }), b = makeData({ train: 50, test: 10, seed: 3 }), c = makeData({ train: 50, test: 10, seed: 4 });
    expect(a).toEqual(b);
    expect(c.train.map((p: { source: string }) => p.source)).not.toEqual(a.train.map((p: { source: string }) => p.source));
    expect([a.train.length, a.test.length]).toEqual([50, 10]);
  });

  it("pairs every surface form with the normal form of the same day (read back by Date)", () => {
    const { train } = makeData({ train: 2000, test: 0, seed: 5 });
    const forms = new Set(train.map((p: { form: number }) => p.form));
    expect(forms.size).toBe(FORMS.length);
    for (const { source, target, form } of train) {
      expect(isWellFormedDate(target)).toBe(true);
      const [y, m, d] = target.split("-").map(Number);
      expect(FORMS[form](y, m, d)).toBe(source);
      // an oracle independent of the generator: the named-month forms parse with Date
      if (/[A-Za-z]/.test(source) && !/\d(st|nd|rd|th)/.test(source)) {
        const parsed = new Date(`${source} 12:00 UTC`);
        expect(`${parsed.getUTCFullYear()}-${String(parsed.getUTCMonth() + 1).padStart(2, "0")}-${String(parsed.getUTCDate()).padStart(2, "0")}`).toBe(target);
      }
    }
  });

  it("encodes teacher forcing: previous = start mark + target, target ends with the end mark, decode inverts", () => {
    const pair = { source: "5 Mar 2021", target: "2021-03-05" };
    const { x, y } = encode(pair);
    expect(x.source).toEqual(sourceCodes.encode("5 Mar 2021"));
    expect(y).toEqual([...targetCodes.encode("2021-03-05"), END_ID]);
    expect(x.previous).toEqual([START_ID, ...y.slice(0, -1)]);
    expect(decode(y)).toBe("2021-03-05");
    expect(["2021-02-29", "2021-13-01", "2021-3-05", "2020-02-29"].map(isWellFormedDate)).toEqual([false, false, false, true]);
  });
});

describe("examples/seq2seq/main.mjs", () => {
  let run: { samples: { source: string; greedy: string }[] } | undefined; // the CLI's summary, read by the later tests
  it("trains (the loss falls), decodes well-formed dates and writes the report with its heatmaps", () => {
    const stdout = execFileSync(process.execPath, [
      "examples/seq2seq/main.mjs", "--train", "640", "--test", "40", "--epochs", "4", "--learn-rate", "0.01", "--out", out,
    ], { cwd: root, encoding: "utf8", stdio: ["ignore", "pipe", "pipe"] });
    const r = JSON.parse(stdout.trim().split("\n").at(-1)!);
    run = r;
    expect(r.epochs).toBe(4);
    expect(r.loss.at(-1)).toBeLessThan(r.loss[0] * 0.8);
    expect(r.greedyWellFormed).toBeGreaterThan(0.5);
    for (const s of r.samples) expect(s.greedy).toMatch(/^\d{4}-\d{2}-\d{2}$/);
    const html = readFileSync(join(out, "index.html"), "utf8");
    expect(html).toContain('src="alignment-1.svg"');
    expect(html).toContain("test exact match, greedy");
    const heatmap = readFileSync(join(out, "alignment-1.svg"), "utf8");
    // one cell per (output character, source character): 11 rows × the first sample's source length
    expect(heatmap.match(/class="cell"/g)!.length).toBe(11 * [...r.samples[0].source].length);
    expect(existsSync(join(out, "loss.svg"))).toBe(true);
  }, 300_000); // about 15 s of CPU; the margin is for a loaded machine

  it("greedy decoding through the step API equals re-running the whole net on each longer prefix (the trained net)", () => {
    const net = loadNet<NetGraph>(join(out, "model.safetensors"));
    const sources: string[] = makeData({ train: 0, test: 12, seed: 9 }).test.map((p: { source: string }) => p.source);
    const oracle = sources.map((source) => {
      const previous = [START_ID];
      for (let t = 0; t < STEPS; t++) {
        const logits = predict(net, [{ source: sourceCodes.encode(source), previous }])[0] as number[][];
        const last = logits[t];
        previous.push(last.indexOf(Math.max(...last)));
      }
      return decode(previous.slice(1));
    });
    expect(greedyDecode(net, sources, { batch: 5 })).toEqual(oracle);
    // the samples the CLI reports are the decodings of their own sources
    expect(run!.samples.map((s) => s.greedy)).toEqual(greedyDecode(net, run!.samples.map((s) => s.source)));
  });

  it.skipIf(!hasTorch)("the bench's PyTorch mirror (bench/python/seq2seq_step.py) gives our logits with our trained weights", () => {
    const net = loadNet<NetGraph>(join(out, "model.safetensors"));
    const { pairs, json } = peerData({ batch: 6, inputs: 0, weights: net.parameters });
    const file = join(out, "peer.json");
    writeFileSync(file, JSON.stringify(json));
    const [{ logits: theirs }] = runPythonJson(TORCH_SCRIPT, ["--data", file, "--task", "logits"]) as { logits: number[][][] }[];
    const ours = predict(net, pairs.train.map((p: { source: string; target: string }) => encode(p).x)) as number[][][];
    let worst = 0;
    ours.forEach((steps, b) => steps.forEach((row, t) => row.forEach((v, k) => (worst = Math.max(worst, Math.abs(v - theirs[b][t][k]))))));
    expect(ours.flat(2).length).toBe(6 * STEPS * targetCodes.size);
    expect(worst).toBeLessThan(1e-4);
  });

  it("explains its flags and refuses unknown ones", () => {
    const help = execFileSync(process.execPath, ["examples/seq2seq/main.mjs", "--help"], { cwd: root, encoding: "utf8" });
    expect(help).toMatch(/--epochs/);
    expect(() => execFileSync(process.execPath, ["examples/seq2seq/main.mjs", "--epoch", "3"], { cwd: root, stdio: "pipe" })).toThrow(/unknown argument "--epoch"/);
    // --decode-only reads the net the first test trained, and refuses other data flags (another test set)
    expect(() => execFileSync(process.execPath, ["examples/seq2seq/main.mjs", "--decode-only", "--out", out, "--train", "640", "--test", "41"], { cwd: root, stdio: "pipe" }))
      .toThrow(/--decode-only needs the data flags of the run that trained the net .*: --test 40 \(got --test 41\)/);
  });
});
