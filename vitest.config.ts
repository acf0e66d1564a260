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
 * The tiers, each a vitest project picked by folder (`pnpm test:unit`, `test:contract`,
 * `test:e2e`, `pnpm test pack`; `pnpm test` runs the static checks, then unit, then contract and
 * e2e in one vitest run, and leaves pack to `pnpm test:matrix`):
 *   static    scripts/test/static/: the tests of the lint and structure checks, the READMEs' TypeScript
 *             and the editor's messages, the API reports; the static tier runs them with its checks
 *   unit      packages/<pkg>/test/unit/, scripts/test/unit/: in process, local servers of their own,
 *             no Prism, no browser
 *   contract  packages/<pkg>/test/contract/, scripts/test/contract/: each client, and the docs'
 *             samples, against the static mocks (the global setup starts `pnpm mock`: one Prism
 *             per API)
 *   e2e       packages/<pkg>/test/e2e/, scripts/test/e2e/: the commands as users run them (pnpm
 *             start with its docs and the sandbox's CORS in Chromium, pnpm sandbox and proxy,
 *             gen:check from a path with spaces); the sandbox behind Prism, its data file under a
 *             crash, its deviation proxy, its inspector in Chromium
 *   pack      scripts/test/pack/: the packed packages installed in a fresh npm project (`pnpm test
 *             pack` on this Node; `pnpm test:matrix`, which CI runs, on Node 20, 22 and 24)
 * Type tests (*.test-d.ts, in packages/<pkg>/test/types/) are checked by tsc in the static tier.
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
    // Each file's transformed code is kept in node_modules/.experimental-vitest-cache, keyed by its
    // content: a run after the first transforms only what changed (a second of CPU per tier).
    experimental: { fsModuleCache: true },
    sequence: { sequencer: SlowestFirstSequencer },
    projects: [
      {
        extends: true,
        test: {
          name: "static",
          include: ["scripts/test/static/**/*.test.ts"],
          globalSetup: ["scripts/test/setup/bundles.ts"],
          maxWorkers: everyCore,
          isolate: false,
        },
      },
      {
        extends: true,
        test: {
          name: "unit",
          include: ["packages/*/test/unit/**/*.test.ts", "scripts/test/unit/**/*.test.ts"],
          globalSetup: ["scripts/test/setup/bundles.ts"],
          maxWorkers: everyCore,
          isolate: false,
        },
      },
      {
        extends: true,
        test: {
          name: "contract",
          include: ["packages/*/test/contract/**/*.test.ts", "scripts/test/contract/**/*.test.ts"],
          globalSetup: ["scripts/test/setup/mocks.ts"],
          // As many as e2e: `pnpm test` runs both projects in one vitest run (scripts/lib/test-tiers.ts),
          // which takes one worker count for them.
          maxWorkers: everyCore,
          isolate: false,
        },
      },
      {
        extends: true,
        test: {
          name: "e2e",
          include: ["packages/*/test/e2e/**/*.test.ts", "scripts/test/e2e/**/*.test.ts"],
          // The files start child processes (pnpm, tsc, Prism, Chromium) that keep every core busy
          // beside the static checks: one worker per core (a third one only added contention); the
          // slowest start first (sequencer.ts). Only the `pnpm start` test writes dist/docs. Each
          // file starts the servers it calls (pnpm start, pnpm mock, the sandbox, Prism), so no
          // Prism starts for nothing.
          maxWorkers: everyCore,
          // As in the other tiers, the two workers keep their module cache from file to file.
          isolate: false,
          globalSetup: ["scripts/test/setup/bundles.ts"],
        },
      },
      {
        extends: true,
        test: {
          name: "pack",
          include: ["scripts/test/pack/**/*.test.ts"],
          globalSetup: ["scripts/test/setup/bundles.ts"],
        },
      },
    ],
  },
});
