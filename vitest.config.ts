import { fileURLToPath } from "node:url";
import { defineConfig } from "vitest/config";

export default defineConfig({
  // the application (app/) imports the library by its package name; under test that is the source
  resolve: { alias: [{ find: /^attention-layers$/, replacement: fileURLToPath(new URL("./src/node/index.ts", import.meta.url)) }] },
  test: {
    include: ["test/**/*.test.ts"],
    reporters: ["default", "./test/summaryReporter.ts"],
    testTimeout: 60_000,
  },
});
