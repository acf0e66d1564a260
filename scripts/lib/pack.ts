// Packs every publishable package the way `pnpm publish` would (publishConfig applied,
// `workspace:*` replaced by the real version), into a folder of tarballs.
import { existsSync, mkdirSync } from "node:fs";
import { join } from "node:path";
import { isEsmOnly, publicPackages, tarballName, type PublicPackage } from "./packages.js";
import { bin, check, run } from "./process.js";

export interface PackedPackage extends PublicPackage {
  tarball: string;
}

/** `pnpm pack` of every publishable package (built beforehand: see scripts/build.ts). */
export async function packAll(destination: string): Promise<PackedPackage[]> {
  mkdirSync(destination, { recursive: true });
  return Promise.all(
    publicPackages().map(async (pkg) => {
      const args = ["pack", "--pack-destination", destination];
      check("pnpm", args, await run("pnpm", args, { cwd: pkg.path }));
      const tarball = join(destination, tarballName(pkg.json));
      if (!existsSync(tarball)) throw new Error(`pnpm pack did not write ${tarball}`);
      return { ...pkg, tarball };
    }),
  );
}

/** publint on a tarball, warnings and suggestions included: undefined when it finds nothing. */
export async function publintProblems(tarball: string): Promise<string | undefined> {
  const outcome = await run(bin("publint"), ["run", tarball, "--strict"]);
  return outcome.code === 0 && outcome.stdout.includes("All good!") ? undefined : outcome.output;
}

/**
 * attw on the tarball pnpm packed (`attw --pack` would pack with npm, which ignores pnpm's
 * publishConfig), every resolution mode (node10, node16 CJS and ESM, bundler): undefined when it finds
 * nothing. The spec files are data, not modules: node10 cannot see subpath exports and TypeScript has
 * no types for .yaml, so they are left out; the consumer tests load both. An ESM-only package (the
 * sandbox: a Node server and CLI, imported or run with npx) is checked with attw's esm-only profile,
 * which does not count "CommonJS cannot require it" (node10, node16 from CJS) as a problem: building
 * a CommonJS copy of a server nobody requires would only double what ships.
 */
export async function attwProblems(pkg: PackedPackage): Promise<string | undefined> {
  const data = Object.keys(pkg.json.publishConfig?.exports ?? {}).filter(
    (sub) => /\.(json|yaml)$/.test(sub) && sub !== "./package.json",
  );
  const args = [
    pkg.tarball,
    "--format",
    "ascii",
    "--no-color",
    ...(data.length ? ["--exclude-entrypoints", ...data] : []),
    ...(isEsmOnly(pkg) ? ["--profile", "esm-only"] : []),
  ];
  const outcome = await run(bin("attw"), args);
  // With a profile, attw lists the ignored modes instead of "No problems found": every mode it
  // checks (one line per entry point and mode) must then be green.
  const checked = outcome.stdout.split("\n").filter((line) => /^(node16 \(from ESM\)|bundler):/.test(line));
  const clean = isEsmOnly(pkg)
    ? checked.length > 0 && checked.every((line) => line.includes("🟢"))
    : outcome.stdout.includes("No problems found");
  return outcome.code === 0 && clean ? undefined : outcome.output;
}
