// pnpm lint: Redocly and Spectral on every split source and on every bundle, and Biome on the
// hand-written TypeScript. Any warning fails.
import { join, relative } from "node:path";
import { ensureBundles } from "./lib/bundle.js";
import { repoRoot } from "./lib/apis.js";
import { cli } from "./lib/cli.js";
import { runTool } from "./lib/process.js";

/** Resolves `$ref`s to code sample files as text, as Redocly does (see the file). */
const spectralResolver = join(repoRoot, "scripts/lib/spectral-resolver.cjs");

export function lintSpecs(): void {
  const apis = ensureBundles();
  const sources = apis.map((api) => relative(repoRoot, api.root));
  const bundles = apis.map((api) => relative(repoRoot, api.bundleYaml));
  // One Redocly run for both: the split sources by their names in redocly.yaml, and the bundles.
  console.log("▶ Redocly: split sources and bundles");
  runTool("redocly", ["lint", ...apis.map((api) => api.name), ...bundles]);
  // Spectral's resolver gives false results on split specs (see .spectral.yaml), so the bundles
  // are linted too; the house rules that need `$ref`s intact only see them there.
  console.log("▶ Spectral: split sources and bundles");
  runTool("spectral", ["lint", "--fail-severity=warn", "--resolver", spectralResolver, ...sources, ...bundles]);
}

export function lintCode(): void {
  console.log("▶ Biome: hand-written TypeScript (format and lint)");
  runTool("biome", ["ci", "--colors=off"]);
}

cli(import.meta.url, {
  usage: `Usage: pnpm lint [--specs | --code]

Lints the specs (Redocly and Spectral, on the split sources and the bundles) and the hand-written
TypeScript (Biome: formatting and lint rules; \`pnpm format\` applies the formatting).

  --specs   only the specs
  --code    only the TypeScript`,
  options: { specs: { type: "boolean" }, code: { type: "boolean" } },
  run(values) {
    const all = !values.specs && !values.code;
    if (all || values.specs) lintSpecs();
    if (all || values.code) lintCode();
  },
});
