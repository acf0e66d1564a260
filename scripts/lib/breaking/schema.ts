// Direction-aware comparison of two JSON Schemas (OpenAPI 3.1, also 3.0's `nullable`), with local
// `$ref`s resolved and `allOf` merged into one flat view.
//
// Fail closed: a keyword not in `modelledKeywords` or `annotationKeywords` is kept verbatim in
// `Flat.other`, and any change to it is reported (breaking in a request, a warning in a response).
import { isObject, resolvePointer, type OpenApiDoc } from "@cx-openapi/spec";
import { Canonical } from "./canonical.js";
import { allOfSchemas, ComparisonMemo, schemaIdentity } from "./memo.js";
import type { Change, RuleId } from "./rules.js";
import { rules } from "./rules.js";

export type Direction = "request" | "response";
type Raw = unknown;

interface Constraints {
  maxLength?: number;
  maxItems?: number;
  maximum?: number;
  exclusiveMaximum?: number;
  maxProperties?: number;
  minLength?: number;
  minItems?: number;
  minimum?: number;
  exclusiveMinimum?: number;
  minProperties?: number;
  multipleOf?: number;
  maxContains?: number;
  minContains?: number;
}
const upperBounds = ["maxLength", "maxItems", "maximum", "exclusiveMaximum", "maxProperties", "maxContains"] as const;
const lowerBounds = ["minLength", "minItems", "minimum", "exclusiveMinimum", "minProperties", "minContains"] as const;

/** The keywords whose changes the comparison understands (everything else fails closed). */
export const modelledKeywords: ReadonlySet<string> = new Set([
  "$ref",
  "allOf",
  "oneOf",
  "anyOf",
  "not",
  "if",
  "then",
  "else",
  "type",
  "enum",
  "const",
  "nullable",
  "properties",
  "patternProperties",
  "additionalProperties",
  "propertyNames",
  "required",
  "dependentRequired",
  "dependentSchemas",
  "unevaluatedProperties",
  "items",
  "prefixItems",
  "contains",
  "unevaluatedItems",
  "uniqueItems",
  ...upperBounds,
  ...lowerBounds,
  "multipleOf",
  "pattern",
  "format",
  "contentMediaType",
  "contentEncoding",
  "contentSchema",
  "readOnly",
  "writeOnly",
  "default",
  "discriminator",
  "x-extensible-enum",
]);

/**
 * Keywords that change no value's validity: annotations, and `$defs` (its schemas matter only through
 * the `$ref`s that reach them, which are followed). Other `x-` extensions are annotations too.
 */
export const annotationKeywords: ReadonlySet<string> = new Set([
  "title",
  "description",
  "summary",
  "examples",
  "example",
  "deprecated",
  "$comment",
  "externalDocs",
  "$defs",
  "definitions",
]);

interface Variant {
  key: string;
  schema: Raw;
}

/** if/then/else (renamed: an object with a `then` key looks like a promise). */
interface Conditional {
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
  if (flats.some((flat) => flat.uniqueItems)) out.uniqueItems = true;
  if (flats.some((flat) => flat.readOnly)) out.readOnly = true;
  if (flats.some((flat) => flat.writeOnly)) out.writeOnly = true;
  const withDefault = flats.find((flat) => flat.hasDefault);
  if (withDefault) {
    out.hasDefault = true;
    out.default = withDefault.default;
  }
}

function mergeBounds(out: Flat, flats: Flat[]): void {
  const numbers = (key: keyof Constraints) =>
    flats.map((flat) => flat.constraints[key]).filter((v): v is number => typeof v === "number");
  for (const key of upperBounds) {
    const values = numbers(key);
    if (values.length) out.constraints[key] = values.reduce((x, y) => Math.min(x, y));
  }
  for (const key of lowerBounds) {
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
  return Object.keys(siblings).some((k) => !annotation(k)) ? mergeAll([target, flatten(doc, siblings, seen)]) : target;
}

function flattenOwn(doc: OpenApiDoc, raw: Record<string, unknown>, seen: ReadonlySet<string>): Flat {
  const own = emptyFlat();
  if (typeof raw.type === "string") own.types = new Set([raw.type]);
  else if (Array.isArray(raw.type)) own.types = new Set(raw.type as string[]);
  if (own.types && raw.nullable === true) own.types.add("null");
  if ("const" in raw) own.enum = [raw.const];
  else if (Array.isArray(raw.enum)) own.enum = raw.enum as unknown[];
  if (!own.types && own.enum) own.types = new Set(own.enum.map(valueType));
  if (isObject(raw.properties)) own.properties = new Map(Object.entries(raw.properties));
  if (Array.isArray(raw.required)) own.required = new Set(raw.required as string[]);
  if ("additionalProperties" in raw) own.additionalProperties = raw.additionalProperties;
  if ("items" in raw) own.items = raw.items;
  for (const kind of ["oneOf", "anyOf"] as const) {
    const list = raw[kind];
    if (Array.isArray(list)) {
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
  for (const key of [...upperBounds, ...lowerBounds, "multipleOf"] as const) {
    if (typeof raw[key] === "number") own.constraints[key] = raw[key] as number;
    // OpenAPI 3.0's boolean exclusiveMaximum/exclusiveMinimum, or a malformed value: fail closed.
    else if (key in raw) own.other.set(key, [raw[key]]);
  }
  if (typeof raw.pattern === "string") own.patterns = [raw.pattern];
  if (typeof raw.format === "string") own.format = raw.format;
  if (raw.uniqueItems === true) own.uniqueItems = true;
  if (raw.readOnly === true) own.readOnly = true;
  if (raw.writeOnly === true) own.writeOnly = true;
  if ("default" in raw) {
    own.hasDefault = true;
    own.default = raw.default;
  }
  if (isObject(raw.patternProperties)) own.patternProperties = new Map(Object.entries(raw.patternProperties));
  for (const key of [
    "propertyNames",
    "contains",
    "contentSchema",
    "unevaluatedProperties",
    "unevaluatedItems",
  ] as const)
    if (key in raw) own[key] = raw[key];
  if (Array.isArray(raw.prefixItems)) own.prefixItems = raw.prefixItems;
  if (isObject(raw.dependentRequired)) {
    for (const [key, names] of Object.entries(raw.dependentRequired))
      own.dependentRequired.set(key, new Set(Array.isArray(names) ? (names as string[]) : []));
  }
  if (isObject(raw.dependentSchemas)) own.dependentSchemas = new Map(Object.entries(raw.dependentSchemas));
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
  for (const key of ["contentMediaType", "contentEncoding"] as const)
    if (typeof raw[key] === "string") own[key] = raw[key] as string;
  if (isObject(raw.discriminator)) own.discriminator = raw.discriminator as NonNullable<Flat["discriminator"]>;
  if (Array.isArray(raw["x-extensible-enum"])) own.extensibleEnum = raw["x-extensible-enum"] as unknown[];
  for (const [key, value] of Object.entries(raw)) {
    if (!modelledKeywords.has(key) && !annotation(key)) own.other.set(key, [value]);
  }
  const parts = Array.isArray(raw.allOf) ? raw.allOf.map((part) => flatten(doc, part, seen)) : [];
  return mergeAll([own, ...parts]);
}

const annotation = (key: string) => annotationKeywords.has(key) || (key.startsWith("x-") && !modelledKeywords.has(key));

const same = (a: unknown, b: unknown) => JSON.stringify(a) === JSON.stringify(b);

/** The values of `list` that are (or, with `keep` false, are not) in `other`, equal as JSON; linear. */
const filterBy = (list: unknown[], other: unknown[], keep: boolean) => {
  const texts = new Set(other.map((value) => JSON.stringify(value)));
  return list.filter((value) => texts.has(JSON.stringify(value)) === keep);
};
const without = (list: unknown[], other: unknown[]) => filterBy(list, other, false);
/** Whether two lists share a value (equal as JSON). */
const share = (x: unknown[], y: unknown[]) => filterBy(x, y, true).length > 0;

/** Canonical texts per document, for callers outside a comparison (see canonical.ts). */
const canonicals = new WeakMap<OpenApiDoc, Canonical>();

/** A schema as one JSON text: equal texts mean equal schemas, inline or behind a `$ref`. */
export function canonical(doc: OpenApiDoc, raw: Raw): string {
  const texts = canonicals.get(doc) ?? new Canonical(doc, annotation);
  canonicals.set(doc, texts);
  return texts.text(raw);
}

/** The positions of each value, smallest last (see firstUnpaired). */
function indexBy(values: string[]): Map<string, number[]> {
  const positions = new Map<string, number[]>();
  for (let i = values.length - 1; i >= 0; i--) {
    const list = positions.get(values[i]!);
    if (list) list.push(i);
    else positions.set(values[i]!, [i]);
  }
  return positions;
}

/** The smallest position of the list not paired yet (-1: none), taken off the list: linear overall. */
function firstUnpaired(positions: number[] | undefined, paired: ReadonlySet<number>): number {
  while (positions?.length) {
    const position = positions.pop()!;
    if (!paired.has(position)) return position;
  }
  return -1;
}

const show = (value: unknown) => JSON.stringify(value);
const showTypes = (types: Set<string> | undefined) => (types ? [...types].sort().join(" | ") : "any type");
const covers = (types: Set<string>, t: string) => types.has(t) || (t === "integer" && types.has("number"));

/** True when `wider` accepts every type `narrower` accepts. */
function typesCover(wider: Set<string> | undefined, narrower: Set<string> | undefined): boolean {
  if (!wider) return true;
  if (!narrower) return false;
  return [...narrower].every((t) => covers(wider, t));
}

/** Whether some value may match both (a heuristic: true unless something tells them apart). */
function overlaps(doc: OpenApiDoc, x: Flat, y: Flat): boolean {
  if (x.never || y.never) return false;
  const [tx, ty] = [x.types, y.types];
  if (tx && ty && ![...tx].some((t) => covers(ty, t)) && ![...ty].some((t) => covers(tx, t))) return false;
  if (x.enum && y.enum && !share(x.enum, y.enum)) return false;
  const values = (schema: Raw) => flatten(doc, schema).enum;
  for (const [name, schema] of x.properties) {
    const other = y.properties.get(name);
    if (other === undefined) continue;
    const [v, w] = [values(schema), values(other)];
    if (v && w && !share(v, w)) return false;
  }
  const forbids = (f: Flat, name: string) => f.additionalProperties === false && !f.properties.has(name);
  if ([...x.required].some((name) => forbids(y, name)) || [...y.required].some((name) => forbids(x, name)))
    return false;
  return true;
}

export interface Location {
  operation?: string;
  where?: string;
}

export class SchemaComparer {
  readonly changes: Change[] = [];
  /** The pairs compared (or being compared) by this comparer, per location: each is compared once. */
  private readonly visited = new Set<string>();
  /** Pairs waiting to be compared, breadth first: a change is reported at the shortest path to it. */
  private readonly queue: (() => void)[] = [];
  private draining = false;

  constructor(
    readonly before: OpenApiDoc,
    readonly after: OpenApiDoc,
    readonly memo = new ComparisonMemo(annotation),
  ) {}

  report(rule: RuleId, location: Location, path: string, message: string): void {
    this.changes.push({
      rule,
      severity: rules[rule].severity,
      ...(location.operation ? { operation: location.operation } : {}),
      ...(location.where ? { where: location.where } : {}),
      ...(path ? { path } : {}),
      message,
    });
  }

  /**
   * Compares two schemas used in one direction at one location; changes go to `this.changes`. A pair
   * met again at the same location (a recursive schema, or one reached by several paths) is not
   * compared again: its changes are reported once, at the shortest path that reaches it. Nested
   * pairs are queued, not recursed into, so a long chain of `$ref`s cannot exhaust the stack.
   */
  compare(beforeRaw: Raw, afterRaw: Raw, direction: Direction, location: Location, path = ""): void {
    this.memo.spend();
    const key = [
      direction,
      location.operation,
      location.where,
      schemaIdentity(beforeRaw, annotation),
      schemaIdentity(afterRaw, annotation),
    ].join("|");
    if (this.visited.has(key)) return;
    this.visited.add(key);
    this.queue.push(() =>
      this.compareFlat(
        flatten(this.before, beforeRaw),
        flatten(this.after, afterRaw),
        beforeRaw,
        afterRaw,
        direction,
        location,
        path,
      ),
    );
    if (!this.draining) this.drain();
  }

  private drain(): void {
    this.draining = true;
    try {
      for (let next = 0; next < this.queue.length; next++) this.queue[next]!();
    } finally {
      this.queue.length = 0;
      this.draining = false;
    }
  }

  /** Whether comparing these two would report a breaking change (asked once per pair, then remembered). */
  breaks(beforeRaw: Raw, afterRaw: Raw, direction: Direction, docs = [this.before, this.after]): boolean {
    const [first, second] = docs as [OpenApiDoc, OpenApiDoc];
    const swapped = first !== this.before;
    const key = [
      swapped ? "swapped" : "",
      direction,
      schemaIdentity(beforeRaw, annotation),
      schemaIdentity(afterRaw, annotation),
    ].join("|");
    return this.memo.verdict(key, () => {
      const probe = new SchemaComparer(first, second, this.memo);
      probe.compare(beforeRaw, afterRaw, direction, {});
      return probe.changes.some((change) => change.severity === "breaking");
    });
  }

  /** The canonical text of a schema of either document (see canonical.ts). */
  private canonical(doc: OpenApiDoc, raw: Raw): string {
    return this.memo.canonical(doc).text(raw);
  }

  private compareFlat(
    a: Flat,
    b: Flat,
    beforeRaw: Raw,
    afterRaw: Raw,
    direction: Direction,
    loc: Location,
    path: string,
  ): void {
    const request = direction === "request";
    if (a.never || b.never) {
      if (request && b.never && !a.never)
        this.report("type-changed", loc, path, "no value is accepted any more (schema `false`)");
      if (!request && a.never && !b.never)
        this.report("type-changed", loc, path, "the field can now be present (was schema `false`)");
      return;
    }

    // oneOf / anyOf on one side only: the side without variants must fit one of the variants.
    if (!!a.variants !== !!b.variants) {
      this.compareUnionShape(a, b, beforeRaw, afterRaw, direction, loc, path);
      return;
    }

    // Types.
    if (request ? !typesCover(b.types, a.types) : !typesCover(a.types, b.types)) {
      const overlap = (x: Set<string>, y: Set<string>) =>
        [...x].some((t) => covers(y, t)) || [...y].some((t) => covers(x, t));
      const disjoint = a.types && b.types && !overlap(a.types, b.types);
      const how = disjoint ? "changed" : request ? "narrowed" : "widened";
      this.report("type-changed", loc, path, `type ${how} from ${showTypes(a.types)} to ${showTypes(b.types)}`);
    }

    this.compareEnums(a, b, direction, loc, path);
    this.compareConstraints(a, b, direction, loc, path);
    // A parameter's own default is compare.ts's parameter-default-changed.
    const parameterItself = path === "" && / parameter /.test(loc.where ?? "");
    if (request && !parameterItself && (a.hasDefault || b.hasDefault) && !same(a.default, b.default)) {
      this.report(
        "default-changed",
        loc,
        path,
        !a.hasDefault
          ? `default ${show(b.default)} added`
          : !b.hasDefault
            ? `default ${show(a.default)} removed`
            : `default changed from ${show(a.default)} to ${show(b.default)}`,
      );
    }

    this.compareProperties(a, b, direction, loc, path);
    this.compareObjectKeywords(a, b, direction, loc, path);

    if (a.items !== undefined || b.items !== undefined) {
      this.compare(a.items ?? {}, b.items ?? {}, direction, loc, `${path}[]`);
    }
    this.compareArrayKeywords(a, b, direction, loc, path);
    this.compareConditions(a, b, direction, loc, path);
    this.compareAnnotatedKeywords(a, b, direction, loc, path);

    if (a.variants && b.variants) {
      this.compareVariants(a.variants, b.variants, direction, loc, path);
      if (request && b.variantKind === "oneOf") this.compareOverlaps(a, b, loc, path);
    }
  }

  /** patternProperties, propertyNames, dependentRequired, dependentSchemas, unevaluatedProperties. */
  private compareObjectKeywords(a: Flat, b: Flat, direction: Direction, loc: Location, path: string): void {
    const request = direction === "request";
    // A pattern on one side only: names matching it fall under additionalProperties on the other.
    for (const pattern of new Set([...a.patternProperties.keys(), ...b.patternProperties.keys()])) {
      this.compare(
        a.patternProperties.get(pattern) ?? a.additionalProperties ?? {},
        b.patternProperties.get(pattern) ?? b.additionalProperties ?? {},
        direction,
        loc,
        `${path}[/${pattern}/]`,
      );
    }
    if (a.propertyNames !== undefined || b.propertyNames !== undefined)
      this.compare(a.propertyNames ?? {}, b.propertyNames ?? {}, direction, loc, `${path}{propertyNames}`);
    if (request) {
      for (const [key, names] of b.dependentRequired) {
        const added = [...names].filter((name) => !a.dependentRequired.get(key)?.has(name));
        if (added.length)
          this.report(
            "request-required-added",
            loc,
            `${path}.${key}`,
            `when ${key} is sent, ${added.join(", ")} must be sent too (dependentRequired)`,
          );
      }
    } else {
      for (const [key, names] of a.dependentRequired) {
        const removed = [...names].filter((name) => !b.dependentRequired.get(key)?.has(name));
        if (removed.length)
          this.report(
            "response-required-removed",
            loc,
            `${path}.${key}`,
            `${removed.join(", ")} no longer always come with ${key} (dependentRequired)`,
          );
      }
    }
    for (const key of new Set([...a.dependentSchemas.keys(), ...b.dependentSchemas.keys()])) {
      this.compare(
        a.dependentSchemas.get(key) ?? {},
        b.dependentSchemas.get(key) ?? {},
        direction,
        loc,
        `${path}{when ${key}}`,
      );
    }
    if (request && a.unevaluatedProperties !== false && b.unevaluatedProperties === false) {
      this.report(
        "additional-properties-closed",
        loc,
        path,
        "unevaluated properties are no longer accepted (unevaluatedProperties: false)",
      );
    } else if (isObject(a.unevaluatedProperties) || isObject(b.unevaluatedProperties)) {
      this.compare(a.unevaluatedProperties ?? {}, b.unevaluatedProperties ?? {}, direction, loc, `${path}.*`);
    }
  }

  /** prefixItems, contains, unevaluatedItems. */
  private compareArrayKeywords(a: Flat, b: Flat, direction: Direction, loc: Location, path: string): void {
    const request = direction === "request";
    const length = Math.max(a.prefixItems?.length ?? 0, b.prefixItems?.length ?? 0);
    for (let i = 0; i < length; i++) {
      // Past the prefix, `items` applies.
      this.compare(
        a.prefixItems?.[i] ?? a.items ?? {},
        b.prefixItems?.[i] ?? b.items ?? {},
        direction,
        loc,
        `${path}[${i}]`,
      );
    }
    if (a.contains !== undefined && b.contains !== undefined) {
      this.compare(a.contains, b.contains, direction, loc, `${path}[contains]`);
    } else if (request && b.contains !== undefined) {
      this.report("constraint-tightened", loc, path, `contains ${show(b.contains)} added`);
    } else if (!request && a.contains !== undefined) {
      this.report("response-constraint-loosened", loc, path, `contains ${show(a.contains)} removed`);
    }
    if (request && a.unevaluatedItems !== false && b.unevaluatedItems === false) {
      this.report(
        "constraint-tightened",
        loc,
        path,
        "unevaluated items are no longer accepted (unevaluatedItems: false)",
      );
    } else if (isObject(a.unevaluatedItems) || isObject(b.unevaluatedItems)) {
      this.compare(a.unevaluatedItems ?? {}, b.unevaluatedItems ?? {}, direction, loc, `${path}[unevaluated]`);
    }
  }

  /**
   * if/then/else matched by their `if` (a changed `if` is one condition removed, one added: an added
   * condition is its branches compared with `{}`); `not` compared with the direction reversed.
   */
  private compareConditions(a: Flat, b: Flat, direction: Direction, loc: Location, path: string): void {
    const request = direction === "request";
    const byIf = (doc: OpenApiDoc, flat: Flat) =>
      new Map(flat.conditionals.map((c) => [this.canonical(doc, c.condition), c]));
    const before = byIf(this.before, a);
    const after = byIf(this.after, b);
    for (const key of new Set([...before.keys(), ...after.keys()])) {
      const [x, y] = [before.get(key), after.get(key)];
      const label = `${path}{if ${key}}`;
      if (x?.whenTrue !== undefined || y?.whenTrue !== undefined)
        this.compare(x?.whenTrue ?? {}, y?.whenTrue ?? {}, direction, loc, `${label}{then}`);
      if (x?.whenFalse !== undefined || y?.whenFalse !== undefined)
        this.compare(x?.whenFalse ?? {}, y?.whenFalse ?? {}, direction, loc, `${label}{else}`);
    }

    const nots = (doc: OpenApiDoc, flat: Flat) => new Map(flat.nots.map((n) => [this.canonical(doc, n), n]));
    const [notBefore, notAfter] = [nots(this.before, a), nots(this.after, b)];
    const gone = [...notBefore].filter(([key]) => !notAfter.has(key));
    const added = [...notAfter].filter(([key]) => !notBefore.has(key));
    if (gone.length === 1 && added.length === 1) {
      // `not X` accepts less when X accepts more: X compared as a request the other way round.
      const [[x, xRaw], [y, yRaw]] = [gone[0]!, added[0]!];
      const narrowed = request
        ? this.breaks(yRaw, xRaw, "request", [this.after, this.before])
        : this.breaks(xRaw, yRaw, "request");
      if (narrowed) {
        this.report(
          request ? "constraint-tightened" : "response-constraint-loosened",
          loc,
          path,
          `not changed from ${x} to ${y}`,
        );
      }
      return;
    }
    if (request) for (const [key] of added) this.report("constraint-tightened", loc, path, `not ${key} added`);
    else for (const [key] of gone) this.report("response-constraint-loosened", loc, path, `not ${key} removed`);
  }

  /** content*, discriminator, x-extensible-enum, and the unmodelled keywords (fail closed). */
  private compareAnnotatedKeywords(a: Flat, b: Flat, direction: Direction, loc: Location, path: string): void {
    const request = direction === "request";
    for (const key of ["contentMediaType", "contentEncoding"] as const) {
      if (a[key] !== b[key] && (request ? b[key] !== undefined : a[key] !== undefined)) {
        this.report(
          request ? "format-changed" : "response-constraint-loosened",
          loc,
          path,
          `${key} changed from ${show(a[key] ?? null)} to ${show(b[key] ?? null)}`,
        );
      }
    }
    if (a.contentSchema !== undefined || b.contentSchema !== undefined)
      this.compare(a.contentSchema ?? {}, b.contentSchema ?? {}, direction, loc, `${path}{contentSchema}`);

    if (a.discriminator && b.discriminator) {
      const [x, y] = [a.discriminator, b.discriminator];
      if (!same(x.propertyName, y.propertyName))
        this.report(
          "discriminator-changed",
          loc,
          path,
          `discriminator propertyName changed from ${show(x.propertyName)} to ${show(y.propertyName)}`,
        );
      for (const [value, target] of Object.entries(x.mapping ?? {})) {
        const now = y.mapping?.[value];
        if (!same(target, now))
          this.report(
            "discriminator-changed",
            loc,
            path,
            now === undefined
              ? `discriminator value ${show(value)} was removed from the mapping`
              : `discriminator value ${show(value)} now maps to ${show(now)} (was ${show(target)})`,
          );
      }
    } else if (!!a.discriminator !== !!b.discriminator && request === !!b.discriminator) {
      this.report(
        request ? "schema-keyword-changed" : "response-schema-keyword-changed",
        loc,
        path,
        `discriminator ${a.discriminator ? "removed" : "added"}`,
      );
    }

    if (a.extensibleEnum || b.extensibleEnum) {
      const removed = without(a.extensibleEnum ?? [], b.extensibleEnum ?? []);
      const added = without(b.extensibleEnum ?? [], a.extensibleEnum ?? []);
      if (removed.length && b.extensibleEnum)
        this.report(
          "enum-value-removed",
          loc,
          path,
          `x-extensible-enum value(s) ${removed.map(show).join(", ")} removed`,
        );
      if (added.length)
        this.report("enum-value-added", loc, path, `x-extensible-enum value(s) ${added.map(show).join(", ")} added`);
    }

    const values = (doc: OpenApiDoc, list: unknown[] | undefined) =>
      (list ?? [])
        .map((value) => this.canonical(doc, value))
        .sort()
        .join(" & ");
    for (const key of new Set([...a.other.keys(), ...b.other.keys()])) {
      const [x, y] = [values(this.before, a.other.get(key)), values(this.after, b.other.get(key))];
      if (x === y) continue;
      this.report(
        request ? "schema-keyword-changed" : "response-schema-keyword-changed",
        loc,
        path,
        `${key} changed from ${x || "(absent)"} to ${y || "(absent)"}: not modelled by the checker, so reported`,
      );
    }
  }

  private compareUnionShape(
    a: Flat,
    b: Flat,
    beforeRaw: Raw,
    afterRaw: Raw,
    direction: Direction,
    loc: Location,
    path: string,
  ): void {
    const request = direction === "request";
    if (b.variants) {
      // Became a union.
      if (request) {
        if (!b.variants.some((v) => !this.breaks(beforeRaw, v.schema, direction))) {
          this.report(
            "type-changed",
            loc,
            path,
            `now one of ${b.variants.map((v) => v.key).join(", ")}, none of which accepts what was accepted before`,
          );
        }
      } else {
        for (const variant of b.variants) {
          if (this.breaks(beforeRaw, variant.schema, direction)) {
            this.report(
              "response-union-variant-added",
              loc,
              path,
              `the response can now be variant ${variant.key}, which does not match what it was before`,
            );
          }
        }
      }
    } else if (a.variants) {
      // Was a union, is not any more.
      if (request) {
        for (const variant of a.variants) {
          if (this.breaks(variant.schema, afterRaw, direction)) {
            this.report("request-union-variant-removed", loc, path, `variant ${variant.key} is no longer accepted`);
          }
        }
      } else if (!a.variants.some((v) => !this.breaks(v.schema, afterRaw, direction))) {
        this.report(
          "type-changed",
          loc,
          path,
          `no longer one of ${a.variants.map((v) => v.key).join(", ")}, and matches none of them`,
        );
      }
    }
  }

  /**
   * Variants are paired by structure first (an inline variant moved behind a `$ref` is the same
   * variant), then by name. A request variant left unpaired is removed only if no new variant
   * accepts what it did; a new response variant is reported only if no old one covered it.
   */
  private compareVariants(
    before: Variant[],
    after: Variant[],
    direction: Direction,
    loc: Location,
    path: string,
  ): void {
    const shape = (doc: OpenApiDoc, variants: Variant[]) => variants.map((v) => this.canonical(doc, v.schema));
    const beforeShapes = shape(this.before, before);
    const paired = new Set<number>();
    const [byShape, byName] = [indexBy(shape(this.after, after)), indexBy(after.map((v) => v.key))];
    const unpaired: Variant[] = [];
    before.forEach((variant, i) => {
      this.memo.spend();
      const equal = firstUnpaired(byShape.get(beforeShapes[i]!), paired);
      if (equal >= 0) return void paired.add(equal);
      const named = firstUnpaired(byName.get(variant.key), paired);
      if (named >= 0) {
        paired.add(named);
        this.compare(variant.schema, after[named]!.schema, direction, loc, `${path}<${variant.key}>`);
      } else unpaired.push(variant);
    });
    if (direction === "request") {
      for (const variant of unpaired) {
        if (!after.some((v) => !this.breaks(variant.schema, v.schema, direction)))
          this.report("request-union-variant-removed", loc, path, `variant ${variant.key} was removed`);
      }
    } else {
      after.forEach((variant, j) => {
        if (paired.has(j)) return;
        if (!before.some((v) => !this.breaks(v.schema, variant.schema, direction)))
          this.report("response-union-variant-added", loc, path, `variant ${variant.key} was added`);
      });
    }
  }

  /**
   * A heuristic for request oneOf: two variants overlap when nothing obviously tells them apart (their
   * types, a const or enum on a shared property, a required property the other forbids). A value
   * matching both is rejected by oneOf; undecidable in general, so a warning.
   */
  private compareOverlaps(a: Flat, b: Flat, loc: Location, path: string): void {
    const overlapping = (doc: OpenApiDoc, variants: Variant[]) => {
      const flats = variants.map((v) => flatten(doc, v.schema));
      const pairs = new Set<string>();
      flats.forEach((x, i) => {
        this.memo.spend(flats.length * (1 + x.properties.size));
        flats.forEach((y, j) => {
          if (j > i && overlaps(doc, x, y)) pairs.add(`${variants[i]!.key} and ${variants[j]!.key}`);
        });
      });
      return pairs;
    };
    const before = overlapping(this.before, a.variants!);
    for (const pair of overlapping(this.after, b.variants!)) {
      if (!before.has(pair))
        this.report("request-union-variants-overlap", loc, path, `oneOf variants ${pair} may now both match a value`);
    }
  }

  private compareEnums(a: Flat, b: Flat, direction: Direction, loc: Location, path: string): void {
    const request = direction === "request";
    if (a.enum && b.enum) {
      const removed = without(a.enum, b.enum);
      const added = without(b.enum, a.enum);
      if (removed.length)
        this.report(
          "enum-value-removed",
          loc,
          path,
          `enum value${removed.length > 1 ? "s" : ""} ${removed.map(show).join(", ")} removed`,
        );
      if (added.length) {
        this.report(
          request ? "enum-value-added" : "response-enum-value-added",
          loc,
          path,
          `enum value${added.length > 1 ? "s" : ""} ${added.map(show).join(", ")} added`,
        );
      }
    } else if (request && b.enum && !a.enum) {
      this.report("enum-added", loc, path, `now restricted to ${b.enum.map(show).join(", ")}`);
    } else if (!request && a.enum && !b.enum) {
      this.report("response-enum-value-added", loc, path, `no longer restricted to ${a.enum.map(show).join(", ")}`);
    }
  }

  private compareConstraints(a: Flat, b: Flat, direction: Direction, loc: Location, path: string): void {
    const request = direction === "request";
    const tight: RuleId = request ? "constraint-tightened" : "response-constraint-loosened";
    const describe = (key: string, from: number | undefined, to: number | undefined) =>
      from === undefined
        ? `${key} ${to} added`
        : to === undefined
          ? `${key} ${from} removed`
          : `${key} ${to > from ? "raised" : "lowered"} from ${from} to ${to}`;
    for (const key of upperBounds) {
      const from = a.constraints[key];
      const to = b.constraints[key];
      if (
        request
          ? to !== undefined && (from === undefined || to < from)
          : from !== undefined && (to === undefined || to > from)
      ) {
        this.report(tight, loc, path, describe(key, from, to));
      }
    }
    for (const key of lowerBounds) {
      const from = a.constraints[key];
      const to = b.constraints[key];
      if (
        request
          ? to !== undefined && (from === undefined || to > from)
          : from !== undefined && (to === undefined || to < from)
      ) {
        this.report(tight, loc, path, describe(key, from, to));
      }
    }
    const [m1, m2] = [a.constraints.multipleOf, b.constraints.multipleOf];
    if (
      request
        ? m2 !== undefined && (m1 === undefined || m1 % m2 !== 0)
        : m1 !== undefined && (m2 === undefined || m2 % m1 !== 0)
    ) {
      this.report(
        tight,
        loc,
        path,
        m1 === undefined
          ? `multipleOf ${m2} added`
          : m2 === undefined
            ? `multipleOf ${m1} removed`
            : `multipleOf changed from ${m1} to ${m2}`,
      );
    }
    if (request && b.uniqueItems && !a.uniqueItems) this.report("constraint-tightened", loc, path, "uniqueItems added");
    if (!request && a.uniqueItems && !b.uniqueItems)
      this.report("response-constraint-loosened", loc, path, "uniqueItems removed: items may repeat");
    const [p1, p2] = [a.patterns.join(" & "), b.patterns.join(" & ")];
    if (p1 !== p2 && (request ? p2 !== "" : p1 !== "")) {
      this.report(
        request ? "pattern-changed" : "response-constraint-loosened",
        loc,
        path,
        p1 === ""
          ? `pattern ${show(p2)} added`
          : p2 === ""
            ? `pattern ${show(p1)} removed`
            : `pattern changed from ${show(p1)} to ${show(p2)}`,
      );
    }
    if (a.format !== b.format && (request ? b.format !== undefined : a.format !== undefined)) {
      this.report(
        request ? "format-changed" : "response-constraint-loosened",
        loc,
        path,
        a.format === undefined
          ? `format ${show(b.format)} added`
          : b.format === undefined
            ? `format ${show(a.format)} removed`
            : `format changed from ${show(a.format)} to ${show(b.format)}`,
      );
    }
  }

  private compareProperties(a: Flat, b: Flat, direction: Direction, loc: Location, path: string): void {
    const request = direction === "request";
    // A readOnly property is not part of a request, a writeOnly one not part of a response.
    const hidden = (doc: OpenApiDoc, schema: Raw) => {
      const flat = flatten(doc, schema);
      return request ? !!flat.readOnly : !!flat.writeOnly;
    };
    const visible = (doc: OpenApiDoc, flat: Flat) =>
      new Map([...flat.properties].filter(([, schema]) => !hidden(doc, schema)));
    const before = visible(this.before, a);
    const after = visible(this.after, b);
    const child = (name: string) => `${path}.${name}`;

    for (const [name, schema] of before) {
      const next = after.get(name);
      if (next === undefined) {
        const why = b.properties.has(name) ? (request ? "became readOnly" : "became writeOnly") : "was removed";
        this.report(
          request ? "request-property-removed" : "response-property-removed",
          loc,
          child(name),
          `property ${why}`,
        );
        continue;
      }
      this.compare(schema, next, direction, loc, child(name));
    }
    for (const name of after.keys()) {
      if (before.has(name)) continue;
      if (request && b.required.has(name))
        this.report("request-required-added", loc, child(name), "a new required property");
      else
        this.report(request ? "request-property-added" : "response-property-added", loc, child(name), "property added");
    }
    if (request) {
      for (const name of b.required) {
        // Required but declared on neither side here (a dependentSchemas or then branch, say).
        const undeclared = !before.has(name) && !after.has(name);
        if (!a.required.has(name) && ((before.has(name) && after.has(name)) || undeclared))
          this.report("request-required-added", loc, child(name), "property became required");
      }
      if (a.additionalProperties !== false && b.additionalProperties === false) {
        this.report(
          "additional-properties-closed",
          loc,
          path,
          "additional properties are no longer accepted (additionalProperties: false)",
        );
      }
    } else {
      for (const name of a.required) {
        if (!b.required.has(name) && before.has(name) && after.has(name))
          this.report("response-required-removed", loc, child(name), "property is no longer required");
      }
    }
    if (isObject(a.additionalProperties) && isObject(b.additionalProperties)) {
      this.compare(a.additionalProperties, b.additionalProperties, direction, loc, `${path}.*`);
    }
  }
}
