// pnpm spec:diff [--base <git-ref>] [--against <bundle.json|yaml>] [--api <name>] [--strict] [--verbose] [--ignore-changesets]
// pnpm spec:diff <base-file> <revision-file> [--json] [--strict] [--verbose]
//
// Compares each API's spec (and each package's exported names) with the last released version and
// fails on a breaking change that no pending changeset announces; or compares any two spec files.
// Exit codes: 0 nothing breaking, 1 breaking (or a warning with --strict), 2 usage error, or a file
// that cannot be read or is refused: the files named here are data (scripts/lib/spec-file.ts).
// See scripts/lib/spec-diff.ts for how the base is chosen, and scripts/lib/breaking/rules/ for the rules
// (one file per family; docs/spec-diff.md, "Where a rule goes").
import { repoRoot } from "./lib/apis.js";
import { rules } from "./lib/breaking/rules.js";
import { cli, UsageError } from "./lib/cli.js";
import { changeRecord, diffFiles, specDiff } from "./lib/spec-diff.js";

const usage = `Usage: pnpm spec:diff [options]
       pnpm spec:diff <base> <revision> [--json] [--strict] [--verbose]

Two files (YAML or JSON, split or bundled, any API): compares them. Exit code 0 when nothing is
breaking, 1 when something is (or a warning, with --strict), 2 for a usage error or a file that
cannot be read or is refused: over 20 MB, not UTF-8, a $ref to a URL or outside the file's folder
(docs/spec-diff.md, "Input is data"). Without files: each API's spec and each package's exports
against its last release.

  --base <git-ref>      compare with this revision instead of the last release tag
  --against <file>      compare with a previously published bundle (e.g. a tarball's openapi.json)
  --api <name>          only this API / package (relay-cdm, hiirelevate, runtime)
  --strict              warnings fail too
  --verbose             also list non-breaking changes
  --ignore-changesets   fail on breaking changes even if a pending changeset allows them
  --json                print the changes as JSON records: { rule, level, location, message }
  --rules               list the rules and exit
  --root <dir>          the repository to check (default: this one)`;

cli(import.meta.url, {
  usage,
  options: {
    base: { type: "string" },
    against: { type: "string" },
    api: { type: "string" },
    strict: { type: "boolean" },
    verbose: { type: "boolean" },
    "ignore-changesets": { type: "boolean" },
    rules: { type: "boolean" },
    json: { type: "boolean" },
    root: { type: "string" },
  },
  positionals: true,
  async run(values, positionals) {
    if (values.rules) {
      for (const [id, rule] of Object.entries(rules)) {
        console.log(
          `${rule.severity.padEnd(8)} ${id.padEnd(32)} ${rule.summary}${"github" in rule ? ` (GitHub rule ${rule.github})` : ""}`,
        );
      }
      return;
    }
    if (positionals.length) {
      if (positionals.length !== 2)
        throw new UsageError(`give two files, <base> <revision>; got ${positionals.length}: ${positionals.join(" ")}`);
      const clash = (["base", "against", "api", "root", "ignore-changesets"] as const).filter(
        (k) => values[k] !== undefined,
      );
      if (clash.length) throw new UsageError(`--${clash.join(", --")} only apply without files`);
      const [base, revision] = positionals as [string, string];
      const result = diffFiles(base, revision, { strict: values.strict === true, verbose: values.verbose === true });
      if (values.json) {
        const changes = result.changes.filter((c) => values.verbose || c.severity !== "info").map(changeRecord);
        console.log(JSON.stringify({ base, revision, failed: result.failed, changes }, null, 2));
      } else console.log(result.text);
      if (result.failed) process.exitCode = 1;
      return;
    }
    if (values.base && values.against) throw new UsageError("--base and --against exclude each other");
    const result = await specDiff({
      root: values.root ?? repoRoot,
      ...(values.base ? { base: values.base } : {}),
      ...(values.against ? { against: values.against } : {}),
      ...(values.api ? { only: values.api } : {}),
      strict: values.strict === true,
      verbose: values.verbose === true,
      ignoreChangesets: values["ignore-changesets"] === true,
    });
    if (values.json) {
      const reports = result.reports.map(({ changes, ...report }) => ({
        ...report,
        changes: changes.filter((c) => values.verbose || c.severity !== "info").map(changeRecord),
      }));
      console.log(JSON.stringify({ failed: result.failed, reports }, null, 2));
    } else console.log(result.text);
    if (result.failed) process.exitCode = 1;
  },
});
