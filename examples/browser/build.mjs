// Bundles the demo with esbuild for the browser (no shims): main.js and worker.js, with the Japanese Vowels
// .ts data files the worker imports loaded as text, into a folder with index.html beside them.
//   node examples/browser/build.mjs [outdir]      (default examples/browser/dist)
import { copyFileSync, mkdirSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";

const here = fileURLToPath(new URL(".", import.meta.url));

/** esbuild options for the demo whose sources are in `dir` (where "attention-layers" must resolve). */
export function demoBuildOptions(dir, outdir) {
  return {
    entryPoints: [join(dir, "main.js"), join(dir, "worker.js")], outdir, bundle: true, format: "esm", platform: "browser",
    target: "es2022", loader: { ".ts": "text" }, logLevel: "warning", metafile: true,
  };
}

/** Builds the demo from `dir` into `outdir` with the given esbuild; returns esbuild's result. */
export async function buildDemo({ dir = here, outdir = join(here, "dist"), esbuild } = {}) {
  const { build } = esbuild ?? (await import("esbuild"));
  mkdirSync(outdir, { recursive: true });
  copyFileSync(join(dir, "index.html"), join(outdir, "index.html"));
  return build(demoBuildOptions(dir, outdir));
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const outdir = process.argv[2] ?? join(here, "dist");
  await buildDemo({ outdir });
  console.log(`built the demo into ${outdir}`);
}
