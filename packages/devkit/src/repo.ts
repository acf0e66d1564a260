// Where this repository keeps what the tests read. The devkit is private and always sits at
// packages/devkit, so the root is found from its own location, without the repository's scripts.
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { apiRegistry, isApiName, type ApiName, type RegisteredApi } from "@cx-openapi/spec";

export const repoRoot = fileURLToPath(new URL("../../..", import.meta.url));
/** Where `pnpm bundle` writes each API's bundles (the registry names the files). */
export const bundleDir = join(repoRoot, "dist/openapi");

/** The API of that name in the registry (redocly.yaml), or an error naming the known ones. */
export function registeredApi(name: string): RegisteredApi {
  if (!isApiName(name))
    throw new Error(`Unknown API "${name}": the APIs are ${Object.keys(apiRegistry).join(", ")} (redocly.yaml)`);
  return apiRegistry[name];
}

/** The path of an API's bundled spec in this repository. */
export function bundleFile(api: ApiName, format: "json" | "yaml" = "json"): string {
  return join(bundleDir, apiRegistry[api].bundles[format]);
}
