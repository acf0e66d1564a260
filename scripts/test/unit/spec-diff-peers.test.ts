// Our verdicts beside `redocly diff`'s on every fixture pair (one Redocly process for all of them),
// checked against the table in docs/spec-diff.md; and the performance figures of the checker,
// printed, never asserted.
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { parse } from "yaml";
import { beforeAll, describe, expect, it } from "vitest";
import { loadApis, repoRoot } from "../../lib/apis.js";
import { compareDocuments } from "../../lib/breaking/compare.js";
import { compareWithRedocly, disagree, type Pair, type Verdicts } from "../../lib/breaking/redocly-diff.js";

const fixtures = join(repoRoot, "scripts/test/fixtures");
const load = (file: string) => parse(readFileSync(file, "utf8")) as Record<string, unknown>;
const pairs: Pair[] = ["breaking", "non-breaking", "warnings"].flatMap((group) =>
  readdirSync(join(fixtures, group)).map((name) => ({
    name,
    before: load(join(fixtures, group, name, "before.yaml")),
    after: load(join(fixtures, group, name, "after.yaml")),
  })),
);

/** The rows of the disagreement table in docs/spec-diff.md: fixture, ours, redocly. */
function documentedDisagreements(): string[] {
  const doc = readFileSync(join(repoRoot, "docs/spec-diff.md"), "utf8");
  const table = /<!-- redocly-diff:start -->([\s\S]*?)<!-- redocly-diff:end -->/.exec(doc)?.[1] ?? "";
  return table
    .split("\n")
    .filter((line) => line.startsWith("| `"))
    .map((line) => {
      const [name, ours, redocly] = line
        .split("|")
        .slice(1, 4)
        .map((cell) => cell.trim().replace(/`/g, ""));
      return `${name} ${ours} ${redocly}`;
    });
}

const seconds = (ms: number) => (ms < 1000 ? `${ms.toFixed(1)} ms` : `${(ms / 1000).toFixed(2)} s`);

describe("redocly diff over the fixtures", () => {
  let verdicts: Verdicts[];
  let redoclyMs: number;
  beforeAll(() => {
    const started = performance.now();
    verdicts = compareWithRedocly(pairs);
    redoclyMs = performance.now() - started;
  });

  it("rates every pair, and differs from us exactly where docs/spec-diff.md says", () => {
    expect(verdicts).toHaveLength(pairs.length);
    const differ = verdicts.filter(disagree).map((v) => `${v.name} ${v.ours} ${v.redocly}`);
    const agreed = verdicts.length - differ.length;
    console.log(
      `redocly diff: ${pairs.length} fixture pairs in one process, ${seconds(redoclyMs)}; ` +
        `agrees on ${agreed}, differs on ${differ.length}`,
    );
    expect(differ.sort()).toEqual(documentedDisagreements().sort());
  });
});

describe("performance (printed, not asserted)", () => {
  it("compares every fixture pair, and the two bundled specs, in this process", () => {
    const started = performance.now();
    let changes = 0;
    for (const pair of pairs) changes += compareDocuments(pair.before, pair.after).length;
    const fixturesMs = performance.now() - started;
    expect(changes).toBeGreaterThan(0);

    const [first, second] = loadApis().map((api) => JSON.parse(readFileSync(api.bundleJson, "utf8")));
    const bundleStarted = performance.now();
    const self =
      compareDocuments(first, structuredClone(first)).length + compareDocuments(second, structuredClone(second)).length;
    const selfMs = performance.now() - bundleStarted;
    const crossStarted = performance.now();
    const cross = compareDocuments(first, second).length;
    const crossMs = performance.now() - crossStarted;
    expect(self).toBe(0);
    expect(cross).toBeGreaterThan(0);
    console.log(
      `spec:diff in process: ${pairs.length} fixture pairs ${seconds(fixturesMs)}; ` +
        `each bundled spec against itself ${seconds(selfMs)} (both); one bundled spec against the other ${seconds(crossMs)} (${cross} changes)`,
    );
  });
});
