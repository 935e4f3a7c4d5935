import { fileURLToPath } from "node:url";
import { defineConfig } from "vitest/config";

// Two tiers (CONTRIBUTING.md, "Tests"): `npm run test:unit` runs the unit project alone; `npm test` runs both.
// A test file at test/*.test.ts (not yet sorted into a tier) runs with the integration tier.
export default defineConfig({
  // the application (app/) imports the library by its package name; under test that is the source
  resolve: { alias: [{ find: /^attention-layers$/, replacement: fileURLToPath(new URL("./src/node/index.ts", import.meta.url)) }] },
  test: {
    reporters: ["default", "./test/summaryReporter.ts"],
    testTimeout: 60_000,
    projects: [
      {
        extends: true,
        // two workers: Vitest's default on a 2-core machine is one (cores − 1), which leaves a core idle
        test: { name: "unit", include: ["test/unit/**/*.test.ts"], globalSetup: ["test/setup/kernels.ts"], maxWorkers: 2, sequence: { groupOrder: 0 } },
      },
      {
        extends: true,
        test: {
          name: "integration",
          include: ["test/integration/**/*.test.ts", "test/*.test.ts"],
          globalSetup: ["test/setup/kernels.ts", "test/setup/packedPackage.ts"],
          sequence: { groupOrder: 1 }, // after the unit tier (the projects' worker counts differ)
        },
      },
    ],
  },
});
