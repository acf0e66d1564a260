// One schema as one flat view: local `$ref`s resolved (with 3.1 sibling keywords) and `allOf`
// merged, for the rule families to compare keyword by keyword (OpenAPI 3.1, and 3.0's `nullable`).
//
// Fail closed: a keyword neither modelled nor an annotation (keywords.ts) is kept verbatim in
// `Flat.other`, and any change to it is reported.
import {
  type BoundKeyword,
  isObject,
  lowerBoundKeywords,
  type OpenApiDoc,
  resolvePointer,
  upperBoundKeywords,
} from "@cx-openapi/spec";
import { isAnnotation, modelledKeywords } from "./keywords.js";
import { allOfSchemas } from "./memo.js";
import { filterBy } from "./values.js";

type Raw = unknown;

type Constraints = Partial<Record<BoundKeyword | "multipleOf", number>>;

export interface Variant {
  key: string;
  schema: Raw;
}

/** if/then/else (renamed: an object with a `then` key looks like a promise). */
export interface Conditional {
  condition: Raw;
  whenTrue?: Raw;
  whenFalse?: Raw;
}

/** One schema with `$ref`s followed and `allOf` merged. */
export interface Flat {
  never?: boolean;
  /** undefined: any type. */
  types?: Set<string>;
  /** From `enum` or `const`. */
  enum?: unknown[];
  properties: Map<string, Raw>;
  required: Set<string>;
  /** undefined (not stated), a boolean or a schema. */
  additionalProperties?: Raw;
  items?: Raw;
  variants?: Variant[];
  /** Which keyword the variants came from. */
  variantKind?: "oneOf" | "anyOf";
  patternProperties: Map<string, Raw>;
  propertyNames?: Raw;
  prefixItems?: Raw[];
  contains?: Raw;
  dependentRequired: Map<string, Set<string>>;
  dependentSchemas: Map<string, Raw>;
  conditionals: Conditional[];
  nots: Raw[];
  unevaluatedProperties?: Raw;
  unevaluatedItems?: Raw;
  contentMediaType?: string;
  contentEncoding?: string;
  contentSchema?: Raw;
  discriminator?: { propertyName?: unknown; mapping?: Record<string, unknown> };
  extensibleEnum?: unknown[];
  /** Keywords not modelled, with every value met (allOf parts, $ref siblings): fail closed. */
  other: Map<string, unknown[]>;
  constraints: Constraints;
  patterns: string[];
  format?: string;
  uniqueItems?: boolean;
  readOnly?: boolean;
  writeOnly?: boolean;
  hasDefault?: boolean;
  default?: unknown;
}

const valueType = (value: unknown): string =>
  value === null
    ? "null"
    : Array.isArray(value)
      ? "array"
      : typeof value === "number"
        ? Number.isInteger(value)
          ? "integer"
          : "number"
        : typeof value;

const emptyFlat = (): Flat => ({
  properties: new Map(),
  required: new Set(),
  patternProperties: new Map(),
  dependentRequired: new Map(),
  dependentSchemas: new Map(),
  conditionals: [],
  nots: [],
  other: new Map(),
  constraints: {},
  patterns: [],
});

// ---------------------------------------------------------------- merging

function intersectTypes(a: Set<string> | undefined, b: Set<string> | undefined): Set<string> | undefined {
  if (!a) return b;
  if (!b) return a;
  const out = new Set<string>();
  for (const t of a) {
    if (b.has(t)) out.add(t);
    else if (t === "integer" && b.has("number")) out.add("integer");
    else if (t === "number" && b.has("integer")) out.add("integer");
  }
  return out;
}

/** One schema for a list of schemas that must all hold. */
const conjoin = (schemas: Raw[]): Raw => (schemas.length === 1 ? schemas[0] : allOfSchemas(schemas));
const defined = <T>(values: (T | undefined)[]): T[] => values.filter((value): value is T => value !== undefined);

function gather(into: Map<string, Raw[]>, key: string, schema: Raw): void {
  const list = into.get(key);
  if (list) list.push(schema);
  else into.set(key, [schema]);
}

const conjoinEach = (gathered: Map<string, Raw[]>) =>
  new Map([...gathered].map(([key, schemas]) => [key, conjoin(schemas)] as const));

/**
 * The flat view of schemas that must all hold (allOf parts, a `$ref` and its siblings), merged in
 * one pass: merging n parts costs their total size, not n times the growing result.
 */
function mergeAll(flats: Flat[]): Flat {
  if (flats.length === 1) return flats[0]!;
  const out = emptyFlat();
  mergeValues(out, flats);
  mergeFirsts(out, flats);
  mergeBounds(out, flats);
  mergeObjectParts(out, flats);
  mergeSubschemas(out, flats);
  return out;
}

function mergeValues(out: Flat, flats: Flat[]): void {
  if (flats.some((flat) => flat.never)) out.never = true;
  for (const flat of flats) {
    const types = intersectTypes(out.types, flat.types);
    if (types) out.types = types;
    if (flat.enum) out.enum = out.enum ? filterBy(out.enum, flat.enum, true) : flat.enum;
  }
  const withVariants = flats.find((flat) => flat.variants);
  if (withVariants) {
    out.variants = withVariants.variants!;
    out.variantKind = withVariants.variantKind!;
  }
  if (flats.some((flat) => flat.uniqueItems)) out.uniqueItems = true;
  if (flats.some((flat) => flat.readOnly)) out.readOnly = true;
  if (flats.some((flat) => flat.writeOnly)) out.writeOnly = true;
  const withDefault = flats.find((flat) => flat.hasDefault);
  if (withDefault) {
    out.hasDefault = true;
    out.default = withDefault.default;
  }
}

/** Keywords of which the first part that states one wins. */
function mergeFirsts(out: Flat, flats: Flat[]): void {
  const first = <T>(pick: (flat: Flat) => T | undefined): T | undefined => defined(flats.map(pick))[0];
  const contentMediaType = first((flat) => flat.contentMediaType);
  if (contentMediaType !== undefined) out.contentMediaType = contentMediaType;
  const contentEncoding = first((flat) => flat.contentEncoding);
  if (contentEncoding !== undefined) out.contentEncoding = contentEncoding;
  const discriminator = first((flat) => flat.discriminator);
  if (discriminator) out.discriminator = discriminator;
  const extensibleEnum = first((flat) => flat.extensibleEnum);
  if (extensibleEnum) out.extensibleEnum = extensibleEnum;
  const format = first((flat) => flat.format);
  if (format !== undefined) out.format = format;
}

function mergeBounds(out: Flat, flats: Flat[]): void {
  const numbers = (key: keyof Constraints) =>
    flats.map((flat) => flat.constraints[key]).filter((v): v is number => typeof v === "number");
  for (const key of upperBoundKeywords) {
    const values = numbers(key);
    if (values.length) out.constraints[key] = values.reduce((x, y) => Math.min(x, y));
  }
  for (const key of lowerBoundKeywords) {
    const values = numbers(key);
    if (values.length) out.constraints[key] = values.reduce((x, y) => Math.max(x, y));
  }
  const [multipleOf] = numbers("multipleOf");
  if (multipleOf !== undefined) out.constraints.multipleOf = multipleOf;
  out.patterns = [...new Set(flats.flatMap((flat) => flat.patterns))].sort();
}

function mergeObjectParts(out: Flat, flats: Flat[]): void {
  const properties = new Map<string, Raw[]>();
  const patterns = new Map<string, Raw[]>();
  const dependents = new Map<string, Raw[]>();
  for (const flat of flats) {
    for (const [name, schema] of flat.properties) gather(properties, name, schema);
    for (const name of flat.required) out.required.add(name);
    for (const [pattern, schema] of flat.patternProperties) gather(patterns, pattern, schema);
    for (const [key, names] of flat.dependentRequired) {
      const all = out.dependentRequired.get(key) ?? new Set<string>();
      for (const name of names) all.add(name);
      out.dependentRequired.set(key, all);
    }
    for (const [key, schema] of flat.dependentSchemas) gather(dependents, key, schema);
    for (const [key, values] of flat.other) for (const value of values) gather(out.other, key, value);
    for (const conditional of flat.conditionals) out.conditionals.push(conditional);
    for (const not of flat.nots) out.nots.push(not);
  }
  out.properties = conjoinEach(properties);
  out.patternProperties = conjoinEach(patterns);
  out.dependentSchemas = conjoinEach(dependents);
}

function mergeSubschemas(out: Flat, flats: Flat[]): void {
  const additional = defined(flats.map((flat) => flat.additionalProperties));
  // `true` adds nothing to a schema; `false` closes the object whatever else holds.
  if (additional.includes(false)) out.additionalProperties = false;
  else if (additional.some(isObject)) out.additionalProperties = conjoin(additional.filter(isObject));
  else if (additional.length) out.additionalProperties = additional[0];
  const items = defined(flats.map((flat) => flat.items));
  if (items.length) out.items = conjoin(items);
  for (const key of ["propertyNames", "contains", "contentSchema"] as const) {
    const schemas = defined(flats.map((flat) => flat[key]));
    if (schemas.length) out[key] = conjoin(schemas);
  }
  for (const key of ["unevaluatedProperties", "unevaluatedItems"] as const) {
    const schemas = defined(flats.map((flat) => flat[key]));
    if (schemas.includes(false)) out[key] = false;
    else if (schemas.length) out[key] = conjoin(schemas);
  }
  const prefixes = defined(flats.map((flat) => flat.prefixItems));
  if (prefixes.length === 1) out.prefixItems = prefixes[0]!;
  else if (prefixes.length > 1) {
    const length = prefixes.reduce((longest, list) => Math.max(longest, list.length), 0);
    out.prefixItems = Array.from({ length }, (_, i) => {
      const at = defined(prefixes.map((list) => list[i]));
      return at.length ? conjoin(at) : {};
    });
  }
}

// ---------------------------------------------------------------- flattening

/** Flat views of the schemas that follow others (`$ref`, `allOf`), per document: each is flattened once. */
const flats = new WeakMap<OpenApiDoc, WeakMap<object, Flat>>();

/**
 * Flattens a schema: `$ref` (with 3.1 sibling keywords) and `allOf` resolved and merged. The result
 * is cached and shared: never modify it.
 */
export function flatten(doc: OpenApiDoc, raw: Raw, seen: ReadonlySet<string> = new Set()): Flat {
  if (raw === false) return { ...emptyFlat(), never: true };
  if (!isObject(raw)) return emptyFlat();
  const cache = flats.get(doc) ?? new WeakMap<object, Flat>();
  flats.set(doc, cache);
  const known = cache.get(raw);
  if (known) return known;
  const isRef = typeof raw.$ref === "string";
  const flat = isRef ? flattenRef(doc, raw, raw.$ref as string, seen) : flattenOwn(doc, raw, seen);
  // Only what follows other schemas is worth keeping: a schema with neither `$ref` nor `allOf`
  // flattens in one look at its own keys, and keeping every such view would double the memory.
  if (isRef || Array.isArray(raw.allOf)) cache.set(raw, flat);
  return flat;
}

function flattenRef(doc: OpenApiDoc, raw: Record<string, unknown>, ref: string, seen: ReadonlySet<string>): Flat {
  const { $ref: _ref, ...siblings } = raw;
  // A cycle through allOf alone (no valid schema has one) contributes nothing more.
  const target = seen.has(ref) ? emptyFlat() : flatten(doc, resolvePointer(doc, ref), new Set([...seen, ref]));
  return Object.keys(siblings).some((k) => !isAnnotation(k))
    ? mergeAll([target, flatten(doc, siblings, seen)])
    : target;
}

/** A schema's own keywords, then its allOf parts merged in. */
function flattenOwn(doc: OpenApiDoc, raw: Record<string, unknown>, seen: ReadonlySet<string>): Flat {
  const own = emptyFlat();
  readValues(own, raw);
  readObject(own, raw);
  readVariants(own, raw);
  readBounds(own, raw);
  readAnnotated(own, raw);
  readSubschemas(own, raw);
  for (const [key, value] of Object.entries(raw)) {
    if (!modelledKeywords.has(key) && !isAnnotation(key)) own.other.set(key, [value]);
  }
  const parts = Array.isArray(raw.allOf) ? raw.allOf.map((part) => flatten(doc, part, seen)) : [];
  return mergeAll([own, ...parts]);
}

/** type (and 3.0's nullable), enum and const: an enum without a type has its values' types. */
function readValues(own: Flat, raw: Record<string, unknown>): void {
  if (typeof raw.type === "string") own.types = new Set([raw.type]);
  else if (Array.isArray(raw.type)) own.types = new Set(raw.type as string[]);
  if (own.types && raw.nullable === true) own.types.add("null");
  if ("const" in raw) own.enum = [raw.const];
  else if (Array.isArray(raw.enum)) own.enum = raw.enum as unknown[];
  if (!own.types && own.enum) own.types = new Set(own.enum.map(valueType));
}

function readObject(own: Flat, raw: Record<string, unknown>): void {
  if (isObject(raw.properties)) own.properties = new Map(Object.entries(raw.properties));
  if (Array.isArray(raw.required)) own.required = new Set(raw.required as string[]);
  if ("additionalProperties" in raw) own.additionalProperties = raw.additionalProperties;
  if (isObject(raw.patternProperties)) own.patternProperties = new Map(Object.entries(raw.patternProperties));
  if (isObject(raw.dependentRequired)) {
    for (const [key, names] of Object.entries(raw.dependentRequired))
      own.dependentRequired.set(key, new Set(Array.isArray(names) ? (names as string[]) : []));
  }
  if (isObject(raw.dependentSchemas)) own.dependentSchemas = new Map(Object.entries(raw.dependentSchemas));
}

/** oneOf/anyOf variants, named after their `$ref`, else their title, else their position. */
function readVariants(own: Flat, raw: Record<string, unknown>): void {
  for (const kind of ["oneOf", "anyOf"] as const) {
    const list = raw[kind];
    if (!Array.isArray(list)) continue;
    own.variantKind = kind;
    own.variants = list.map((schema, i) => ({
      key:
        isObject(schema) && typeof schema.$ref === "string"
          ? (schema.$ref.split("/").pop() as string)
          : isObject(schema) && typeof schema.title === "string"
            ? schema.title
            : `#${i + 1}`,
      schema,
    }));
  }
}

function readBounds(own: Flat, raw: Record<string, unknown>): void {
  for (const key of [...upperBoundKeywords, ...lowerBoundKeywords, "multipleOf"] as const) {
    if (typeof raw[key] === "number") own.constraints[key] = raw[key] as number;
    // OpenAPI 3.0's boolean exclusiveMaximum/exclusiveMinimum, or a malformed value: fail closed.
    else if (key in raw) own.other.set(key, [raw[key]]);
  }
  if (typeof raw.pattern === "string") own.patterns = [raw.pattern];
  if (raw.uniqueItems === true) own.uniqueItems = true;
}

/** The annotations the checker compares, and x-extensible-enum. */
function readAnnotated(own: Flat, raw: Record<string, unknown>): void {
  if (typeof raw.format === "string") own.format = raw.format;
  if (raw.readOnly === true) own.readOnly = true;
  if (raw.writeOnly === true) own.writeOnly = true;
  if ("default" in raw) {
    own.hasDefault = true;
    own.default = raw.default;
  }
  for (const key of ["contentMediaType", "contentEncoding"] as const)
    if (typeof raw[key] === "string") own[key] = raw[key] as string;
  if (isObject(raw.discriminator)) own.discriminator = raw.discriminator as NonNullable<Flat["discriminator"]>;
  if (Array.isArray(raw["x-extensible-enum"])) own.extensibleEnum = raw["x-extensible-enum"] as unknown[];
}

function readSubschemas(own: Flat, raw: Record<string, unknown>): void {
  if ("items" in raw) own.items = raw.items;
  const single = ["propertyNames", "contains", "contentSchema", "unevaluatedProperties", "unevaluatedItems"] as const;
  for (const key of single) if (key in raw) own[key] = raw[key];
  if (Array.isArray(raw.prefixItems)) own.prefixItems = raw.prefixItems;
  if ("if" in raw) {
    own.conditionals = [
      {
        condition: raw.if,
        ...("then" in raw ? { whenTrue: raw.then } : {}),
        ...("else" in raw ? { whenFalse: raw.else } : {}),
      },
    ];
  }
  if ("not" in raw) own.nots = [raw.not];
}
