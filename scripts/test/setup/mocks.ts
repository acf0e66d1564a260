import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { coverageMatrix, readCoverage } from "@cx-openapi/devkit/coverage";
import { loadSpec, startPrism, type RunningPrism } from "@cx-openapi/spec";
import type { TestProject } from "vitest/node";
import type { Api } from "../../lib/apis.js";
import { ensureBundles } from "../../lib/bundle.js";

/**
 * Vitest global setup of the contract tier: bundles the specs that changed (so no test runs on a
 * stale bundle), starts one Prism per API (on a private copy of its bundle, so tests that rebuild
 * dist/openapi meanwhile do not restart it), and at the end stops them all and prints the response
 * coverage matrix. What it provides is declared in @cx-openapi/devkit (contract.ts).
 */
export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  const apis = ensureBundles();
  const dir = mkdtempSync(join(tmpdir(), "cx-openapi-coverage-"));
  const coverageFile = join(dir, "responses.jsonl");
  const mocks: RunningPrism[] = [];

  const teardown = async () => {
    await Promise.allSettled(mocks.map((mock) => mock.stop()));
    printCoverage(apis, coverageFile);
    rmSync(dir, { recursive: true, force: true });
  };

  const started = await Promise.allSettled(apis.map((api) => startPrism({ spec: api.bundleJson })));
  const mockUrls: Record<string, string> = {};
  const failures: string[] = [];
  started.forEach((result, i) => {
    const name = (apis[i] as Api).name;
    if (result.status === "fulfilled") {
      mocks.push(result.value);
      mockUrls[name] = result.value.url;
    } else failures.push(`${name}: ${result.reason instanceof Error ? result.reason.message : String(result.reason)}`);
  });
  if (failures.length) {
    await teardown();
    throw new Error(`Prism did not start:\n${failures.join("\n")}`);
  }

  project.provide("mockUrls", mockUrls);
  project.provide("coverageFile", coverageFile);
  return teardown;
}

function printCoverage(apis: Api[], coverageFile: string): void {
  const records = readCoverage(coverageFile);
  if (!records.length) return;
  const tables = apis.map((api) => coverageMatrix(api.name, loadSpec(api.bundleJson), records).text);
  console.log(`\n${tables.join("\n\n")}\n`);
}
