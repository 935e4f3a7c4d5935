// Bundles the demo with esbuild for the browser (no shims): main.js and worker.js (the Japanese Vowels page), lm.js,
// lmTrainWorker.js and lmGenerateWorker.js (the character GPT page), with the data files the workers import (.ts
// and .txt) loaded as text, into a folder with the pages and their style sheet beside them.
//   node examples/browser/build.mjs [outdir]      (default examples/browser/dist)
import { copyFileSync, mkdirSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";

const here = fileURLToPath(new URL(".", import.meta.url));

/** The demo's files copied as they are, and the scripts esbuild bundles (its entry points). */
export const DEMO_STATIC = ["index.html", "lm.html", "demo.css"];
export const DEMO_SCRIPTS = ["main.js", "worker.js", "lm.js", "lmTrainWorker.js", "lmGenerateWorker.js"];

/** esbuild options for the demo whose sources are in `dir` (where "attention-layers" must resolve). */
export function demoBuildOptions(dir, outdir) {
  return {
    entryPoints: DEMO_SCRIPTS.map((f) => join(dir, f)), outdir, bundle: true, format: "esm", platform: "browser",
    target: "es2022", loader: { ".ts": "text", ".txt": "text" }, logLevel: "warning", metafile: true,
  };
}

/** Builds the demo from `dir` into `outdir` with the given esbuild; returns esbuild's result. */
export async function buildDemo({ dir = here, outdir = join(here, "dist"), esbuild } = {}) {
  const { build } = esbuild ?? (await import("esbuild"));
  mkdirSync(outdir, { recursive: true });
  for (const file of DEMO_STATIC) copyFileSync(join(dir, file), join(outdir, file));
  return build(demoBuildOptions(dir, outdir));
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const outdir = process.argv[2] ?? join(here, "dist");
  await buildDemo({ outdir });
  console.log(`built the demo into ${outdir}`);
}
