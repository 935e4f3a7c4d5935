// Loads the PyTorch golden cases (format: test/fixtures/reference/README.md).
import { readdirSync, readFileSync, existsSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { Tensor } from "../../src/index.js";

export interface JsonTensor { shape: number[]; data: number[] }
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type FixtureCase = { file: string; name: string; kind: string; [k: string]: any };

export function loadCases(folder: string): FixtureCase[] {
  const dir = fileURLToPath(new URL(`../fixtures/${folder}/`, import.meta.url));
  if (!existsSync(dir)) return [];
  return readdirSync(dir)
    .filter((f) => f.endsWith(".json"))
    .sort()
    .map((f) => ({ file: f, ...JSON.parse(readFileSync(dir + f, "utf8")) }));
}

export function toTensor(j: JsonTensor): Tensor {
  return new Tensor(Float32Array.from(j.data), j.shape);
}
