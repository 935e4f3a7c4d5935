// File names and file contents are hostile text: a name chosen by whoever made the file (or a shell glob) may hold
// terminal controls (ESC sequences, newlines, \r, C1 and bidi controls), and so may the bytes of a file. Every
// message that shows them shows them printable (util/text.ts: JSON escapes, so "\u001b" in a message always means
// one). Before this test, loadNet, saveNet, writeFileAtomicSync, lockDirectory and the CLI put paths raw into their
// messages, the system's messages (ENAMETOOLONG…) and V8's JSON.parse messages reached them raw too, and so did a
// bad field of a Japanese Vowels file.
import { describe, expect, it } from "vitest";
import { mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import {
  deserializeNet, encodeSafetensors, fullyConnectedLayer, loadNet, lockDirectory, netChain, readTextFile, saveNet, sequenceInputLayer,
  writeFileAtomicSync,
} from "../../src/node/index.js";
import { parseUeaTs } from "../../src/data/japaneseVowels.js";
import { NET_FORMAT } from "../../src/nets/serializeNet.js";
import { parseArgs } from "../../app/cli/args.js";
import { claimFolder } from "../../app/cli/outputs.js";
import { tempDir } from "../helpers/tempDir.js";

/** What a terminal acts on or hides; none of it may reach a message. */
const UNPRINTABLE = /[\u0000-\u001f\u007f-\u009f\u2028\u2029\u202a-\u202e\u2066-\u2069\ufeff]/;
/** A file name that clears the screen, sets the window title, returns the cursor and forges a line. */
const HOSTILE = "net\u001b[2J\u001b]0;owned\u0007\r\nerror: forged\u009b\u202e.safetensors";
/** HOSTILE as messages show it. */
const SHOWN = "net\\u001b[2J\\u001b]0;owned\\u0007\\r\\nerror: forged\\u009b\\u202e.safetensors";

/** The message `fn` throws (it must throw). */
function messageOf(fn: () => unknown): string {
  try {
    fn();
  } catch (e) {
    return (e as Error).message;
  }
  throw new Error("expected a throw");
}

/** Expects `fn` to throw a message holding `expected` and no raw control character. */
function expectPrintable(fn: () => unknown, expected: string): void {
  const message = messageOf(fn);
  expect(message).toContain(expected);
  expect(message).not.toMatch(UNPRINTABLE);
}

const smallNet = () => netChain([sequenceInputLayer(2), fullyConnectedLayer(2)]).initialize({ seed: 1 });

describe("loadNet and saveNet show the path printable", () => {
  it("a missing file", () => {
    const path = join(tempDir("paths"), HOSTILE);
    expectPrintable(() => loadNet(path), `loadNet ${path.slice(0, -HOSTILE.length)}${SHOWN}: cannot read the file: no such file`);
  });

  it("a file that is not a net: the path, and V8's JSON message that quotes the file's bytes", () => {
    const path = join(tempDir("paths"), HOSTILE);
    const header = new TextEncoder().encode("{\"a\": x\u001b[2J\r\nforged}");
    const bytes = new Uint8Array(8 + header.length);
    new DataView(bytes.buffer).setBigUint64(0, BigInt(header.length), true);
    bytes.set(header, 8);
    writeFileSync(path, bytes);
    expectPrintable(() => loadNet(path), `${SHOWN}: not a valid net file: safetensors: header is not valid JSON (`);
    expectPrintable(() => deserializeNet(bytes), "deserializeNet: not a valid net file: safetensors: header is not valid JSON (");
  });

  it("a config that is not JSON, and a format or metadata key with C1 controls", () => {
    const badConfig = encodeSafetensors({}, { format: NET_FORMAT, config: "x\u001b[2J\u009b1m" });
    expectPrintable(() => deserializeNet(badConfig), "deserializeNet: the config is not valid JSON (");
    const badFormat = encodeSafetensors({}, { format: "evil\u009b2J\u202e" });
    expectPrintable(() => deserializeNet(badFormat), '(format "evil\\u009b2J\\u202e", expected');
  });

  it("the system's message (name too long) repeats the path: printable too", () => {
    const path = join(tempDir("paths"), `\u001b[2J${"x".repeat(300)}`);
    expectPrintable(() => loadNet(path), "cannot read the file: ENAMETOOLONG");
    expectPrintable(() => readTextFile(path, 10, "--corpus"), "cannot read it: ENAMETOOLONG");
    expectPrintable(() => saveNet(smallNet(), path), "cannot write the file: ENAMETOOLONG");
  });

  it("saveNet into a missing folder, and onto a folder", () => {
    const dir = tempDir("paths");
    expectPrintable(() => saveNet(smallNet(), join(dir, HOSTILE, "net.safetensors")), `the directory ${dir}/${SHOWN} does not exist`);
    mkdirSync(join(dir, HOSTILE));
    expectPrintable(() => saveNet(smallNet(), join(dir, HOSTILE)), `${SHOWN} is a directory; give a file name inside it`);
    expectPrintable(() => writeFileAtomicSync(join(dir, HOSTILE), "x"), `${SHOWN} is a directory`);
    expectPrintable(() => writeFileAtomicSync(join(dir, `${HOSTILE}/`), "x"), `${SHOWN}/ ends with a path separator`);
  });
});

describe("other file-derived text", () => {
  it("lockDirectory names the folder and the lock file printable", () => {
    const dir = join(tempDir("paths"), HOSTILE);
    mkdirSync(dir);
    writeFileSync(join(dir, ".attention-layers.lock"), JSON.stringify({ origin: "ffffffff", pid: 1, host: "h", started: "s", token: "0123456789abcdef" }));
    expectPrintable(() => lockDirectory(dir), `${SHOWN} is in use by another run`);
  });

  it("a Japanese Vowels file's bad field and bad line are quoted printable", () => {
    const head = "@problemName x\n@dimensions 1\n@classLabel true a\n@data\n";
    expectPrintable(() => parseUeaTs(`${head}1,\u001b[2J:a\n`), 'expected a finite number, got "\\u001b[2J"');
    expectPrintable(() => parseUeaTs("\u001b]0;t\u0007\n"), 'before @data, got "\\u001b]0;t\\u0007"');
  });
});

describe("the CLI shows arguments and paths printable", () => {
  it("an unknown argument or a bad value (a shell glob can pass a hostile file name)", () => {
    const specs = [{ name: "out", kind: "string" as const, description: "" }, { name: "epochs", kind: "number" as const, description: "" }];
    expectPrintable(() => parseArgs([HOSTILE], specs), `unknown argument "${SHOWN}"`);
    expectPrintable(() => parseArgs(["--epochs", HOSTILE], specs), `--epochs needs a decimal number, got "${SHOWN}"`);
  });

  it("an --out that is a file", () => {
    const out = join(tempDir("paths"), HOSTILE);
    writeFileSync(out, "");
    expectPrintable(() => claimFolder(out, []), `--out ${out.slice(0, -HOSTILE.length)}${SHOWN} is a file, not a folder`);
  });
});
