// ops.maximum against torch.maximum (run by /usr/bin/python3 when PyTorch is installed): values, including
// max(−0, +0) = −0, and both gradients on every kind of pair (NaN on either side, ties, infinities).
import { spawnSync } from "node:child_process";
import { describe, expect } from "vitest";
import { ops } from "../../src/index.js";
import { A, B, G, maximumAndGrads } from "../helpers/maximumCases.js";
import { PYTHON, itWithTorch } from "./export/torchAvailable.js";

describe("ops.maximum", () => {
  const pyFloat = (x: number) => (Object.is(x, -0) ? "-0.0" : String(x)); // String(−0) is "0"
  itWithTorch("matches torch.maximum: values and both gradients", () => {
    const script = `
import json, sys, torch
d = json.loads(sys.stdin.read())
f = lambda v: torch.tensor([float(x) for x in v], dtype=torch.float32, requires_grad=True)
a, b = f(d["a"]), f(d["b"])
z = torch.maximum(a, b)
z.backward(torch.tensor(d["g"], dtype=torch.float32))
out = lambda t: [str(x) for x in t.tolist()]
print(json.dumps({"z": out(z.detach()), "da": out(a.grad), "db": out(b.grad)}))`;
    const run = spawnSync(PYTHON, ["-c", script], { input: JSON.stringify({ a: A.map(pyFloat), b: B.map(pyFloat), g: G }), encoding: "utf8" });
    expect(run.status, run.stderr).toBe(0);
    const torch = JSON.parse(run.stdout) as Record<"z" | "da" | "db", string[]>;
    const ours = maximumAndGrads(ops.maximum, A, B, G);
    const parse = (v: string[]) => v.map((s) => (s === "nan" ? NaN : s === "inf" ? Infinity : s === "-inf" ? -Infinity : Number(s)));
    expect(ours.z.map(String)).toEqual(parse(torch.z).map(String));
    expect(Object.is(parse(torch.z)[6], -0), "torch: max(−0, +0)").toBe(Object.is(ours.z[6], -0));
    expect(ours.da).toEqual(parse(torch.da));
    expect(ours.db).toEqual(parse(torch.db));
  });
});
