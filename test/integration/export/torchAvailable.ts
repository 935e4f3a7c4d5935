// Tests that need PyTorch run /usr/bin/python3 (Debian's python3-torch). Without torch they fail in CI
// (process.env.CI set) and are skipped locally with a visible message.
import { spawnSync } from "node:child_process";
import { it } from "vitest";

export const PYTHON = "/usr/bin/python3";

const probe = spawnSync(PYTHON, ["-c", "import torch; print(torch.__version__)"], { encoding: "utf8" });
export const torchVersion = probe.status === 0 ? probe.stdout.trim() : undefined;
const missing = `PyTorch not found: ${PYTHON} -c "import torch" failed (${(probe.stderr || String(probe.error ?? "")).trim().split("\n").pop()}); install python3-torch (apt-get install -y python3-torch)`;

if (!torchVersion && !process.env.CI) console.warn(`\n*** SKIPPING the PyTorch tests: ${missing} ***\n`);

/** `it` for tests that need torch: runs when torch is there; in CI without torch it fails saying why. */
export const itWithTorch = (name: string, test: () => Promise<void> | void, timeout?: number) => {
  if (torchVersion) return it(name, test, timeout);
  if (process.env.CI) return it(name, () => { throw new Error(missing); });
  return it.skip(`${name} (skipped: no PyTorch)`, test);
};
