// pnpm drift:report <files…> [--json] [--html <out.html>] [--fail-on <rule|any>]
// Adds up drift evidence (cx-drift/1 JSON lines: the clients' drift reporters, `pnpm proxy
// --evidence`) per operation and per way of breaking the spec: how many exchanges, the share of the
// checked ones, since when, and per day (--html: a standalone page with a sparkline per row). Exit codes: 0, 1 when --fail-on matches, 2 for bad usage or a file that
// is not evidence (naming the file, the line and the field). See docs/drift-evidence.md.
import { writeFileSync } from "node:fs";
import { cli, UsageError } from "./lib/cli.js";
import { driftPage } from "./lib/drift-page.js";
import { driftReport, formatDriftReport, matchingDeviations, readEvidenceFile } from "./lib/drift-report.js";

const usage = `Usage: pnpm drift:report <file>... [--json] [--html <out.html>] [--fail-on <rule|any>]

Reads drift evidence files (cx-drift/1 JSON lines, docs/drift-evidence.md), adds them up per
operation and rule, and prints the deviations with their share of the checked exchanges and since
when they are seen. Files are data: at most 50 MB each and 64 KiB a line, every record checked.

  --json                 print the report as JSON (with each row's counts per day)
  --html <out.html>      also write the report as one HTML page: a table per API, a sparkline of
                         the counts per day on every row; no script, nothing loaded from anywhere
  --fail-on <rules>      exit 1 when a deviation of one of these rules (comma-separated: enum,type)
                         is in the evidence; \`any\` for any deviation
Exit codes: 0, 1 (--fail-on matched), 2 (bad usage, or a file that is not evidence).`;

cli(import.meta.url, {
  usage,
  options: { json: { type: "boolean" }, html: { type: "string" }, "fail-on": { type: "string" } },
  positionals: true,
  run(values, files) {
    if (files.length === 0) throw new UsageError(`give one or more evidence files\n${usage.split("\n")[0]}`);
    const rules = values["fail-on"]?.split(",").map((rule) => rule.trim()) ?? [];
    const bad = rules.find((rule) => !/^[A-Za-z$][A-Za-z0-9$-]*$/.test(rule));
    if (bad !== undefined)
      throw new UsageError(`--fail-on: ${JSON.stringify(bad)} is not a rule name (enum, type, ... or any)`);
    const report = driftReport(files.flatMap(readEvidenceFile));
    console.log(values.json ? JSON.stringify(report, null, 2) : formatDriftReport(report, files));
    if (values.html !== undefined) {
      writeFileSync(values.html, driftPage(report, { sources: files, mode: "standalone" }));
      if (!values.json) console.log(`\nHTML report: ${values.html}`);
    }
    const matched = matchingDeviations(report, rules);
    if (rules.length > 0 && matched.length > 0) {
      console.error(`✖ --fail-on ${rules.join(",")}: ${matched.length} kind(s) of deviation in the evidence`);
      process.exitCode = 1;
    }
  },
});
