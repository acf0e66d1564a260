// The packages' exports: the names users import (the generated types of the spec and the public
// exports of src/index.ts, read by ../exports.ts). A name gone or turned type-only breaks them.
import { defineRules, type RuleChange } from "../rule.js";

export const exportRules = defineRules({
  "export-removed": {
    severity: "breaking",
    summary: "A name the package exports (a generated type or a public export) is gone.",
  },
  "export-kind-changed": { severity: "breaking", summary: "A value export became type-only." },
  "export-added": { severity: "info", summary: "A name was added to the package's exports." },
});

type Id = keyof typeof exportRules;
type Change = RuleChange<Id>;

export type ExportKind = "type" | "value" | "unknown";

export interface ExportedName {
  name: string;
  kind: ExportKind;
  /** The module (relative to the package) that declares or re-exports it. */
  from: string;
}

function change(rule: Id, message: string): Change {
  return { rule, severity: exportRules[rule].severity, message };
}

/** Names removed (breaking), turned type-only (breaking) or added (info). */
export function diffExports(
  packageName: string,
  before: Map<string, ExportedName>,
  after: Map<string, ExportedName>,
): Change[] {
  const changes: Change[] = [];
  for (const [name, old] of before) {
    const now = after.get(name);
    if (!now) changes.push(change("export-removed", `${packageName} no longer exports \`${name}\``));
    else if (old.kind === "value" && now.kind === "type")
      changes.push(change("export-kind-changed", `${packageName}'s \`${name}\` became type-only`));
  }
  for (const name of after.keys())
    if (!before.has(name)) changes.push(change("export-added", `${packageName} now exports \`${name}\``));
  return changes;
}

/** The same for the generated root types of the spec. */
export function diffTypeNames(packageName: string, before: Set<string>, after: Set<string>): Change[] {
  const changes: Change[] = [];
  for (const name of before)
    if (!after.has(name))
      changes.push(change("export-removed", `${packageName} no longer exports the generated type \`${name}\``));
  for (const name of after)
    if (!before.has(name))
      changes.push(change("export-added", `${packageName} now exports the generated type \`${name}\``));
  return changes;
}
