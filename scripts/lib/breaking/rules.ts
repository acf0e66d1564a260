// The catalogue of changes the spec diff reports, assembled from the rule families of rules/: each
// family's file holds its rules (id, level, summary) and the checks that report them. The engine
// that walks the documents and compares schemas (compare.ts, schema.ts, flat.ts, memo.ts) calls
// the checks; `--rules`, the docs and the tests read this catalogue.
//
// The first ten rules follow GitHub's published breaking-change rules for its REST description
// (github/rest-api-description, `.github/scripts/openapi_breaking_changes.py`; numbers in `github`).
// The others are the high-signal checks of oasdiff that GitHub's script names as its blind spots
// (constraints, formats, parameters, security, statuses, unions).
//
// Direction matters: a request is what clients send (they break when it accepts less), a response is
// what they receive (they break when it can contain more, or less of what they rely on). Blind spots:
// links, callbacks, examples (annotations by design).
import type { Rule, RuleChange, Severity } from "./rule.js";
import { annotationRules } from "./rules/annotations.js";
import { componentRules } from "./rules/components.js";
import { compositionRules } from "./rules/composition.js";
import { constraintRules } from "./rules/constraints.js";
import { enumRules } from "./rules/enums.js";
import { exportRules } from "./rules/exports.js";
import { objectRules } from "./rules/objects.js";
import { operationRules } from "./rules/operations.js";
import { parameterRules } from "./rules/parameters.js";
import { requestBodyRules } from "./rules/request-bodies.js";
import { responseRules } from "./rules/responses.js";
import { securityRules } from "./rules/security.js";
import { serverRules } from "./rules/servers.js";
import { typeRules } from "./rules/types.js";

export type { Rule, Severity } from "./rule.js";

/** Each family's rules, by the name of its file in rules/. */
export const ruleFamilies = {
  operations: operationRules,
  parameters: parameterRules,
  "request-bodies": requestBodyRules,
  responses: responseRules,
  components: componentRules,
  types: typeRules,
  enums: enumRules,
  constraints: constraintRules,
  objects: objectRules,
  composition: compositionRules,
  annotations: annotationRules,
  security: securityRules,
  servers: serverRules,
  exports: exportRules,
} as const;

type Families = typeof ruleFamilies;
type Union<T> = T[keyof T];
/** Every family's rules in one type: `{ "operation-removed": {...}, ... }`. */
type AllRules = Union<{ [F in keyof Families]: (x: Families[F]) => void }> extends (x: infer I) => void ? I : never;

const severityOrder: Record<Severity, number> = { breaking: 0, warning: 1, info: 2 };

/**
 * The rules of every family, breaking first, then warnings, then info; in each level GitHub's ten
 * in their order, then the others family by family. An id declared by two families is an error.
 */
function assemble(): AllRules {
  const entries: [string, Rule, string][] = [];
  for (const [family, familyRules] of Object.entries(ruleFamilies)) {
    for (const [id, rule] of Object.entries(familyRules as Record<string, Rule>)) {
      const twin = entries.find(([other]) => other === id);
      if (twin) throw new Error(`rule ${id} is declared by both rules/${twin[2]}.ts and rules/${family}.ts`);
      entries.push([id, rule, family]);
    }
  }
  const rank = ([, rule]: [string, Rule, string]) => severityOrder[rule.severity] * 100 + (rule.github ?? 99);
  return Object.fromEntries(entries.sort((x, y) => rank(x) - rank(y)).map(([id, rule]) => [id, rule])) as AllRules;
}

export const rules = assemble();

export type RuleId = keyof typeof rules & string;

export type Change = RuleChange<RuleId>;

export function formatChange(change: Change): string {
  const mark = change.severity === "breaking" ? "✖" : change.severity === "warning" ? "⚠" : "·";
  const place = [change.operation, [change.where, change.path ? `\`${change.path}\`` : ""].filter(Boolean).join(" ")]
    .filter(Boolean)
    .join(" → ");
  return `${mark} ${change.rule}: ${place ? `${place}: ` : ""}${change.message}`;
}
