// PyTorch peers run as /usr/bin/python3 child processes (Debian's python3-torch), one thread.
import { execFileSync } from "node:child_process";
import { existsSync } from "node:fs";

export const PYTHON = "/usr/bin/python3";

let torchVersion;
/** torch's version, or throws why PyTorch cannot be used. */
export function torchAvailable() {
  if (torchVersion === undefined) {
    if (!existsSync(PYTHON)) throw new Error(`${PYTHON} not found`);
    try {
      torchVersion = execFileSync(PYTHON, ["-c", "import torch; print(torch.__version__)"], { encoding: "utf8", stdio: ["ignore", "pipe", "pipe"] }).trim();
    } catch {
      throw new Error(`${PYTHON} has no torch (apt-get install python3-torch)`);
    }
  }
  return torchVersion;
}

/** Runs a script and returns its stdout lines parsed as JSON (lines that are not JSON are ignored). */
export function runPythonJson(script, args) {
  const out = execFileSync(PYTHON, [script, ...args], { encoding: "utf8", stdio: ["ignore", "pipe", "pipe"], maxBuffer: 1 << 24 });
  return out.split("\n").filter((l) => l.startsWith("{")).map((l) => JSON.parse(l));
}
