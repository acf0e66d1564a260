import { copyFileSync, existsSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { TestProject } from "vitest/node";
import type { Api } from "../../../scripts/lib/apis.js";
import { ensureBundles } from "../../../scripts/lib/bundle.js";
import { coverageMatrix, readCoverage } from "./coverage.js";
import { startMock, type RunningMock } from "../../../scripts/lib/prism.js";
import { loadSpec } from "../../../scripts/lib/openapi.js";

declare module "vitest" {
  export interface ProvidedContext {
    /** The URL of each API's Prism mock, keyed by the API's name in redocly.yaml. */
    mockUrls: Record<string, string>;
    /** Where tests append the responses they receive, for the coverage matrix. */
    coverageFile: string;
  }
}

/**
 * Vitest global setup of the contract tier: bundles the specs that changed (so no test
 * runs on a stale bundle), starts one Prism per API, and at the end stops them all and prints the
 * response coverage matrix.
 */
export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  const apis = ensureBundles();
  for (const api of apis) {
    if (!existsSync(api.bundleJson)) throw new Error(`${api.name}: bundling did not produce ${api.bundleJson}`);
  }
  const dir = mkdtempSync(join(tmpdir(), "cx-openapi-coverage-"));
  const coverageFile = join(dir, "responses.jsonl");
  const mocks: RunningMock[] = [];

  const teardown = async () => {
    await Promise.allSettled(mocks.map((mock) => mock.stop()));
    printCoverage(apis, coverageFile);
    rmSync(dir, { recursive: true, force: true });
  };

  // Prism serves a private copy of each bundle: it restarts when its file changes, and tests such as
  // the `pnpm start` one rebuild dist/openapi while the contract tests are still calling the mocks.
  const started = await Promise.allSettled(
    apis.map((api) => {
      const spec = join(dir, `${api.name}.json`);
      copyFileSync(api.bundleJson, spec);
      return startMockOnFreePort(spec);
    }),
  );
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

/**
 * A mock on a port the OS picks. The port is free when picked but only bound once Prism has started,
 * seconds later; on a busy machine another process sometimes takes it first (EADDRINUSE), so a
 * clash is retried on a new port, twice at most.
 */
async function startMockOnFreePort(spec: string, attempts = 3): Promise<RunningMock> {
  try {
    return await startMock({ spec });
  } catch (error) {
    if (attempts > 1 && error instanceof Error && /EADDRINUSE/.test(error.message))
      return startMockOnFreePort(spec, attempts - 1);
    throw error;
  }
}

function printCoverage(apis: Api[], coverageFile: string): void {
  const records = readCoverage(coverageFile);
  if (!records.length) return;
  const tables = apis.map((api) => coverageMatrix(api.name, loadSpec(api.bundleJson), records).text);
  console.log(`\n${tables.join("\n\n")}\n`);
}
