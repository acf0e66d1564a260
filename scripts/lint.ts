// pnpm lint: Redocly and Spectral on every split source and on every bundle, and Biome on the
// hand-written TypeScript with the code-health checks (function length, copies, import rules, the
// dependency diagram: scripts/lib/structure.ts), all in scripts/lib/lint-steps.ts. Any warning fails.
import { cli } from "./lib/cli.js";
import { diagramFile } from "./lib/dependency-diagram.js";
import { lintCode, lintSpecs } from "./lib/lint-steps.js";
import { lintStructure, writeDiagram } from "./lib/structure.js";

cli(import.meta.url, {
  usage: `Usage: pnpm lint [--specs | --code | --structure | --diagram]

Lints the specs (Redocly and Spectral, on the split sources and the bundles) and the hand-written
TypeScript (Biome: formatting and lint rules; \`pnpm format\` applies the formatting).

  --specs      only the specs
  --code       only the TypeScript
  --structure  only the structure checks: function length (at most 80 lines, at most 5 over
               60; test files are out of scope), copies (jscpd, .jscpd.json: no clone of 6 lines or
               more), import rules and cycles (dependency-cruiser, .dependency-cruiser.cjs), and
               ${diagramFile} matching the imports. --code and the default run include them.
  --diagram    rewrite ${diagramFile} from the imports, and nothing else`,
  options: {
    specs: { type: "boolean" },
    code: { type: "boolean" },
    structure: { type: "boolean" },
    diagram: { type: "boolean" },
  },
  async run(values) {
    if (values.diagram) return writeDiagram();
    const all = !values.specs && !values.code && !values.structure;
    if (all || values.specs) lintSpecs();
    if (all || values.code) await lintCode();
    if (values.structure && !values.code) lintStructure();
  },
});
