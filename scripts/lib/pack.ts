// Packs every publishable package the way `pnpm publish` would (publishConfig applied,
// `workspace:*` replaced by the real version), into a folder of tarballs.
import { existsSync, mkdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import type { ResolutionKind } from "@arethetypeswrong/core/types";
import { isEsmOnly, publicPackages, tarballName, type PublicPackage } from "./packages.js";
import { check, run } from "./process.js";

export interface PackedPackage extends PublicPackage {
  tarball: string;
}

/** `pnpm pack` of every publishable package (built beforehand: see scripts/build.ts), in one pnpm run. */
export async function packAll(destination: string): Promise<PackedPackage[]> {
  mkdirSync(destination, { recursive: true });
  const packages = publicPackages();
  const args = [
    "-r",
    ...packages.flatMap((pkg) => ["--filter", pkg.json.name]),
    "pack",
    "--pack-destination",
    destination,
  ];
  check("pnpm", args, await run("pnpm", args));
  return packages.map((pkg) => {
    const tarball = join(destination, tarballName(pkg.json));
    if (!existsSync(tarball)) throw new Error(`pnpm pack did not write ${tarball}`);
    return { ...pkg, tarball };
  });
}

/**
 * publint on a tarball, warnings and suggestions included (strict: warnings count as errors):
 * undefined when it finds nothing, else one line per message. In process, as attw below: no
 * process of its own per package.
 */
export async function publintProblems(tarball: string): Promise<string | undefined> {
  const { publint } = await import("publint");
  const { formatMessage } = await import("publint/utils");
  const data = readFileSync(tarball);
  const arrayBuffer = data.buffer.slice(data.byteOffset, data.byteOffset + data.byteLength) as ArrayBuffer;
  const { messages, pkg } = await publint({ pack: { tarball: arrayBuffer }, level: "suggestion", strict: true });
  if (!messages.length) return undefined;
  return messages.map((message) => `${message.type}: ${formatMessage(message, pkg, { color: false })}`).join("\n");
}

/**
 * attw ("are the types wrong?", its core library: one TypeScript load for every package) on the
 * tarball pnpm packed (attw's own `--pack` would pack with npm, which ignores pnpm's publishConfig),
 * every resolution mode (node10, node16 CJS and ESM, bundler): undefined when it finds nothing. The
 * spec files are data, not modules: node10 cannot see subpath exports and TypeScript has no types
 * for .yaml, so they are left out; the consumer tests load both. An ESM-only package (the sandbox: a
 * Node server and CLI, imported or run with npx) is checked as attw's esm-only profile checks it:
 * "CommonJS cannot require it" (node10, node16 from CJS) is not a problem there, since building a
 * CommonJS copy of a server nobody requires would only double what ships.
 */
export async function attwProblems(pkg: PackedPackage): Promise<string | undefined> {
  const data = Object.keys(pkg.json.publishConfig?.exports ?? {}).filter(
    (sub) => /\.(json|yaml)$/.test(sub) && sub !== "./package.json",
  );
  // Loaded here: attw brings a TypeScript compiler of its own, which the release's other steps (and
  // the tests that import them) do not need.
  const { checkPackage, createPackageFromTarballData } = await import("@arethetypeswrong/core");
  const analysis = await checkPackage(createPackageFromTarballData(new Uint8Array(readFileSync(pkg.tarball))), {
    excludeEntrypoints: data,
  });
  if (!analysis.types) return "attw found no types in the package";
  const ignored: ResolutionKind[] = isEsmOnly(pkg) ? ["node10", "node16-cjs"] : [];
  const problems = analysis.problems.filter(
    (problem) => !("resolutionKind" in problem && ignored.includes(problem.resolutionKind)),
  );
  return problems.length ? problems.map((problem) => JSON.stringify(problem)).join("\n") : undefined;
}
