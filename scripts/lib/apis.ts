// The API registry: every API of the project, read from redocly.yaml's `apis:` section, its one
// source. `pnpm gen` writes the names and ports into @cx-openapi/spec (packages/spec/src/generated),
// which the packages read; this module adds the repository's paths for the commands.
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { parse } from "yaml";

/** The repository root, resolved from this file so scripts work from any working directory. */
export const repoRoot = fileURLToPath(new URL("../..", import.meta.url));
/** Where `pnpm bundle` writes the bundles: `<api>.yaml` and `<api>.json`. */
export const bundleDir = join(repoRoot, "dist/openapi");

export interface Api {
  /** The key under `apis:` in redocly.yaml, e.g. `relay-cdm`. */
  name: string;
  /** The split source's root document. */
  root: string;
  /** The client package that owns the generated types. */
  packageDir: string;
  /** Default port of this API's static mock (`pnpm mock`). */
  mockPort: number;
  /** Default port of this API's stateful sandbox (`pnpm start`, `pnpm sandbox`, `cx-sandbox`). */
  sandboxPort: number;
  bundleYaml: string;
  bundleJson: string;
  generatedDir: string;
}

interface RedoclyApiEntry {
  root: string;
  "x-cx"?: { package?: string; mockPort?: number; sandboxPort?: number };
}

/** Every API of the project, read from redocly.yaml: adding an entry there is the only registration. */
export function loadApis(): Api[] {
  const config = parse(readFileSync(join(repoRoot, "redocly.yaml"), "utf8")) as {
    apis?: Record<string, RedoclyApiEntry>;
  };
  return Object.entries(config.apis ?? {}).map(([name, entry]) => {
    const cx = entry["x-cx"];
    if (!cx?.package || !cx.mockPort || !cx.sandboxPort) {
      throw new Error(`redocly.yaml: apis.${name}.x-cx needs "package", "mockPort" and "sandboxPort"`);
    }
    return {
      name,
      root: join(repoRoot, entry.root),
      packageDir: join(repoRoot, cx.package),
      mockPort: cx.mockPort,
      sandboxPort: cx.sandboxPort,
      bundleYaml: join(bundleDir, `${name}.yaml`),
      bundleJson: join(bundleDir, `${name}.json`),
      generatedDir: join(repoRoot, cx.package, "src/generated"),
    };
  });
}

export function getApi(name: string): Api {
  const api = loadApis().find((a) => a.name === name);
  if (!api) throw new Error(`Unknown API "${name}": not listed under apis in redocly.yaml`);
  return api;
}
