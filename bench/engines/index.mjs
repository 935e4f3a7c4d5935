// Every engine the kernel benchmarks can run, by name. A peer that fails to load is kept as
// { name, error } and reported as unavailable; it never stops the run.
import { firstLine } from "../runKernels.mjs";

export const ENGINES = {
  ours: async (o) => (await import("./ours.mjs")).load(o),
  "ort-web": async (o) => (await import("./ort.mjs")).loadWeb(o),
  "ort-node": async (o) => (await import("./ort.mjs")).loadNode(o),
  jax: async (o) => (await import("./jax.mjs")).load(o),
  tfjs: async (o) => (await import("./tfjs.mjs")).load(o),
};

export const ENGINE_NAMES = Object.keys(ENGINES);

export async function loadEngines(names, options) {
  const engines = [];
  for (const name of names) {
    try {
      engines.push(await ENGINES[name](options));
    } catch (err) {
      engines.push({ name, error: firstLine(err) });
    }
  }
  return engines;
}
