// The language-model job (`attention-layers lm`) as a user runs it: help, a tiny training run that saves a net and a
// report and continues a prompt (past the net's context), generation from the saved net, and flags refused by name.
import { spawnSync } from "node:child_process";
import { existsSync, readFileSync, readdirSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { cliMain } from "../helpers/cliRuns.js";
import { tempDir } from "../helpers/tempDir.js";

interface Run { status: number | null; stdout: string; stderr: string }
const lm = (args: string[]): Run => {
  const r = spawnSync(process.execPath, [cliMain, "lm", ...args], { encoding: "utf8", timeout: 120_000 });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
};
const corpus = readFileSync(new URL("../../data/kjv/kjv-genesis-proverbs-ecclesiastes.txt", import.meta.url), "utf8");
const TINY = ["--size", "8", "--heads", "2", "--blocks", "1", "--context", "12", "--feed-forward", "16", "--windows", "48", "--batch-size", "16", "--epochs", "2"];

describe("attention-layers lm", () => {
  it("--help lists its flags, and the bin without a subcommand is still the main job", () => {
    const help = lm(["--help"]);
    expect(help.status).toBe(0);
    for (const flag of ["--size", "--heads", "--blocks", "--context", "--feed-forward", "--epochs", "--prompt", "--max-new-tokens", "--temperature", "--seed", "--out", "--generate-only", "--net"]) {
      expect(help.stdout).toMatch(new RegExp(`^  ${flag}\\b`, "m"));
    }
    expect(help.stdout).toContain("Usage: attention-layers lm [options]");
    const main = spawnSync(process.execPath, [cliMain, "--help"], { encoding: "utf8" });
    expect(main.stdout).toContain("Japanese Vowels");
    expect(main.stdout).not.toContain("--context");
  });

  it("a tiny run trains, prints samples, writes the net and the report, and continues the prompt past its context", () => {
    const dir = tempDir("lm");
    const out = join(dir, "o");
    const prompt = "And God said";
    const r = lm([...TINY, "--out", out, "--prompt", prompt, "--max-new-tokens", "40", "--seed", "3", "--quiet"]);
    expect(r.stderr).toBe("");
    expect(r.status).toBe(0);
    expect(r.stdout.match(/^epoch \d: validation loss .* sample: "And God said/gm)).toHaveLength(2); // --sample-every 1
    const generated = r.stdout.match(/^generated: ([^]*)\ndone in /m)![1]; // the text may hold newlines
    expect(generated.startsWith(prompt)).toBe(true);
    const added = [...generated.slice(prompt.length)];
    expect(added).toHaveLength(40); // more than the 12 positions the net sees: the window slides
    expect(added.every((c) => corpus.includes(c))).toBe(true);
    expect(readdirSync(out).sort()).toEqual(["index.html", "kjv-char-gpt.safetensors", "loss.svg"]); // no lock left
    const html = readFileSync(join(out, "index.html"), "utf8");
    expect(html).toContain('<img src="loss.svg"');
    expect(html).toMatch(/validation loss<\/th><td>\d+\.\d+ nats = \d+\.\d+ bits per character/);
    expect(readFileSync(join(out, "loss.svg"), "utf8").match(/<polyline/g)).toHaveLength(2); // training and validation curves

    // the saved net, loaded, gives the same continuation with the same seed
    const again = lm(["--generate-only", "--net", join(out, "kjv-char-gpt.safetensors"), "--prompt", prompt, "--max-new-tokens", "40", "--seed", "3"]);
    expect(again.status).toBe(0);
    expect(again.stdout).toBe(`${generated}\n`);
    const other = lm(["--generate-only", "--net", join(out, "kjv-char-gpt.safetensors"), "--prompt", prompt, "--max-new-tokens", "40", "--seed", "4"]);
    expect(other.stdout).not.toBe(`${generated}\n`);
  });

  it("bad flags are refused by name before anything is written", () => {
    const dir = tempDir("lm-bad");
    const out = join(dir, "o");
    const refused = (args: string[], message: string) => {
      const r = lm([...args, "--out", out]);
      expect(r.stderr).toContain(`error: ${message}`);
      expect(r.status).toBe(1);
      expect(r.stdout).not.toMatch(/training:/);
      expect(existsSync(out)).toBe(false);
    };
    refused(["--context", "0"], '--context must be at least 1, got "0"');
    refused(["--temperature", "-1"], '--temperature must be at least 0, got "-1"');
    refused(["--contxt", "8"], 'unknown argument "--contxt"');
    refused(["--epochs", "2.5"], '--epochs needs a whole number, got "2.5"');
    refused(["--size", "10", "--heads", "4"], "lm: --size 10 must be a multiple of --heads 4");
    refused(["--context", "400000"], "--context 400000 is too long for the corpus");
    refused(["--corpus", join(dir, "missing.txt")], `--corpus ${join(dir, "missing.txt")}: cannot read it`);
    refused(["--corpus", "/dev/zero"], "--corpus /dev/zero: cannot read it: it is not a regular file"); // was read until memory ran out
    refused(["--prompt", "And God said ~"], '--prompt: characterEncoder.encode: the character "~" (U+007E) at position 13');
    refused(["--generate-only"], "--generate-only needs --net <file.safetensors>");
    refused(["--net", "x.safetensors"], "--net is only read with --generate-only");
    refused(["--generate-only", "--net", "x.safetensors", "--corpus", "c.txt"], "--corpus is not read with --generate-only");
    refused(["--generate-only", "--net", join(dir, "none.safetensors")], `--net ${join(dir, "none.safetensors")}: `);
  });
});
