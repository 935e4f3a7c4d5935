// Types of build.mjs for the TypeScript tests.
import type { BuildOptions, BuildResult } from "esbuild";
export function demoBuildOptions(dir: string, outdir: string): BuildOptions & { metafile: true };
export function buildDemo(options?: { dir?: string; outdir?: string; esbuild?: typeof import("esbuild") }): Promise<BuildResult<{ metafile: true }>>;
export const DEMO_STATIC: string[];
export const DEMO_SCRIPTS: string[];
