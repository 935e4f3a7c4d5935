// Where WebAssembly or worker threads are not allowed, the kernels fall back (to the TypeScript reference
// kernels, to one thread), say so once through the warning sink, and give the same results within float32
// rounding. Each case runs test/helpers/kernelProbe.mjs against dist/ in a child process with the flags that
// take the feature away, and compares with a child that has it.
import { execFileSync } from "node:child_process";
import { fileURLToPath, pathToFileURL } from "node:url";
import { describe, expect, it } from "vitest";
import { expectClose } from "../helpers/numeric.js";

const probe = fileURLToPath(new URL("../helpers/kernelProbe.mjs", import.meta.url));

interface ProbeResult { warnings: string[]; threads: number; attention: [number, number[], number[], number[]]; product: number[]; product2: number[]; lstm: number[]; decoded: number[] }

function run(flags: string[], args = [probe]): ProbeResult {
  return JSON.parse(execFileSync(process.execPath, [...flags, ...args], { encoding: "utf8", stdio: ["ignore", "pipe", "pipe"], timeout: 120_000 }));
}

describe("kernel fallbacks (child processes against dist/)", () => {
  const normal = run([]);

  it("the probe itself runs the WebAssembly kernels on two threads without a warning", () => {
    expect(normal.warnings).toEqual([]);
    expect(normal.threads).toBe(2);
  });

  const expectSameResults = (got: ProbeResult) => {
    expect(got.attention[0]).toBeCloseTo(normal.attention[0], 4);
    for (let i = 1; i < 4; i++) expectClose(got.attention[i] as number[], normal.attention[i] as number[], 1e-4, 1e-5, `attention gradient ${i}`);
    expectClose(got.product, normal.product, 1e-5, 1e-5, "matmul");
    expect(got.product2).toEqual(got.product);
    expectClose(got.lstm, normal.lstm, 1e-5, 1e-6, "lstm");
    expectClose(got.decoded, normal.decoded, 1e-5, 1e-6, "decoding (resident weights where WebAssembly runs)");
  };

  it("node --jitless (no WebAssembly): the reference kernels on one thread, one warning that names the cause", () => {
    const got = run(["--jitless"]);
    expect(got.warnings).toHaveLength(1);
    expect(got.warnings[0]).toMatch(/^attention-layers: WebAssembly is not defined here \(node --jitless.*fall back to the TypeScript reference kernels on one thread/);
    expect(got.threads).toBe(1);
    expectSameResults(got);
  });

  it("the permission model without --allow-worker: one thread, one warning that names the flag", () => {
    const got = run(["--experimental-permission", "--allow-fs-read=*", "--no-warnings"]);
    expect(got.warnings).toEqual(["attention-layers: Node's permission model does not allow worker threads (run with --allow-worker); the kernels run on one thread"]);
    expect(got.threads).toBe(1);
    expectSameResults(got);
  });

  it("a process run with --input-type=module (its workers inherit the flag) still runs the kernels on two threads", () => {
    const got = run(["--input-type=module", "-e", `await import(${JSON.stringify(pathToFileURL(probe).href)});`]);
    expect(got.warnings).toEqual([]);
    expect(got.threads).toBe(2);
    expect(got.product).toEqual(normal.product); // bit-identical: same kernels, same split
  });
});
