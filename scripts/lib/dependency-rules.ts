// The import rules (.dependency-cruiser.cjs): dependency-cruiser reads every hand-written module
// once, type-only imports included (--ts-pre-compilation-deps), and this module turns its JSON into
// one line per violation, and the modules' imports into the folder graph of the diagram.
import { existsSync } from "node:fs";
import { join } from "node:path";
import { repoRoot } from "./apis.js";
import { bin, runSync } from "./process.js";

/** The real config file: the tests run it against trees of their own. */
export const dependencyConfig = join(repoRoot, ".dependency-cruiser.cjs");

/** What dependency-cruiser is pointed at, where it exists under the root. */
const roots = ["packages", "scripts", "vitest.config.ts"];

export interface CruisedModule {
  source: string;
  dependencies: { resolved: string; module: string; dependencyTypes: string[]; coreModule: boolean }[];
}

export interface Violation {
  rule: string;
  from: string;
  to: string;
  /** For a cycle: the modules after `from`, back to it. */
  cycle?: string[];
  typeOnly: boolean;
}

export interface Cruise {
  modules: CruisedModule[];
  violations: Violation[];
  /** Each rule's comment, by name: the why printed under the violations. */
  comments: Map<string, string>;
}

interface RawViolation {
  rule: { name: string };
  from: string;
  to: string;
  cycle?: ({ name: string } | string)[];
}

interface RawResult {
  modules: CruisedModule[];
  summary: {
    violations: RawViolation[];
    ruleSetUsed?: { forbidden?: { name: string; comment?: string }[] };
  };
}

/** Runs dependency-cruiser with the real config over `root` (the repository, or a test's tree). */
export function cruise(root: string = repoRoot): Cruise {
  const targets = roots.filter((path) => existsSync(join(root, path)));
  const args = ["--config", dependencyConfig, "--ts-pre-compilation-deps", "--output-type", "json", ...targets];
  const outcome = runSync(bin("depcruise"), args, { cwd: root, timeoutMs: 120_000 });
  if (outcome.code !== 0) throw new Error(`depcruise failed with exit code ${outcome.code}:\n${outcome.output.trim()}`);
  const result = JSON.parse(outcome.stdout) as RawResult;
  const typeOnly = (from: string, to: string) =>
    result.modules
      .find((module) => module.source === from)
      ?.dependencies.some((dep) => dep.resolved === to && dep.dependencyTypes.includes("type-only")) ?? false;
  const violations = result.summary.violations.map((raw) => ({
    rule: raw.rule.name,
    from: raw.from,
    to: raw.to,
    ...(raw.cycle ? { cycle: raw.cycle.map((step) => (typeof step === "string" ? step : step.name)) } : {}),
    typeOnly: typeOnly(raw.from, raw.to),
  }));
  const comments = new Map(
    (result.summary.ruleSetUsed?.forbidden ?? []).map((rule) => [rule.name, rule.comment ?? ""] as const),
  );
  return { modules: result.modules, violations, comments };
}

/** One line: the rule, the importer and the imported (a cycle: every module of it, back to the first). */
export function formatViolation(violation: Violation): string {
  const path = violation.cycle
    ? [violation.from, ...violation.cycle].join(" → ")
    : `${violation.from} → ${violation.to}`;
  return `${violation.rule}: ${path}${violation.typeOnly ? " (type-only)" : ""}`;
}
