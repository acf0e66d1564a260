// The publishable packages of the workspace: every packages/* that is not private, in build order
// (a package comes after the workspace packages it depends on).
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { loadApis, repoRoot, type Api } from "./apis.js";

export interface PackageJson {
  name: string;
  version: string;
  private?: boolean;
  engines?: { node?: string };
  dependencies?: Record<string, string>;
  exports?: Record<string, string>;
  bin?: Record<string, string>;
  publishConfig?: { exports?: Record<string, unknown>; main?: string; [key: string]: unknown };
  [key: string]: unknown;
}

export interface PublicPackage {
  /** The folder name under packages/, e.g. `relay-cdm`. */
  dir: string;
  /** Absolute path of the package folder. */
  path: string;
  json: PackageJson;
  /** The API whose client this package is, if it is one (its spec ships in the package). */
  api?: Api;
}

/**
 * A package published without a CommonJS build (no `main` when published): a Node server and CLI
 * such as the sandbox, whose dependents `import` it. The clients ship both formats because any app
 * may `require` them.
 */
/** The JavaScript the packages are compiled down to: what Node 20 and evergreen browsers run. */
export const jsTarget = "es2022";

export function isEsmOnly(pkg: PublicPackage): boolean {
  return pkg.json.publishConfig?.main === undefined;
}

export function readPackageJson(dir: string): PackageJson {
  return JSON.parse(readFileSync(join(dir, "package.json"), "utf8")) as PackageJson;
}

export function publicPackages(root = repoRoot): PublicPackage[] {
  const apis = root === repoRoot ? loadApis() : [];
  const packagesDir = join(root, "packages");
  const found = readdirSync(packagesDir, { withFileTypes: true })
    .filter((entry) => entry.isDirectory())
    .map((entry) => {
      const path = join(packagesDir, entry.name);
      const api = apis.find((a) => a.packageDir.replace(/\/$/, "") === path);
      return { dir: entry.name, path, json: readPackageJson(path), ...(api ? { api } : {}) };
    })
    .filter((pkg) => !pkg.json.private);
  // Dependencies first.
  const ordered: PublicPackage[] = [];
  const visit = (pkg: PublicPackage, stack: string[] = []) => {
    if (ordered.includes(pkg)) return;
    if (stack.includes(pkg.json.name)) throw new Error(`Dependency cycle: ${[...stack, pkg.json.name].join(" -> ")}`);
    for (const dep of Object.keys(pkg.json.dependencies ?? {})) {
      const inner = found.find((p) => p.json.name === dep);
      if (inner) visit(inner, [...stack, pkg.json.name]);
    }
    ordered.push(pkg);
  };
  for (const pkg of found) visit(pkg);
  return ordered;
}

/** The name a tarball gets from `pnpm pack`: `@scope/name` 1.2.3 -> `scope-name-1.2.3.tgz`. */
export function tarballName(pkg: PackageJson): string {
  return `${pkg.name.replace(/^@/, "").replace("/", "-")}-${pkg.version}.tgz`;
}
