// pnpm gen: bundles every API and writes its generated TypeScript (scripts/lib/generate.ts).
// pnpm gen --check: writes nothing and fails when a generated file differs from what is committed.
import { cli } from "./lib/cli.js";
import { generateAll } from "./lib/generate.js";

cli(import.meta.url, {
  usage: `Usage: pnpm gen [--check]

Bundles every API (where its sources changed) and writes its generated TypeScript into its client
package's src/generated/ folder, the same types into packages/sandbox/src/generated/, and the API
registry into packages/spec/src/generated/: \`pnpm gen\` owns these folders whole.

  --check   write nothing; fail when a generated file differs from what is committed (pnpm gen:check)`,
  options: { check: { type: "boolean" } },
  run: (values) => generateAll({ check: values.check === true }),
});
