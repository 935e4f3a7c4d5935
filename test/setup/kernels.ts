// Global setup of both tiers: builds the library's WebAssembly kernels when they are missing or older than
// their sources (so `npx vitest run test/unit/ops.test.ts` works in a fresh clone after npm ci), and the
// test-only kernels of test/wasm/ into test/.build/ (git-ignored; see test/helpers/testKernels.ts).
import { mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { buildKernels, compileVariants } from "../../tools/build-wasm.mjs";
import { root, stale } from "./stale.js";

const GENERATED = join(root, "src/kernels/wasm/binaries.generated.ts");
const LIBRARY_SOURCES = ["src/kernels/wasm/assembly", "tools/build-wasm.mjs"];
const TEST_BUILD = join(root, "test/.build");
const VARIANTS = ["simd", "relaxed", "simd-shared", "relaxed-shared"];

export default async function setup(): Promise<void> {
  if (stale([GENERATED], LIBRARY_SOURCES)) await buildKernels();
  const testTargets = VARIANTS.map((v) => join(TEST_BUILD, `${v}.wasm`));
  if (stale(testTargets, [...LIBRARY_SOURCES, "test/wasm"])) {
    const built = await compileVariants("test/wasm/index.ts", ["--memoryBase", "32768"]);
    mkdirSync(TEST_BUILD, { recursive: true });
    for (const v of VARIANTS) writeFileSync(join(TEST_BUILD, `${v}.wasm`), built[v]);
  }
}
