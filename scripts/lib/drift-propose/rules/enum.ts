// `enum`: a value outside the list. Add it, unless it was not recorded: a value of an `x-pii` field
// never is, and then a reviewer asks the vendor instead (a personal value is no enum member).
import { partWith } from "../locate.js";
import type { EnumValue } from "../intent.js";
import { isLocated, placeName, pointedAt, type WideningRule } from "./input.js";

export const enumRule: WideningRule = (input) => {
  const { observed, piiField, pointer } = input.record;
  const at = pointedAt(input);
  if (!isLocated(at)) return at;
  if (piiField)
    return {
      review: `a value outside the enum of ${placeName(at)}, an x-pii field: the value is never recorded; ask the vendor what it sends`,
    };
  if (observed.value === undefined)
    return {
      review: `a value outside the enum of ${placeName(at)} that was not recorded (too long, or quoting a credential)`,
    };
  const value = observed.value as EnumValue;
  const target = partWith(input.doc, at, "enum", (list) => Array.isArray(list) && !list.some((v) => same(v, value)));
  if (!target) return { allowed: `${JSON.stringify(value)} is in the enum at ${pointer}` };
  return { intents: [{ kind: "add-enum", target, value }] };
};

function same(a: unknown, b: unknown): boolean {
  return JSON.stringify(a) === JSON.stringify(b);
}
