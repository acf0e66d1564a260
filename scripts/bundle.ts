// pnpm bundle: writes dist/openapi/<api>.yaml and .json for every API in redocly.yaml.
import { mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { dirname } from "node:path";
import { parse } from "yaml";
import { loadApis, type Api } from "@cx-openapi/devkit";
import { main, runTool } from "./lib/run.js";

export function bundle(api: Api): void {
  mkdirSync(dirname(api.bundleYaml), { recursive: true });
  // A bundle that must rename a clashing component would silently rename a generated type: fail instead.
  runTool("redocly", ["bundle", api.name, "-o", api.bundleYaml, "--component-renaming-conflicts-severity=error"]);
  const document: unknown = parse(readFileSync(api.bundleYaml, "utf8"));
  writeFileSync(api.bundleJson, `${JSON.stringify(document, null, 2)}\n`);
}

export function bundleAll(): void {
  for (const api of loadApis()) bundle(api);
}

if (import.meta.url === `file://${process.argv[1]}`) main(bundleAll);
