// The bundles: dist/openapi/<api>.yaml and .json, one per API of redocly.yaml, made by `redocly bundle`.
import { existsSync, mkdirSync, readdirSync, readFileSync, renameSync, statSync, writeFileSync } from "node:fs";
import { dirname, extname, join } from "node:path";
import { parse } from "yaml";
import { loadApis, repoRoot, type Api } from "./apis.js";
import { runTool } from "./process.js";

export function bundle(api: Api): void {
  mkdirSync(dirname(api.bundleYaml), { recursive: true });
  // Written beside the bundle, then renamed over it: two commands bundling at once (pnpm mock and a
  // test run) never let a third read half a file.
  const partial = (file: string) => `${file}.${process.pid}.partial${extname(file)}`;
  // A bundle that must rename a clashing component would silently rename a generated type: fail instead.
  runTool("redocly", [
    "bundle",
    api.name,
    "-o",
    partial(api.bundleYaml),
    "--component-renaming-conflicts-severity=error",
  ]);
  const document: unknown = parse(readFileSync(partial(api.bundleYaml), "utf8"));
  writeFileSync(partial(api.bundleJson), `${JSON.stringify(document, null, 2)}\n`);
  renameSync(partial(api.bundleYaml), api.bundleYaml);
  renameSync(partial(api.bundleJson), api.bundleJson);
}

export function bundleAll(): void {
  for (const api of loadApis()) bundle(api);
}

/** The newest modification time of a file or of anything under a folder. */
function newest(path: string): number {
  const stat = statSync(path);
  if (!stat.isDirectory()) return stat.mtimeMs;
  return Math.max(stat.mtimeMs, ...readdirSync(path).map((name) => newest(join(path, name))));
}

/** Whether the API's bundles are missing or older than its sources (its folder) or redocly.yaml. */
export function isStale(api: Api): boolean {
  if (!existsSync(api.bundleJson) || !existsSync(api.bundleYaml)) return true;
  const built = Math.min(statSync(api.bundleJson).mtimeMs, statSync(api.bundleYaml).mtimeMs);
  return Math.max(newest(dirname(api.root)), newest(join(repoRoot, "redocly.yaml"))) > built;
}

/**
 * Bundles the APIs whose bundles are stale, as `make` would: every command that reads the bundles
 * calls this, so one `pnpm test` bundles each spec once however many steps read it.
 */
export function ensureBundles(): Api[] {
  const apis = loadApis();
  for (const api of apis) if (isStale(api)) bundle(api);
  return apis;
}
