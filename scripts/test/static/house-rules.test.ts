// Each house rule in .spectral.yaml must fire on the broken fixture, so a rule that stops working
// (a bad JSONPath, a typo in a function option) fails here instead of passing our specs silently.
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { parse } from "yaml";
import { repoRoot } from "../../lib/apis.js";
import { bin, runSync } from "../../lib/process.js";

interface SpectralResult {
  code: string;
  range: { start: { line: number } };
}

const ruleset = parse(readFileSync(join(repoRoot, ".spectral.yaml"), "utf8")) as {
  rules: Record<string, unknown>;
};
/** House rules are the ones we define ourselves: they have a `given`. */
const houseRules = Object.entries(ruleset.rules)
  .filter(([, rule]) => typeof rule === "object" && rule !== null && "given" in rule)
  .map(([name]) => name);

function lint(file: string): SpectralResult[] {
  const result = runSync(bin("spectral"), [
    "lint",
    "--ruleset",
    join(repoRoot, ".spectral.yaml"),
    "--format",
    "json",
    "--quiet",
    file,
  ]);
  return JSON.parse(result.stdout) as SpectralResult[];
}

const fixture = join(import.meta.dirname, "../fixtures/house-rules-broken.yaml");

/** Every `# rule-name` label of the fixture, with its 1-based line. */
function labels(): { rule: string; line: number }[] {
  return readFileSync(fixture, "utf8")
    .split("\n")
    .flatMap((text, i) => {
      const rule = /#\s*([a-z0-9-]+):/.exec(text)?.[1];
      return rule && houseRules.includes(rule) ? [{ rule, line: i + 1 }] : [];
    });
}

describe("Spectral house rules", () => {
  const results = lint(fixture);
  const fired = new Set(results.map((r) => r.code));

  it("defines the house rules the project relies on", () => {
    expect(houseRules.length).toBeGreaterThanOrEqual(10);
  });

  it.each(houseRules)("%s fires on the broken fixture", (rule) => {
    expect(fired).toContain(rule);
  });

  // A rule with several `given` paths (a root schema and the schemas below it) must fire at each
  // labelled break, not just somewhere. Spectral reports a break at the start of the node it
  // checks, which is within three lines of its label.
  it.each(labels().map(({ rule, line }) => [rule, line] as const))(
    "%s fires at the break labelled on line %i",
    (rule, line) => {
      const lines = results.filter((r) => r.code === rule).map((r) => r.range.start.line + 1);
      expect(
        lines.some((at) => Math.abs(at - line) <= 3),
        `${rule} reported on lines ${lines.join(", ")}`,
      ).toBe(true);
    },
  );
});
