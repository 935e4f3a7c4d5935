// The package as a user gets it, packed and installed once per run by the integration tier's global setup
// (test/setup/packedPackage.ts). Tests run node, npx, tsc and esbuild in its folder.
import { fileURLToPath } from "node:url";
import { inject } from "vitest";

export const repoRoot = fileURLToPath(new URL("../..", import.meta.url));

export interface PackedInstall {
  /** the temporary project; node_modules/attention-layers is the installed package */
  dir: string;
  /** paths inside the tarball, relative to the package root */
  files: string[];
}

declare module "vitest" {
  export interface ProvidedContext {
    packedInstall: PackedInstall;
  }
}

/** The run's packed install (made once by the integration tier's global setup). */
export const installedPackage = (): PackedInstall => inject("packedInstall");
