// pnpm api:report: writes each published package's public API report (packages/<dir>/api-report.md),
// its exports as the published .d.ts declares them (scripts/lib/api-report.ts).
// pnpm api:report --check: writes nothing and fails when a report differs from the code (CI runs it).
import { writeFileSync } from "node:fs";
import { relative } from "node:path";
import { repoRoot } from "./lib/apis.js";
import { apiReports, staleMessage, staleReports } from "./lib/api-report.js";
import { cli } from "./lib/cli.js";

function check(): void {
  const stale = staleReports(repoRoot);
  if (stale.length === 0) return void console.log("✔ every package's api-report.md matches its exports");
  throw new Error(`public API reports out of date:\n${stale.map(staleMessage).join("\n")}`);
}

function write(): void {
  for (const [file, text] of apiReports(repoRoot)) {
    writeFileSync(file, text);
    console.log(`wrote ${relative(repoRoot, file)}`);
  }
}

cli(import.meta.url, {
  usage: `Usage: pnpm api:report [--check]

Writes packages/<name>/api-report.md for each published package: for each entry point of its
package.json \`exports\`, every export as the published .d.ts declares it (no comments, no private
members), sorted by name, then the declarations they use that the package does not export. Review
a change to a report as a change to the package's public API.

  --check   write nothing; fail when a report differs from the code, naming the package`,
  options: { check: { type: "boolean" } },
  run: (values) => (values.check === true ? check() : write()),
});
