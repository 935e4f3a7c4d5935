// The elementwise ops run a copy of their loop compiled per op (src/tensor/ops/elementwise.ts, `specialise`).
// Where code generation is refused (a Content-Security-Policy without 'unsafe-eval'; here Node's
// --disallow-code-generation-from-strings), they run the shared loop instead: the same values and gradients,
// bit for bit.
import { execFileSync } from "node:child_process";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { buildSync } from "esbuild";
import { describe, expect, it } from "vitest";
import * as library from "../../src/index.js";
import { tempDir } from "../helpers/tempDir.js";

type Library = typeof library;

/** Bits of every elementwise op's value and input gradients on fixed operands (a row broadcast included). */
function elementwiseBits({ ops, Tensor, valueAndGrad }: Library): Record<string, number[]> {
  const a = new Tensor(Float32Array.from({ length: 12 }, (_, i) => Math.sin(i + 1) * 3), [3, 4]);
  const b = new Tensor(Float32Array.from({ length: 4 }, (_, i) => 0.5 + i * 0.75), [4]);
  const bits = (t: { data: Float32Array }) => Array.from(new Uint32Array(t.data.slice().buffer));
  const out: Record<string, number[]> = {};
  /** bits of y = f() and of the gradients of Σy² with respect to wrt */
  const record = (name: string, f: () => library.Tensor, wrt: library.Tensor[]) => {
    let y: library.Tensor | undefined;
    const { grads } = valueAndGrad(() => { y = f(); return ops.sum(ops.square(y)); }, wrt);
    out[name] = [...bits(y!), ...grads.flatMap(bits)];
  };
  for (const name of ["add", "sub", "mul", "div", "maximum"] as const) record(name, () => ops[name](a, b), [a, b]);
  for (const name of ["neg", "exp", "square", "tanh", "sigmoid", "relu", "gelu"] as const) record(name, () => ops[name](a), [a]);
  const positive = () => ops.add(ops.relu(a), 1);
  record("log", () => ops.log(positive()), [a]);
  record("sqrt", () => ops.sqrt(positive()), [a]);
  record("scale", () => ops.scale(a, -1.7), [a]);
  return out;
}

describe("elementwise ops without code generation", () => {
  it("give the same bits as with it (the shared loops run instead of the per-op copies)", () => {
    const dir = tempDir("no-codegen");
    const bundle = join(dir, "library.mjs");
    buildSync({ entryPoints: [fileURLToPath(new URL("../../src/index.ts", import.meta.url))], bundle: true, platform: "node", format: "esm", outfile: bundle, logLevel: "silent" });
    const child = `import * as library from ${JSON.stringify(bundle)};
      let refused = false;
      try { new Function("return 1"); } catch { refused = true; }
      const bits = (${elementwiseBits.toString()})(library);
      process.stdout.write(JSON.stringify({ refused, bits }));`;
    const printed = execFileSync(process.execPath, ["--disallow-code-generation-from-strings", "--input-type=module", "-e", child], { encoding: "utf8" });
    const { refused, bits } = JSON.parse(printed) as { refused: boolean; bits: Record<string, number[]> };
    expect(refused).toBe(true); // the child really could not generate code
    expect(bits).toEqual(elementwiseBits(library));
  });
});
