import { availableParallelism } from "node:os";
import { defineConfig } from "vitest/config";
import { SlowestFirstSequencer } from "./packages/devkit/src/sequencer.js";

/**
 * Vitest's default is one worker fewer than the cores: one on a 2-core machine. The unit and
 * contract files are independent (own temp dirs, ports from the OS), so they use every core, and
 * share their workers' module cache (isolate: false): importing vitest, tsx-compiled sources and
 * the specs once per worker instead of once per file halves the unit tier's CPU time.
 */
const everyCore = Math.max(2, availableParallelism());

/**
 * Three tiers, each a vitest project (`pnpm test:unit`, `test:contract`, `test:e2e`; `pnpm test`
 * runs them one after the other, after the static checks):
 *   unit      in-process tests and local servers of their own: no Prism, no browser
 *   contract  each client against its API's Prism mock (the global setup starts one per API)
 *   e2e       the commands as users run them: pnpm start / mock, the docs in Chromium, the packed
 *             packages installed in a fresh project, gen:check from a path with spaces; the
 *             sandbox behind Prism, its deviation proxy and its CORS in Chromium
 */
export default defineConfig({
  test: {
    testTimeout: 20_000,
    // Bundling and starting Prism take a few seconds; a cold machine needs more.
    hookTimeout: 60_000,
    teardownTimeout: 15_000,
    // Test files run in child processes that vitest ends when they are done, so a leaked handle in
    // one of them cannot keep the run alive.
    pool: "forks",
    sequence: { sequencer: SlowestFirstSequencer },
    projects: [
      {
        extends: true,
        test: {
          name: "unit",
          include: ["packages/*/test/**/*.test.ts", "scripts/test/*.test.ts"],
          exclude: ["packages/*/test/contract.test.ts", "packages/*/test/e2e/**"],
          globalSetup: ["scripts/test/setup/bundles.ts"],
          maxWorkers: everyCore,
          isolate: false,
        },
      },
      {
        extends: true,
        test: {
          name: "contract",
          include: ["packages/*/test/contract.test.ts"],
          globalSetup: ["scripts/test/setup/mocks.ts"],
          maxWorkers: everyCore,
          isolate: false,
        },
      },
      {
        extends: true,
        test: {
          name: "e2e",
          include: ["scripts/test/e2e/**/*.test.ts", "packages/*/test/e2e/**/*.test.ts"],
          // The files mostly wait for their child processes (npm, tsc, Prism, Chromium), so they run
          // side by side, one per core, the slowest first (sequencer.ts). Only the `pnpm start`
          // test writes dist/docs; the browser test builds a site of its own. Each file starts
          // the servers it calls (pnpm mock, the sandbox, Prism), so no Prism starts for nothing.
          maxWorkers: everyCore,
          // As in the other tiers, the two workers keep their module cache from file to file.
          isolate: false,
          globalSetup: ["scripts/test/setup/bundles.ts"],
        },
      },
    ],
  },
});
