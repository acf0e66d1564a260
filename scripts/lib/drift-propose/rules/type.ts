// `type`: a value of a JSON type the schema does not list (a null, a number for a string). Add the
// type; a null also joins an `enum` the schema has, or the enum would refuse it next.
import type { ObservedType } from "@cx-openapi/spec/drift";
import { partsOf } from "../locate.js";
import type { Intent } from "../intent.js";
import { isLocated, placeName, pointedAt, type WideningRule } from "./input.js";

export function typesOf(value: unknown): string[] {
  return typeof value === "string" ? [value] : Array.isArray(value) ? (value as string[]) : [];
}

/** Whether a `type` keyword's value allows a JSON type (an integer is a number). */
export function allowsType(types: string[], observed: ObservedType): boolean {
  return types.includes(observed) || (observed === "integer" && types.includes("number"));
}

export const typeRule: WideningRule = (input) => {
  const observed = input.record.observed.type;
  const at = pointedAt(input);
  if (!isLocated(at)) return at;
  if (observed === undefined || observed === "missing")
    return { review: `a type deviation at ${placeName(at)} of no recorded type` };
  const parts = partsOf(input.doc, at);
  const typed = parts.filter((part) => part.schema.type !== undefined);
  if (typed.length === 0)
    return { review: `${placeName(at)} has no type to widen (its alternatives decide); widen by hand` };
  const narrow = typed.filter((part) => !allowsType(typesOf(part.schema.type), observed));
  if (narrow.length === 0) return { allowed: `${placeName(at)} already allows ${observed}` };
  const intents: Intent[] = narrow.map((target) => ({ kind: "add-type", target, type: observed }));
  if (observed === "null")
    for (const part of parts) {
      const list = part.schema.enum;
      if (Array.isArray(list) && !list.includes(null)) intents.push({ kind: "add-enum", target: part, value: null });
    }
  return { intents };
};
