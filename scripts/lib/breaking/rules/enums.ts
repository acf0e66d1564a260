// Enums: `enum` and `const`, and `x-extensible-enum` (Zalando's open enum).
// - A value removed is breaking in both directions (GitHub rule 10): in a response it also breaks
//   TypeScript code comparing with the removed literal.
// - A value added to a response enum is a warning, not breaking: clients that switch exhaustively
//   over the generated union need a default branch, but lenient clients keep working (as oasdiff).
// - `x-extensible-enum`: a value removed is breaking, a value added is info (clients of an open enum
//   must accept unknown values).
import type { SchemaPair } from "../context.js";
import { defineRules } from "../rule.js";
import { show, without } from "../values.js";

export const enumRules = defineRules({
  "enum-value-removed": { severity: "breaking", github: 10, summary: "An enum value was removed." },
  "enum-added": { severity: "breaking", summary: "A request field or parameter was restricted to an enum (or const)." },
  "response-enum-value-added": {
    severity: "warning",
    summary: "A response enum gained a value (or lost its enum): strict clients with exhaustive switches may break.",
  },
  "enum-value-added": { severity: "info", summary: "A request enum gained a value." },
});

type Id = keyof typeof enumRules;

const values = (list: unknown[]) => `value${list.length > 1 ? "s" : ""} ${list.map(show).join(", ")}`;

export function compareEnums({ a, b, request, report, path }: SchemaPair<Id>): void {
  if (a.enum && b.enum) {
    const removed = without(a.enum, b.enum);
    const added = without(b.enum, a.enum);
    if (removed.length) report("enum-value-removed", path, `enum ${values(removed)} removed`);
    if (added.length)
      report(request ? "enum-value-added" : "response-enum-value-added", path, `enum ${values(added)} added`);
  } else if (request && b.enum && !a.enum) {
    report("enum-added", path, `now restricted to ${b.enum.map(show).join(", ")}`);
  } else if (!request && a.enum && !b.enum) {
    report("response-enum-value-added", path, `no longer restricted to ${a.enum.map(show).join(", ")}`);
  }
}

export function compareExtensibleEnums({ a, b, report, path }: SchemaPair<Id>): void {
  if (!a.extensibleEnum && !b.extensibleEnum) return;
  const removed = without(a.extensibleEnum ?? [], b.extensibleEnum ?? []);
  const added = without(b.extensibleEnum ?? [], a.extensibleEnum ?? []);
  if (removed.length && b.extensibleEnum)
    report("enum-value-removed", path, `x-extensible-enum value(s) ${removed.map(show).join(", ")} removed`);
  if (added.length) report("enum-value-added", path, `x-extensible-enum value(s) ${added.map(show).join(", ")} added`);
}
