// Operations: added, removed (by the deprecation policy), deprecated, renamed. Webhooks are
// operations too (as oasdiff compares them), labelled `WEBHOOK <name> <METHOD>`.
// Removing an operation is breaking, unless it was deprecated: deprecated with `x-sunset` (an ISO
// date) passed, info; deprecated without `x-sunset`, a warning; deprecated with a future `x-sunset`,
// breaking (`operation-removed-before-sunset`).
import type { Location, OperationPair, Report } from "../context.js";
import { defineRules } from "../rule.js";

export const operationRules = defineRules({
  "operation-id-changed": {
    severity: "breaking",
    github: 1,
    summary: "An operationId changed (the key of the generated `operations` type).",
  },
  "operation-removed": {
    severity: "breaking",
    github: 3,
    summary: "An operation was removed (it was not deprecated).",
  },
  "operation-removed-before-sunset": {
    severity: "breaking",
    summary: "A deprecated operation was removed before the date in its `x-sunset`.",
  },
  "deprecated-operation-removed": {
    severity: "warning",
    summary: "A deprecated operation without `x-sunset` was removed.",
  },
  "operation-added": { severity: "info", summary: "An operation was added." },
  "operation-deprecated": { severity: "info", summary: "An operation was deprecated." },
  "sunset-operation-removed": {
    severity: "info",
    summary: "A deprecated operation was removed after the date in its `x-sunset`.",
  },
});

type Id = keyof typeof operationRules;

/** The day a deprecated operation may go (its `x-sunset`, an ISO date), if it says. */
function sunset(op: Record<string, unknown>): Date | undefined {
  const value = op["x-sunset"];
  const date = typeof value === "string" || value instanceof Date ? new Date(value) : undefined;
  return date && !Number.isNaN(date.getTime()) ? date : undefined;
}

/** An operation of the base gone from the revision: rated by the deprecation policy. */
export function reportRemoval(op: Record<string, unknown>, label: string, now: Date, report: Report<Id>): void {
  const at: Location = { operation: label };
  const date = sunset(op);
  const day = date?.toISOString().slice(0, 10);
  if (op.deprecated !== true) report("operation-removed", at, `${label} was removed without being deprecated first`);
  else if (!date) report("deprecated-operation-removed", at, `${label} was deprecated (no x-sunset) and is removed`);
  else if (date > now) report("operation-removed-before-sunset", at, `${label} was removed before its x-sunset ${day}`);
  else report("sunset-operation-removed", at, `${label} was removed after its x-sunset ${day}`);
}

export function reportAddition(label: string, report: Report<Id>): void {
  report("operation-added", { operation: label }, "operation added");
}

/** The operationId (the key of the generated `operations` type) and the deprecation flag. */
export function compareIdentity({ old, next, report, at }: OperationPair<Id>): void {
  if (typeof old.op.operationId === "string" && old.op.operationId !== next.op.operationId) {
    report(
      "operation-id-changed",
      at(),
      `operationId changed from ${old.op.operationId} to ${String(next.op.operationId ?? "(none)")}`,
    );
  }
  if (next.op.deprecated === true && old.op.deprecated !== true)
    report("operation-deprecated", at(), "operation deprecated");
}
