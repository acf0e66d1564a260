// The steps of `pnpm lint` (and of `pnpm test`'s static tier): Redocly and Spectral on every split
// source and on every bundle, Biome on the hand-written TypeScript, and (when switched on) the
// structure checks of scripts/lib/structure.ts.
import { join, relative } from "node:path";
import { repoRoot } from "./apis.js";
import { ensureBundles } from "./bundle.js";
import { checkCache } from "./check-cache.js";
import { runTool } from "./process.js";

/** Resolves `$ref`s to code sample files as text, as Redocly does (see the file). */
const spectralResolver = join(repoRoot, "scripts/lib/spectral-resolver.cjs");

/** What Redocly and Spectral read: the specs, their bundles and both tools' configuration. */
const specLintInputs = [
  "openapi",
  "dist/openapi",
  "redocly.yaml",
  ".spectral.yaml",
  "scripts/lib/spectral-resolver.cjs",
];

export function lintSpecs(): void {
  const apis = ensureBundles();
  const cache = checkCache("lint-specs", specLintInputs);
  if (cache.passed) {
    console.log("▶ Redocly and Spectral: the specs, bundles and rules are as when they last passed");
    return;
  }
  const sources = apis.map((api) => relative(repoRoot, api.root));
  const bundles = apis.map((api) => relative(repoRoot, api.bundleYaml));
  // One Redocly run for both: the split sources by their names in redocly.yaml, and the bundles.
  console.log("▶ Redocly: split sources and bundles");
  runTool("redocly", ["lint", ...apis.map((api) => api.name), ...bundles]);
  // Spectral's resolver gives false results on split specs (see .spectral.yaml), so the bundles
  // are linted too; the house rules that need `$ref`s intact only see them there.
  console.log("▶ Spectral: split sources and bundles");
  runTool("spectral", ["lint", "--fail-severity=warn", "--resolver", spectralResolver, ...sources, ...bundles]);
  cache.record();
}

/** Biome, then the structure checks (unless `structure: false`: the static tier runs them beside the rest). */
export async function lintCode({ structure = true }: { structure?: boolean } = {}): Promise<void> {
  console.log("▶ Biome: hand-written TypeScript (format and lint)");
  runTool("biome", ["ci", "--colors=off"]);
  // Loaded only here: measuring function lengths brings the TypeScript compiler (most of a second).
  if (structure) (await import("./structure.js")).lintStructure();
}
