// What a value looked like, told without the value: its JSON type and, for a string, its shape.
import type { ObservedShape, ObservedType } from "./types.js";

/** Strings longer than this are `text`: their shape is not worth the regexes' time. */
const maxShapedLength = 256;

/** The shapes a string is told by, first match wins. Every pattern is linear or bounded by the length cap. */
const stringShapes: readonly (readonly [string, RegExp])[] = [
  ["empty", /^$/],
  ["date", /^\d{4}-\d{2}-\d{2}$/],
  ["date-time", /^\d{4}-\d{2}-\d{2}[Tt ]\d{2}:\d{2}(:\d{2}(\.\d+)?)?([Zz]|[+-]\d{2}:?\d{2})?$/],
  ["time", /^\d{2}:\d{2}(:\d{2}(\.\d+)?)?([Zz]|[+-]\d{2}:?\d{2})?$/],
  ["uuid", /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i],
  ["email", /^[^\s@]+@[^\s@]+\.[^\s@.]+$/],
  ["uri", /^[a-z][a-z0-9+.-]*:\/\/\S+$/i],
  ["integer", /^[+-]?\d+$/],
  ["number", /^[+-]?(\d+\.\d*|\.\d+|\d+)([eE][+-]?\d+)?$/],
  ["boolean", /^(true|false)$/i],
];

/** The shape of a string: `date`, `date-time`, `uuid`, `email`, `uri`, `integer`, `empty`... or `text`. */
export function stringShape(value: string): string {
  if (value.length > maxShapedLength) return "text";
  return stringShapes.find(([, pattern]) => pattern.test(value))?.[0] ?? "text";
}

/** The JSON type of a value; `missing` for undefined. */
export function observedType(value: unknown): ObservedType {
  if (value === undefined) return "missing";
  if (value === null) return "null";
  if (Array.isArray(value)) return "array";
  if (typeof value === "number") return Number.isInteger(value) ? "integer" : "number";
  return typeof value as "boolean" | "string" | "object";
}

/** A value's type and, for a string, its shape; never the value. */
export function shapeOf(value: unknown): ObservedShape {
  const type = observedType(value);
  return type === "string" ? { type, format: stringShape(value as string) } : { type };
}
