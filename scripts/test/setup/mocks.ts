import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { coverageMatrix, readCoverage } from "@cx-openapi/devkit/coverage";
import { expectCleanStop, killTree, startReady } from "@cx-openapi/devkit/testing";
import { freePort, loadSpec } from "@cx-openapi/spec";
import type { TestProject } from "vitest/node";
import type { Api } from "../../lib/apis.js";
import { ensureBundles } from "../../lib/bundle.js";
import { cleanEnv } from "../../lib/process.js";

/**
 * Vitest global setup of the contract tier: bundles the specs that changed (so no test runs on a
 * stale bundle), and starts the static mocks as a user does, `pnpm mock` on free ports: one Prism
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
  let mock: Awaited<ReturnType<typeof startReady>>;
  try {
    mock = await startReady(args, { env: cleanEnv() });
  } catch (error) {
    rmSync(dir, { recursive: true, force: true });
    throw error;
  }
  project.provide("mockUrls", mockUrls);
  project.provide("mockCommandPid", mock.child.pid!);
  project.provide("coverageFile", coverageFile);
  return async () => {
    try {
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
