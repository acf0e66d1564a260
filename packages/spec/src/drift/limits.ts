// The bound rules, and what a deviation of one records: how far the bound would have to move to
// allow what was seen. A size (a length, a count) tells nothing personal; a number may, so a number
// of an x-pii field is never recorded. Records of the same deviation keep the furthest limit.

/** Bounds on a size: a string's length, an array's items, an object's properties. */
const sizeRules: Readonly<Record<string, "max" | "min">> = {
  maxLength: "max",
  minLength: "min",
  maxItems: "max",
  minItems: "min",
  maxProperties: "max",
  minProperties: "min",
};
/** Bounds on a number. */
const numberRules: Readonly<Record<string, "max" | "min">> = {
  maximum: "max",
  exclusiveMaximum: "max",
  minimum: "min",
  exclusiveMinimum: "min",
};

/** Whether a rule bounds a size or a number; `max` when it caps from above. */
export function boundSide(rule: string): "max" | "min" | undefined {
  return sizeRules[rule] ?? numberRules[rule];
}

/** Whether a rule bounds a number (its limit is the value itself). */
export function isNumberBound(rule: string): boolean {
  return Object.hasOwn(numberRules, rule);
}

/** What a deviation of a bound records for a value, or undefined when it records nothing. */
export function limitOf(rule: string, value: unknown, piiField: boolean): number | undefined {
  if (Object.hasOwn(sizeRules, rule)) {
    if (typeof value === "string") return [...value].length;
    if (Array.isArray(value)) return value.length;
    if (typeof value === "object" && value !== null) return Object.keys(value).length;
    return undefined;
  }
  if (Object.hasOwn(numberRules, rule) && !piiField && typeof value === "number" && Number.isFinite(value))
    return value;
  return undefined;
}

/** The further of two limits of a rule: the larger for a cap from above, the smaller otherwise. */
export function furtherLimit(rule: string, a: number | undefined, b: number | undefined): number | undefined {
  if (a === undefined) return b;
  if (b === undefined) return a;
  return boundSide(rule) === "min" ? Math.min(a, b) : Math.max(a, b);
}
