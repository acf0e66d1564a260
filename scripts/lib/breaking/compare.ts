// Compares two bundled OpenAPI documents, operation by operation, and lists every change with its
// rule (rules.ts): the walk over the documents; the checks are the rule families' (rules/).
// Operations are matched by method and path template with parameter names blanked out, so renaming
// `{id}` to `{customerId}` is a rename, not a removal plus an addition.
import { isObject, type OpenApiDoc, operationEntries } from "@cx-openapi/spec";
import type { OperationCheck, OperationPair, OperationSide, Report } from "./context.js";
import { isAnnotation } from "./keywords.js";
import { ComparisonMemo } from "./memo.js";
import { type Change, type RuleId, rules } from "./rules.js";
import { compareComponentSchemas } from "./rules/components.js";
import { compareIdentity, reportAddition, reportRemoval } from "./rules/operations.js";
import { compareParameters } from "./rules/parameters.js";
import { compareRequestBody } from "./rules/request-bodies.js";
import { compareResponses } from "./rules/responses.js";
import { compareSecurity, compareSecuritySchemes } from "./rules/security.js";
import { compareServers } from "./rules/servers.js";
import { SchemaComparer } from "./schema.js";

type Obj = Record<string, unknown>;

/** The checks of an operation present in both documents, in the order their changes are reported. */
const operationChecks: OperationCheck<RuleId>[] = [
  compareIdentity,
  compareParameters,
  compareRequestBody,
  compareResponses,
  compareSecurity,
];

const normalizePath = (path: string) => path.replace(/\{[^}]+\}/g, "{}");

/** The operations of `paths` and of `webhooks` (a webhook's "path" is its name). */
function operations(doc: OpenApiDoc): Map<string, OperationSide> {
  const webhooks = operationEntries({
    ...doc,
    paths: isObject(doc.webhooks) ? (doc.webhooks as Obj as NonNullable<OpenApiDoc["paths"]>) : {},
  });
  return new Map([
    ...operationEntries(doc).map(
      (entry) =>
        [
          `${entry.method} ${normalizePath(entry.path)}`,
          { ...entry, label: `${entry.method.toUpperCase()} ${entry.path}` },
        ] as const,
    ),
    ...webhooks.map(
      (entry) =>
        [
          `webhook ${entry.method} ${entry.path}`,
          { ...entry, label: `WEBHOOK ${entry.path} ${entry.method.toUpperCase()}` },
        ] as const,
    ),
  ]);
}

export interface CompareOptions {
  /** Skip `info` changes (the default keeps them; the CLI shows them with --verbose). */
  omitInfo?: boolean;
  /** Today, for `x-sunset` dates (default: now). */
  now?: Date;
  /** The step budget of the comparison (default maxComparisonSteps); tests prove the refusal with a small one. */
  maxSteps?: number;
}

export function compareDocuments(beforeRaw: Obj, afterRaw: Obj, options: CompareOptions = {}): Change[] {
  const before = beforeRaw as OpenApiDoc;
  const after = afterRaw as OpenApiDoc;
  const schemas = new SchemaComparer(before, after, new ComparisonMemo(isAnnotation, options.maxSteps));
  const report: Report<RuleId> = (rule, location, message) => schemas.report(rule, location, "", message);
  compareOperations(schemas, report, options.now ?? new Date());
  compareComponentSchemas(before, after, report);
  compareSecuritySchemes(before, after, report);
  compareServers(before, after, report);
  return ordered(schemas.changes, options);
}

/** Each operation of either document: removed, added, or compared with its match. */
function compareOperations(schemas: SchemaComparer, report: Report<RuleId>, now: Date): void {
  const { before, after } = schemas;
  const [beforeOps, afterOps] = [operations(before), operations(after)];
  for (const [key, old] of beforeOps) {
    const next = afterOps.get(key);
    if (!next) {
      reportRemoval(old.op, old.label, now, report);
      continue;
    }
    const operation = next.label;
    const at = (where?: string) => ({ operation, ...(where ? { where } : {}) });
    const pair: OperationPair<RuleId> = { before, after, schemas, old, next, report, at };
    for (const check of operationChecks) check(pair);
  }
  for (const [key, added] of afterOps) if (!beforeOps.has(key)) reportAddition(added.label, report);
}

/** Each change once, breaking first, then warnings, then info (without info if asked). */
function ordered(changes: Change[], options: CompareOptions): Change[] {
  const order = { breaking: 0, warning: 1, info: 2 } as const;
  const unique = new Map<string, Change>();
  for (const change of changes) {
    if (options.omitInfo && change.severity === "info") continue;
    unique.set(JSON.stringify(change), change);
  }
  return [...unique.values()].sort((x, y) => order[x.severity] - order[y.severity]);
}

export { rules };
