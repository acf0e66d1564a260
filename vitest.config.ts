import { defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    include: ["packages/*/test/**/*.test.ts", "scripts/test/**/*.test.ts"],
    // Bundles every spec, starts one Prism per API, prints the coverage matrix at the end.
    globalSetup: ["packages/devkit/src/vitest-setup.ts"],
    testTimeout: 20_000,
    // Bundling and starting Prism take a few seconds; a cold machine needs more.
    hookTimeout: 60_000,
    teardownTimeout: 15_000,
    // Test files run in child processes that vitest ends when they are done, so a leaked handle in
    // one of them cannot keep the run alive.
    pool: "forks",
  },
});
