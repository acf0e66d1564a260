// Each spec's `info.version` is the version of its client package: the version of the description
// document, which OpenAPI says `info.version` is. The vendor's API version lives in `info.x-api-version`.
import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { parse } from "yaml";

interface RedoclyApis {
  apis?: Record<string, { root: string; "x-cx"?: { package?: string } }>;
}

export interface SpecVersion {
  api: string;
  /** The spec's root file, relative to the repository. */
  spec: string;
  packageName: string;
  packageVersion: string;
  infoVersion: string | undefined;
  apiVersion: string | undefined;
}

/** The spec and package versions of every API of the repository at `root`. */
export function specVersions(root: string): SpecVersion[] {
  const config = parse(readFileSync(join(root, "redocly.yaml"), "utf8")) as RedoclyApis;
  return Object.entries(config.apis ?? {}).map(([api, entry]) => {
    const pkg = JSON.parse(readFileSync(join(root, entry["x-cx"]?.package ?? "", "package.json"), "utf8")) as {
      name: string;
      version: string;
    };
    const info =
      (
        parse(readFileSync(join(root, entry.root), "utf8")) as {
          info?: { version?: unknown; "x-api-version"?: unknown };
        }
      ).info ?? {};
    return {
      api,
      spec: entry.root,
      packageName: pkg.name,
      packageVersion: pkg.version,
      infoVersion: info.version === undefined ? undefined : String(info.version),
      apiVersion: info["x-api-version"] === undefined ? undefined : String(info["x-api-version"]),
    };
  });
}

/**
 * Sets `info.version` in each spec root to its package's version (run after `changeset version`).
 * Only that one line changes, so comments and layout survive. Returns what changed.
 */
export function syncSpecVersions(root: string): { spec: string; from: string | undefined; to: string }[] {
  const changed: { spec: string; from: string | undefined; to: string }[] = [];
  for (const entry of specVersions(root)) {
    if (entry.infoVersion === entry.packageVersion) continue;
    const file = join(root, entry.spec);
    const text = readFileSync(file, "utf8");
    // The first `version:` line indented by two spaces inside the top-level `info:` block.
    const updated = text.replace(/^(info:\n(?:(?: {2,}.*)?\n)*? {2}version:)[^\n]*$/m, `$1 ${entry.packageVersion}`);
    if (updated === text) throw new Error(`${entry.spec}: no info.version line found`);
    writeFileSync(file, updated);
    changed.push({ spec: entry.spec, from: entry.infoVersion, to: entry.packageVersion });
  }
  const left = specVersions(root).filter((entry) => entry.infoVersion !== entry.packageVersion);
  if (left.length) throw new Error(`info.version still differs in ${left.map((e) => e.spec).join(", ")}`);
  return changed;
}
