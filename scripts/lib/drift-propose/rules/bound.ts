// A bound (`maxLength`, `minItems`, `maximum`...) the vendor goes past: move it to what was seen.
// Evidence records how far (`observed.limit`). A bound of an x-pii field is a reviewer's question:
// more than documented may be more personal data than agreed (a whole SSN for its last four).
import { partWith, type Located } from "../locate.js";
import { isLocated, placeName, pointedAt, type WideningRule } from "./input.js";

const caps = new Set(["maxLength", "maxItems", "maxProperties", "maximum"]);
const floors = new Set(["minLength", "minItems", "minProperties", "minimum"]);

export function isBoundRule(rule: string): boolean {
  return caps.has(rule) || floors.has(rule);
}

/** A bound of personal data: more than documented may be a leak (a whole SSN for its last four digits). */
export function personalBound(at: Located, rule: string, limit?: number): string {
  const seen = limit === undefined ? "" : ` (seen ${limit})`;
  return `${placeName(at)} is x-pii and went past its ${rule}${seen}: is the vendor sending more personal data than it documents? Ask before widening`;
}

export const boundRule: WideningRule = (input) => {
  const { rule, observed } = input.record;
  const at = pointedAt(input);
  if (!isLocated(at)) return at;
  const limit = observed.limit;
  if (input.record.piiField) return { review: personalBound(at, rule, limit) };
  if (limit === undefined)
    return { review: `${placeName(at)} went past its ${rule}, by how much the evidence does not say` };
  const tooTight = (bound: unknown) => typeof bound === "number" && (caps.has(rule) ? bound < limit : bound > limit);
  const target = partWith(input.doc, at, rule, tooTight);
  if (!target) return { allowed: `${placeName(at)}'s ${rule} already allows ${limit}` };
  return { intents: [{ kind: "move-bound", target, keyword: rule, value: limit }] };
};
