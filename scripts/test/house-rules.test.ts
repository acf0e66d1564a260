// Each house rule in .spectral.yaml must fire on the broken fixture, so a rule that stops working
// (a bad JSONPath, a typo in a function option) fails here instead of passing our specs silently.
import { spawnSync } from "node:child_process";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { parse } from "yaml";
import { repoRoot } from "@cx-openapi/devkit";

interface SpectralResult {
  code: string;
}

const ruleset = parse(readFileSync(join(repoRoot, ".spectral.yaml"), "utf8")) as {
  rules: Record<string, unknown>;
};
/** House rules are the ones we define ourselves: they have a `given`. */
const houseRules = Object.entries(ruleset.rules)
  .filter(([, rule]) => typeof rule === "object" && rule !== null && "given" in rule)
  .map(([name]) => name);

function lint(file: string): SpectralResult[] {
  const result = spawnSync(
    join(repoRoot, "node_modules/.bin/spectral"),
    ["lint", "--ruleset", join(repoRoot, ".spectral.yaml"), "--format", "json", "--quiet", file],
    { cwd: repoRoot, encoding: "utf8" },
  );
  return JSON.parse(result.stdout) as SpectralResult[];
}

describe("Spectral house rules", () => {
  const fired = new Set(lint(join(import.meta.dirname, "fixtures/house-rules-broken.yaml")).map((r) => r.code));

  it("defines the house rules the project relies on", () => {
    expect(houseRules.length).toBeGreaterThanOrEqual(10);
  });

  it.each(houseRules)("%s fires on the broken fixture", (rule) => {
    expect(fired).toContain(rule);
  });
});
