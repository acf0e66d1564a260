// Which schema keywords the checker compares, and which it ignores, read from the keyword catalogue
// of @cx-openapi/spec. Fail closed: a keyword in neither set that changes is reported
// (`schema-keyword-changed`, see rules/annotations.ts).
import { annotationKeywords as catalogueAnnotations, keywordsWhere } from "@cx-openapi/spec";

/** Annotations clients rely on: the checker compares them (rules/types.ts, objects.ts, composition.ts...). */
const comparedAnnotations = [
  "default",
  "readOnly",
  "writeOnly",
  "format",
  "contentMediaType",
  "contentEncoding",
  "contentSchema",
  "discriminator",
];

/** The keywords whose changes the comparison understands (everything else fails closed). */
export const modelledKeywords: ReadonlySet<string> = new Set([
  // Every applicator and assertion (core keywords name or locate schemas: only `$ref` is followed).
  ...keywordsWhere((facts) => ["applicator", "unevaluated", "validation", "openapi-3.0"].includes(facts.vocabulary)),
  "$ref",
  ...comparedAnnotations,
  "x-extensible-enum",
]);

/**
 * Keywords that change no value's validity: the catalogue's annotations the checker does not
 * compare (but `xml`, which shapes an XML body: it fails closed), a Reference Object's `summary`,
 * and `$defs`/`definitions` (their schemas matter only through the `$ref`s that reach them, which are
 * followed). Other `x-` extensions are annotations too.
 */
export const annotationKeywords: ReadonlySet<string> = new Set([
  ...[...catalogueAnnotations].filter((keyword) => !modelledKeywords.has(keyword) && keyword !== "xml"),
  "summary",
  "$defs",
  "definitions",
]);

export const isAnnotation = (key: string) =>
  annotationKeywords.has(key) || (key.startsWith("x-") && !modelledKeywords.has(key));
