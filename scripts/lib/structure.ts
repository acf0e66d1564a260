// pnpm lint --structure: function length, copies, import rules and the dependency diagram. Each step
// prints what it found and returns its failures (empty when it holds), so one run shows them all.
import { existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { repoRoot } from "./apis.js";
import { findClones, formatClone } from "./copies.js";
import { diagramCommand, diagramFile, folderCycles, folderGraph, renderDiagram } from "./dependency-diagram.js";
import { checkCache } from "./check-cache.js";
import { type Cruise, cruise, formatViolation } from "./dependency-rules.js";
import { describeSpan, judgeLengths, lengthLimits, measureSources } from "./function-length.js";

const elapsed = (started: number) => `${((performance.now() - started) / 1000).toFixed(1)} s`;
const indent = (lines: string[]) => lines.map((line) => `  ${line}`).join("\n");

export function checkFunctionLengths(root: string = repoRoot): string[] {
  const started = performance.now();
  const { files, spans } = measureSources(root);
  const verdict = judgeLengths(spans);
  const { max, long, maxLong } = lengthLimits;
  console.log(
    `▶ Function length: ${verdict.functions} functions in ${files} files of packages/*/src and scripts; test files are out of scope (${elapsed(started)})`,
  );
  console.log(`  at most ${max} lines each, at most ${maxLong} over ${long}; the ten longest:`);
  console.log(indent(verdict.longest.map(describeSpan)));
  const more = verdict.long.slice(verdict.longest.length);
  if (more.length) console.log(`  and ${more.length} more over ${long}:\n${indent(more.map(describeSpan))}`);
  if (verdict.problems.length) console.log(indent(verdict.problems.map((problem) => `✖ ${problem}`)));
  return verdict.problems;
}

export function checkCopies(): string[] {
  const started = performance.now();
  const clones = findClones();
  console.log(`▶ Copies: jscpd (.jscpd.json: 6 lines or more, tests included) (${elapsed(started)})`);
  console.log(clones.length ? indent(clones.map((clone) => `✖ ${formatClone(clone)}`)) : "  no clone");
  return clones.map(formatClone);
}

/** The import rules, and cycles between folders (test folders are nodes of their own). */
export function checkImports(result: Cruise, took: string): string[] {
  const cycles = folderCycles(folderGraph(result.modules)).map((cycle) => `no-folder-cycle: ${cycle.join(" → ")}`);
  const problems = [...result.violations.map(formatViolation), ...cycles];
  console.log(`▶ Imports: dependency-cruiser (.dependency-cruiser.cjs), ${result.modules.length} modules (${took})`);
  if (!problems.length) {
    console.log("  every import follows the rules");
    return [];
  }
  console.log(indent(problems.map((problem) => `✖ ${problem}`)));
  const broken = [...new Set(result.violations.map((violation) => violation.rule))];
  console.log("  why:");
  console.log(indent(broken.map((rule) => `  ${rule}: ${result.comments.get(rule) ?? ""}`)));
  if (cycles.length) console.log("    no-folder-cycle: folders import each other in one direction only.");
  return problems;
}

/** Whether docs/architecture/dependencies.md is what the imports make of it. */
export function checkDiagram(result: Cruise, root: string = repoRoot): string[] {
  const expected = renderDiagram(folderGraph(result.modules));
  const file = join(root, diagramFile);
  const current = existsSync(file) ? readFileSync(file, "utf8") : undefined;
  console.log(`▶ Dependency diagram: ${diagramFile}`);
  if (current === expected) {
    console.log("  matches the imports");
    return [];
  }
  const problem = `${diagramFile} ${current === undefined ? "is missing" : "does not match the imports"}: run \`${diagramCommand}\``;
  console.log(`  ✖ ${problem}`);
  return [problem];
}

export function writeDiagram(root: string = repoRoot, result: Cruise = cruise(root)): void {
  const file = join(root, diagramFile);
  mkdirSync(dirname(file), { recursive: true });
  writeFileSync(file, renderDiagram(folderGraph(result.modules)));
  console.log(`wrote ${diagramFile}`);
}

/** Every structure check; throws after all have run when any failed. */
/** What the structure checks read: every package and script, tests included, and their rules. */
const structureInputs = [
  "packages",
  "scripts",
  "vitest.config.ts",
  ".dependency-cruiser.cjs",
  ".jscpd.json",
  "docs/architecture/dependencies.md",
  "tsconfig.json",
  "tsconfig.base.json",
];

export function lintStructure(): void {
  const cache = checkCache("structure", structureInputs);
  if (cache.passed) return void console.log("▶ Structure: every package and script is as when it last passed");
  const problems = [...checkFunctionLengths(), ...checkCopies()];
  const started = performance.now();
  const result = cruise();
  problems.push(...checkImports(result, elapsed(started)), ...checkDiagram(result));
  if (problems.length) throw new Error(`the structure checks found ${problems.length} problem(s), listed above`);
  cache.record();
}
