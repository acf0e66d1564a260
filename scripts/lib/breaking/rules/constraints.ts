// Constraints and bounds: lengths, counts, numbers, multipleOf, uniqueItems, patterns. A request
// breaks when a constraint tightens (a max lowered or added, a min raised or added, a pattern added or
// changed); a response constraint that loosens (max raised or removed, min lowered, pattern or format
// changed) is a warning: clients that validate or size storage on it may break. Other families
// report these two rules as well: contains and unevaluatedItems (arrays.ts), `not` and conditions
// (composition.ts), formats and content types (types.ts).
import { lowerBoundKeywords, upperBoundKeywords } from "@cx-openapi/spec";
import type { SchemaPair } from "../context.js";
import { defineRules } from "../rule.js";
import { describeChange, show } from "../values.js";

export const constraintRules = defineRules({
  "constraint-tightened": {
    severity: "breaking",
    summary:
      "A request constraint tightened: a max lowered or added, a min raised or added, multipleOf, uniqueItems, contains, not, unevaluatedItems or a condition (if/then/else, dependentSchemas) added.",
  },
  "pattern-changed": { severity: "breaking", summary: "A request pattern was added or changed." },
  "response-constraint-loosened": {
    severity: "warning",
    summary: "A response constraint loosened (max raised or removed, min lowered, pattern or format changed).",
  },
});

type Id = keyof typeof constraintRules;

/** Whether a bound moved from `from` to `to` accepts less: an upper bound lowered, a lower one raised. */
const narrows = (bound: "upper" | "lower", from: number, to: number) => (bound === "upper" ? to < from : to > from);

const describeBound = (key: string, from: number | undefined, to: number | undefined) =>
  from === undefined
    ? `${key} ${to} added`
    : to === undefined
      ? `${key} ${from} removed`
      : `${key} ${to > from ? "raised" : "lowered"} from ${from} to ${to}`;

/** The upper bounds, the lower bounds, multipleOf and uniqueItems. */
export function compareBounds(pair: SchemaPair<Id>): void {
  const { a, b, request, report, path } = pair;
  const tight: Id = request ? "constraint-tightened" : "response-constraint-loosened";
  const bounds = [
    ...upperBoundKeywords.map((key) => [key, "upper"] as const),
    ...lowerBoundKeywords.map((key) => [key, "lower"] as const),
  ];
  for (const [key, bound] of bounds) {
    const [from, to] = [a.constraints[key], b.constraints[key]];
    const tighter = request
      ? to !== undefined && (from === undefined || narrows(bound, from, to))
      : from !== undefined && (to === undefined || narrows(bound, to, from));
    if (tighter) report(tight, path, describeBound(key, from, to));
  }
  const [m1, m2] = [a.constraints.multipleOf, b.constraints.multipleOf];
  const fewerMultiples = request
    ? m2 !== undefined && (m1 === undefined || m1 % m2 !== 0)
    : m1 !== undefined && (m2 === undefined || m2 % m1 !== 0);
  if (fewerMultiples) report(tight, path, describeChange("multipleOf", m1, m2, String));
  if (request && b.uniqueItems && !a.uniqueItems) report("constraint-tightened", path, "uniqueItems added");
  if (!request && a.uniqueItems && !b.uniqueItems)
    report("response-constraint-loosened", path, "uniqueItems removed: items may repeat");
}

/** The patterns that all hold (allOf parts merged), compared as one. */
export function comparePattern({ a, b, request, report, path }: SchemaPair<Id>): void {
  const [p1, p2] = [a.patterns.join(" & "), b.patterns.join(" & ")];
  if (p1 === p2 || (request ? p2 === "" : p1 === "")) return;
  report(
    request ? "pattern-changed" : "response-constraint-loosened",
    path,
    describeChange("pattern", p1 || undefined, p2 || undefined, show),
  );
}
