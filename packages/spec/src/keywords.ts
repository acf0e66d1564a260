// The keywords of a schema in an OpenAPI 3.1 document: JSON Schema 2020-12's, OpenAPI's own, and
// OpenAPI 3.0's `nullable`. One table says what each is (which hold subschemas, which only annotate,
// which constrain one instance type, which bound a length, a count or a value), so the validator's
// walk, the contract tests' request violations and the breaking-change checker read schemas alike.
// What a tool does with a keyword (generate a case for it, compare it) stays that tool's choice.

/** An instance type a keyword constrains: values of any other type pass it. */
export type InstanceType = "string" | "number" | "array" | "object";

export interface KeywordFacts {
  /**
   * Where it is defined: a JSON Schema 2020-12 vocabulary, OpenAPI 3.1's base vocabulary, OpenAPI
   * 3.0 (`nullable`), or the 2019-09 keywords the 2020-12 meta-schema still lists for compatibility.
   */
  vocabulary:
    | "core"
    | "applicator"
    | "unevaluated"
    | "validation"
    | "meta-data"
    | "format-annotation"
    | "content"
    | "openapi"
    | "openapi-3.0"
    | "compatibility";
  /**
   * Its value is one subschema, a list of subschemas, a map of names to subschemas, or data (values
   * an instance may take: enum, const, default, examples).
   */
  holds?: "schema" | "list" | "map" | "data";
  /** It says something about a value and never makes one invalid. */
  annotation?: true;
  /** It names a schema, a place in it or its dialect: it constrains no value. */
  identifier?: true;
  /** The instance type it constrains. */
  type?: InstanceType;
  /** The most (upper) or the least (lower) a length, a count or a number may be. */
  bound?: "upper" | "lower";
}

/**
 * Every keyword, by vocabulary. The validation keywords are grouped by the type they constrain, in
 * the order the breaking-change checker reports their changes.
 */
export const schemaKeywords = {
  $schema: { vocabulary: "core", identifier: true },
  $id: { vocabulary: "core", identifier: true },
  $ref: { vocabulary: "core" },
  $anchor: { vocabulary: "core", identifier: true },
  $dynamicRef: { vocabulary: "core" },
  $dynamicAnchor: { vocabulary: "core", identifier: true },
  $vocabulary: { vocabulary: "core", identifier: true },
  $comment: { vocabulary: "core", annotation: true },
  $defs: { vocabulary: "core", holds: "map" },

  allOf: { vocabulary: "applicator", holds: "list" },
  anyOf: { vocabulary: "applicator", holds: "list" },
  oneOf: { vocabulary: "applicator", holds: "list" },
  not: { vocabulary: "applicator", holds: "schema" },
  if: { vocabulary: "applicator", holds: "schema" },
  // biome-ignore lint/suspicious/noThenProperty: the JSON Schema keyword; this table is never awaited
  then: { vocabulary: "applicator", holds: "schema" },
  else: { vocabulary: "applicator", holds: "schema" },
  prefixItems: { vocabulary: "applicator", holds: "list", type: "array" },
  items: { vocabulary: "applicator", holds: "schema", type: "array" },
  contains: { vocabulary: "applicator", holds: "schema", type: "array" },
  properties: { vocabulary: "applicator", holds: "map", type: "object" },
  patternProperties: { vocabulary: "applicator", holds: "map", type: "object" },
  additionalProperties: { vocabulary: "applicator", holds: "schema", type: "object" },
  propertyNames: { vocabulary: "applicator", holds: "schema", type: "object" },
  dependentSchemas: { vocabulary: "applicator", holds: "map", type: "object" },

  unevaluatedItems: { vocabulary: "unevaluated", holds: "schema", type: "array" },
  unevaluatedProperties: { vocabulary: "unevaluated", holds: "schema", type: "object" },

  type: { vocabulary: "validation" },
  enum: { vocabulary: "validation", holds: "data" },
  const: { vocabulary: "validation", holds: "data" },
  maxLength: { vocabulary: "validation", type: "string", bound: "upper" },
  minLength: { vocabulary: "validation", type: "string", bound: "lower" },
  pattern: { vocabulary: "validation", type: "string" },
  maxItems: { vocabulary: "validation", type: "array", bound: "upper" },
  minItems: { vocabulary: "validation", type: "array", bound: "lower" },
  uniqueItems: { vocabulary: "validation", type: "array" },
  maximum: { vocabulary: "validation", type: "number", bound: "upper" },
  exclusiveMaximum: { vocabulary: "validation", type: "number", bound: "upper" },
  minimum: { vocabulary: "validation", type: "number", bound: "lower" },
  exclusiveMinimum: { vocabulary: "validation", type: "number", bound: "lower" },
  multipleOf: { vocabulary: "validation", type: "number" },
  maxProperties: { vocabulary: "validation", type: "object", bound: "upper" },
  minProperties: { vocabulary: "validation", type: "object", bound: "lower" },
  required: { vocabulary: "validation", type: "object" },
  dependentRequired: { vocabulary: "validation", type: "object" },
  maxContains: { vocabulary: "validation", type: "array", bound: "upper" },
  minContains: { vocabulary: "validation", type: "array", bound: "lower" },

  title: { vocabulary: "meta-data", annotation: true },
  description: { vocabulary: "meta-data", annotation: true },
  default: { vocabulary: "meta-data", annotation: true, holds: "data" },
  deprecated: { vocabulary: "meta-data", annotation: true },
  readOnly: { vocabulary: "meta-data", annotation: true },
  writeOnly: { vocabulary: "meta-data", annotation: true },
  examples: { vocabulary: "meta-data", annotation: true, holds: "data" },

  // OpenAPI formats (int32, double...) qualify numbers too: no one type.
  format: { vocabulary: "format-annotation", annotation: true },

  contentEncoding: { vocabulary: "content", annotation: true, type: "string" },
  contentMediaType: { vocabulary: "content", annotation: true, type: "string" },
  contentSchema: { vocabulary: "content", annotation: true, holds: "schema", type: "string" },

  discriminator: { vocabulary: "openapi", annotation: true },
  xml: { vocabulary: "openapi", annotation: true },
  externalDocs: { vocabulary: "openapi", annotation: true },
  example: { vocabulary: "openapi", annotation: true, holds: "data" },

  nullable: { vocabulary: "openapi-3.0" },

  // Listed so every keyword of the meta-schemas has an entry; no tool here walks into them.
  definitions: { vocabulary: "compatibility" },
  dependencies: { vocabulary: "compatibility" },
  $recursiveRef: { vocabulary: "compatibility" },
  $recursiveAnchor: { vocabulary: "compatibility", identifier: true },
} as const satisfies Record<string, KeywordFacts>;

export type SchemaKeyword = keyof typeof schemaKeywords;

const facts: Readonly<Record<string, KeywordFacts>> = schemaKeywords;

/** The facts of a keyword, or undefined for one the table does not list (an `x-` extension, say). */
export function keywordFacts(keyword: string): KeywordFacts | undefined {
  return Object.hasOwn(facts, keyword) ? facts[keyword] : undefined;
}

/** The keywords whose facts pass `test`, in the table's order. */
export function keywordsWhere(test: (facts: KeywordFacts, keyword: SchemaKeyword) => boolean): SchemaKeyword[] {
  return (Object.keys(schemaKeywords) as SchemaKeyword[]).filter((keyword) => test(facts[keyword]!, keyword));
}

/** Whether a keyword's value is a subschema, or a list or a map of them. */
export function holdsSubschemas(facts: KeywordFacts): boolean {
  return facts.holds === "schema" || facts.holds === "list" || facts.holds === "map";
}

/** Keywords whose value is one subschema, a list of them, or a map of names to them. */
export const subschemaKeywords: Readonly<Record<"schema" | "list" | "map", ReadonlySet<string>>> = {
  schema: new Set(keywordsWhere((k) => k.holds === "schema")),
  list: new Set(keywordsWhere((k) => k.holds === "list")),
  map: new Set(keywordsWhere((k) => k.holds === "map")),
};

/** Keywords whose value is data, not a schema: a `$ref` key inside it is no reference. */
export const dataKeywords: ReadonlySet<string> = new Set(keywordsWhere((k) => k.holds === "data"));

/** Keywords that only annotate (title, default, format, discriminator, ...). */
export const annotationKeywords: ReadonlySet<string> = new Set(keywordsWhere((k) => k.annotation === true));

/** OpenAPI's own schema keywords, which a JSON Schema validator does not know. */
export const openApiKeywords: readonly SchemaKeyword[] = keywordsWhere((k) => k.vocabulary === "openapi");

/** A keyword that bounds a length, a count or a number. */
export type BoundKeyword = {
  [K in SchemaKeyword]: (typeof schemaKeywords)[K] extends { bound: string } ? K : never;
}[SchemaKeyword];

/** The upper bounds (maxLength, maxItems, maximum, ...) and the lower ones, each list in table order. */
export const upperBoundKeywords = keywordsWhere((k) => k.bound === "upper") as readonly BoundKeyword[];
export const lowerBoundKeywords = keywordsWhere((k) => k.bound === "lower") as readonly BoundKeyword[];

/** The keywords that constrain values of one type (and let every other type pass). */
export function keywordsOfType(type: InstanceType): SchemaKeyword[] {
  return keywordsWhere((k) => k.type === type);
}
