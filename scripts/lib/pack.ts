// Packs every publishable package the way `pnpm publish` would (publishConfig applied,
// `workspace:*` replaced by the real version), into a folder of tarballs.
import { execFile } from "node:child_process";
import { existsSync, mkdirSync } from "node:fs";
import { join } from "node:path";
import { promisify } from "node:util";
import { repoRoot } from "@cx-openapi/devkit";
import { publicPackages, tarballName, type PublicPackage } from "./packages.js";

const run = promisify(execFile);

export interface PackedPackage extends PublicPackage {
  tarball: string;
}

/** `pnpm pack` of every publishable package (built beforehand: see scripts/build.ts). */
export async function packAll(destination: string): Promise<PackedPackage[]> {
  mkdirSync(destination, { recursive: true });
  return Promise.all(
    publicPackages().map(async (pkg) => {
      await run("pnpm", ["pack", "--pack-destination", destination], { cwd: pkg.path, env: cleanEnv() });
      const tarball = join(destination, tarballName(pkg.json));
      if (!existsSync(tarball)) throw new Error(`pnpm pack did not write ${tarball}`);
      return { ...pkg, tarball };
    }),
  );
}

/**
 * The environment for npm, npx and pnpm child processes, without the `npm_*` variables a parent
 * `pnpm test` or `pnpm run` sets (they would configure the child as if it ran inside that script).
 */
export function cleanEnv(extra: Record<string, string> = {}): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {};
  for (const [key, value] of Object.entries(process.env)) {
    if (!/^(npm|pnpm)_/i.test(key) && key !== "NODE_OPTIONS" && key !== "INIT_CWD") env[key] = value;
  }
  return { ...env, ...extra };
}

const bin = (name: string) => join(repoRoot, "node_modules/.bin", name);

/** publint on a tarball, warnings and suggestions included: undefined when it finds nothing. */
export async function publintProblems(tarball: string): Promise<string | undefined> {
  try {
    const { stdout } = await run(bin("publint"), ["run", tarball, "--strict"], { env: cleanEnv() });
    return stdout.includes("All good!") ? undefined : stdout;
  } catch (error) {
    const failed = error as { stdout?: string; stderr?: string };
    return `${failed.stdout ?? ""}${failed.stderr ?? ""}`;
  }
}

/**
 * attw on the tarball pnpm packed (`attw --pack` would pack with npm, which ignores pnpm's
 * publishConfig), every resolution mode (node10, node16 CJS and ESM, bundler): undefined when it finds
 * nothing. The spec files are data, not modules: node10 cannot see subpath exports and TypeScript has
 * no types for .yaml, so they are left out; the consumer tests load both.
 */
export async function attwProblems(pkg: PackedPackage): Promise<string | undefined> {
  const data = Object.keys(pkg.json.publishConfig?.exports ?? {}).filter((sub) => /\.(json|yaml)$/.test(sub) && sub !== "./package.json");
  const args = [pkg.tarball, "--format", "ascii", "--no-color", ...(data.length ? ["--exclude-entrypoints", ...data] : [])];
  try {
    const { stdout } = await run(bin("attw"), args, { env: cleanEnv() });
    return stdout.includes("No problems found") ? undefined : stdout;
  } catch (error) {
    const failed = error as { stdout?: string; stderr?: string };
    return `${failed.stdout ?? ""}${failed.stderr ?? ""}`;
  }
}
