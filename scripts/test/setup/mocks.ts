import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { coverageMatrix, readCoverage } from "@cx-openapi/devkit/coverage";
import { expectCleanStop, hasEnded, killTree, startPnpm, waitFor } from "@cx-openapi/devkit/testing";
import { freePort, loadSpec } from "@cx-openapi/spec";
import type { TestProject } from "vitest/node";
import type { Api } from "../../lib/apis.js";
import { ensureBundles } from "../../lib/bundle.js";
import { cleanEnv } from "../../lib/process.js";

/**
 * Vitest global setup of the contract tier: bundles the specs that changed (so no test runs on a
 * stale bundle), and starts (without waiting) the static mocks as a user does, `pnpm mock` on free ports: one Prism
 * per API, each on a private copy of its bundle, so tests that rebuild dist/openapi meanwhile do not
 * restart it. At the end it stops the command with Ctrl-C, which must be clean (exit 0, no error
 * line, no Prism left: the command's own check, scripts/test/contract/pnpm-mock.test.ts has the
 * rest), and prints the response coverage matrix. What it provides is declared in
 * @cx-openapi/devkit (contract.ts).
 */
export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  const apis = ensureBundles();
  const dir = mkdtempSync(join(tmpdir(), "cx-openapi-coverage-"));
  const coverageFile = join(dir, "responses.jsonl");
  const mockUrls: Record<string, string> = {};
  const args = ["mock"];
  for (const api of apis) {
    const port = await freePort();
    mockUrls[api.name] = `http://127.0.0.1:${port}`;
    args.push(`--${api.name}-port`, String(port));
  }
  // Not waited for here: the test files start meanwhile, and those that call a mock wait for it
  // (devkit's mocksReady). A mock that cannot start fails them, and its output is printed below.
  const mock = startPnpm(args, { env: cleanEnv() });
  const ready = waitFor(
    "pnpm mock",
    () => mock.output().includes("Press Ctrl-C to stop") || hasEnded(mock.child),
    120_000,
    mock.output,
  );
  project.provide("mockUrls", mockUrls);
  project.provide("mockCommandPid", mock.child.pid!);
  project.provide("coverageFile", coverageFile);
  return async () => {
    try {
      await ready;
      if (hasEnded(mock.child)) throw new Error(`pnpm mock ended before it was ready:\n${mock.output()}`);
      await expectCleanStop(mock, "SIGINT");
    } finally {
      killTree(mock.child);
      printCoverage(apis, coverageFile);
      rmSync(dir, { recursive: true, force: true });
    }
  };
}

function printCoverage(apis: Api[], coverageFile: string): void {
  const records = readCoverage(coverageFile);
  if (!records.length) return;
  const tables = apis.map((api) => coverageMatrix(api.name, loadSpec(api.bundleJson), records).text);
  console.log(`\n${tables.join("\n\n")}\n`);
}
