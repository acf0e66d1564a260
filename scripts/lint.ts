// pnpm lint: Redocly and Spectral on every split source and on every bundle, and Biome on the
// hand-written TypeScript. Any warning fails. `--structure` runs the code-health checks (function
// length, copies, import rules, the dependency diagram: scripts/lib/structure.ts).
import { join, relative } from "node:path";
import { ensureBundles } from "./lib/bundle.js";
import { repoRoot } from "./lib/apis.js";
import { cli } from "./lib/cli.js";
import { runTool } from "./lib/process.js";
import { diagramFile } from "./lib/dependency-diagram.js";
import { lintStructure, writeDiagram } from "./lib/structure.js";

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

/**
 * Whether the structure checks run with the code lint (`pnpm lint`, `pnpm lint --code` and the static
 * tier of `pnpm test`). Off while the tree still breaks them; `pnpm lint --structure` runs them alone.
 */
export const structureInDefaultRun = false;

export function lintCode(): void {
  console.log("▶ Biome: hand-written TypeScript (format and lint)");
  runTool("biome", ["ci", "--colors=off"]);
  if (structureInDefaultRun) lintStructure();
}

cli(import.meta.url, {
  usage: `Usage: pnpm lint [--specs | --code | --structure | --diagram]

Lints the specs (Redocly and Spectral, on the split sources and the bundles) and the hand-written
TypeScript (Biome: formatting and lint rules; \`pnpm format\` applies the formatting).

  --specs      only the specs
  --code       only the TypeScript
  --structure  only the structure checks: function length (at most 80 lines, at most 5 over
               60; test files are out of scope), copies (jscpd, .jscpd.json: no clone of 6 lines or
               more), import rules and cycles (dependency-cruiser, .dependency-cruiser.cjs), and
               ${diagramFile} matching the imports. ${structureInDefaultRun ? "--code and the default run include them." : "Not yet part of --code or the default run."}
  --diagram    rewrite ${diagramFile} from the imports, and nothing else`,
  options: {
    specs: { type: "boolean" },
    code: { type: "boolean" },
    structure: { type: "boolean" },
    diagram: { type: "boolean" },
  },
  run(values) {
    if (values.diagram) return writeDiagram();
    const all = !values.specs && !values.code && !values.structure;
    if (all || values.specs) lintSpecs();
    if (all || values.code) lintCode();
    if (values.structure && !(structureInDefaultRun && values.code)) lintStructure();
  },
});
