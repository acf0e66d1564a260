// pnpm spec:diff [--base <git-ref>] [--against <bundle.json|yaml>] [--api <name>] [--strict] [--verbose] [--ignore-changesets]
//
// Compares each API's spec (and each package's exported names) with the last released version and
// fails on a breaking change that no pending changeset announces. See scripts/lib/spec-diff.ts for
// how the base is chosen and scripts/lib/breaking/rules.ts for the rules.
import { repoRoot } from "./lib/apis.js";
import { rules } from "./lib/breaking/rules.js";
import { cli, UsageError } from "./lib/cli.js";
import { specDiff } from "./lib/spec-diff.js";

const usage = `Usage: pnpm spec:diff [options]

  --base <git-ref>      compare with this revision instead of the last release tag
  --against <file>      compare with a previously published bundle (e.g. a tarball's openapi.json)
  --api <name>          only this API / package (relay-cdm, hiirelevate, runtime)
  --strict              warnings fail too
  --verbose             also list non-breaking changes
  --ignore-changesets   fail on breaking changes even if a pending changeset allows them
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
    root: { type: "string" },
  },
  async run(values) {
    if (values.rules) {
      for (const [id, rule] of Object.entries(rules)) {
        console.log(
          `${rule.severity.padEnd(8)} ${id.padEnd(32)} ${rule.summary}${"github" in rule ? ` (GitHub rule ${rule.github})` : ""}`,
        );
      }
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
    console.log(result.text);
    if (result.failed) process.exitCode = 1;
  },
});
