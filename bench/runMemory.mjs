// Runs memoryCheck.mjs in a child process and returns its figures (or why it did not run).
import { execFileSync } from "node:child_process";
import { fileURLToPath } from "node:url";
import { firstLine } from "./runKernels.mjs";

export function runMemory({ t, implementation, log }) {
  const base = { t, d: 64, heads: 1, implementation };
  try {
    const out = execFileSync(process.execPath, ["--expose-gc", fileURLToPath(new URL("memoryCheck.mjs", import.meta.url)), String(t), implementation], { encoding: "utf8", stdio: ["ignore", "pipe", "pipe"] });
    const r = JSON.parse(out.trim().split("\n").pop());
    log(`  causal fwd+bwd T=${t}: ${r.seconds.toFixed(2)} s, peak RSS ${r.aboveBaselineMB.toFixed(1)} MB above the process at T=16`);
    return { ...base, status: "ok", threads: r.threads, seconds: r.seconds, baselineRssMB: r.baselineRssMB, peakRssMB: r.peakRssMB, aboveBaselineMB: r.aboveBaselineMB };
  } catch (err) {
    return { ...base, status: "failed", reason: firstLine(err.stderr || err) };
  }
}
