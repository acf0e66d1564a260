// Direction-aware comparison of two JSON Schemas (OpenAPI 3.1, also 3.0's `nullable`), with local
// `$ref`s resolved and `allOf` merged into one flat view.
import { isObject, resolvePointer, type OpenApiDoc } from "../openapi.js";
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
}
const upperBounds = ["maxLength", "maxItems", "maximum", "exclusiveMaximum", "maxProperties"] as const;
const lowerBounds = ["minLength", "minItems", "minimum", "exclusiveMinimum", "minProperties"] as const;

interface Variant {
  key: string;
  schema: Raw;
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
  constraints: Constraints;
  patterns: string[];
  format?: string;
  uniqueItems?: boolean;
  readOnly?: boolean;
  writeOnly?: boolean;
  hasDefault?: boolean;
  default?: unknown;
  /** The `$ref`s followed to get here (for cycle detection). */
  refs: string[];
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

const emptyFlat = (): Flat => ({ properties: new Map(), required: new Set(), constraints: {}, patterns: [], refs: [] });

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

function merge(a: Flat, b: Flat): Flat {
  const out: Flat = { ...emptyFlat(), refs: [...a.refs, ...b.refs] };
  if (a.never || b.never) out.never = true;
  const types = intersectTypes(a.types, b.types);
  if (types) out.types = types;
  if (a.enum && b.enum) out.enum = a.enum.filter((v) => b.enum!.some((w) => same(v, w)));
  else if (a.enum ?? b.enum) out.enum = (a.enum ?? b.enum)!;
  out.properties = new Map(a.properties);
  for (const [name, schema] of b.properties) {
    const existing = out.properties.get(name);
    out.properties.set(name, existing === undefined ? schema : { allOf: [existing, schema] });
  }
  out.required = new Set([...a.required, ...b.required]);
  if (a.additionalProperties === false || b.additionalProperties === false) out.additionalProperties = false;
  else if (isObject(a.additionalProperties) && isObject(b.additionalProperties))
    out.additionalProperties = { allOf: [a.additionalProperties, b.additionalProperties] };
  else if ((a.additionalProperties ?? b.additionalProperties) !== undefined)
    out.additionalProperties = isObject(a.additionalProperties)
      ? a.additionalProperties
      : (b.additionalProperties ?? a.additionalProperties);
  if (a.items !== undefined && b.items !== undefined) out.items = { allOf: [a.items, b.items] };
  else if ((a.items ?? b.items) !== undefined) out.items = a.items ?? b.items;
  if (a.variants ?? b.variants) out.variants = (a.variants ?? b.variants)!;
  for (const key of upperBounds) {
    const values = [a.constraints[key], b.constraints[key]].filter((v): v is number => typeof v === "number");
    if (values.length) out.constraints[key] = Math.min(...values);
  }
  for (const key of lowerBounds) {
    const values = [a.constraints[key], b.constraints[key]].filter((v): v is number => typeof v === "number");
    if (values.length) out.constraints[key] = Math.max(...values);
  }
  const multipleOf = a.constraints.multipleOf ?? b.constraints.multipleOf;
  if (multipleOf !== undefined) out.constraints.multipleOf = multipleOf;
  out.patterns = [...new Set([...a.patterns, ...b.patterns])].sort();
  const format = a.format ?? b.format;
  if (format !== undefined) out.format = format;
  if (a.uniqueItems || b.uniqueItems) out.uniqueItems = true;
  if (a.readOnly || b.readOnly) out.readOnly = true;
  if (a.writeOnly || b.writeOnly) out.writeOnly = true;
  if (a.hasDefault || b.hasDefault) {
    out.hasDefault = true;
    out.default = a.hasDefault ? a.default : b.default;
  }
  return out;
}

/** Flattens a schema: `$ref` (with 3.1 sibling keywords) and `allOf` resolved and merged. */
export function flatten(doc: OpenApiDoc, raw: Raw, seen: ReadonlySet<string> = new Set()): Flat {
  if (raw === false) return { ...emptyFlat(), never: true };
  if (!isObject(raw)) return emptyFlat();
  if (typeof raw.$ref === "string") {
    const ref = raw.$ref;
    const { $ref: _ref, ...siblings } = raw;
    // A cycle through allOf (rare) contributes nothing more.
    const target = seen.has(ref) ? emptyFlat() : flatten(doc, resolvePointer(doc, ref), new Set([...seen, ref]));
    target.refs = [ref, ...target.refs];
    return Object.keys(siblings).some((k) => !annotation(k)) ? merge(target, flatten(doc, siblings, seen)) : target;
  }
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
  const parts = Array.isArray(raw.allOf) ? raw.allOf.map((part) => flatten(doc, part, seen)) : [];
  return parts.reduce(merge, own);
}

const annotation = (key: string) =>
  ["description", "summary", "title", "example", "examples", "deprecated", "$comment", "externalDocs"].includes(key) ||
  key.startsWith("x-");

const same = (a: unknown, b: unknown) => JSON.stringify(a) === JSON.stringify(b);
const show = (value: unknown) => JSON.stringify(value);
const showTypes = (types: Set<string> | undefined) => (types ? [...types].sort().join(" | ") : "any type");
const covers = (types: Set<string>, t: string) => types.has(t) || (t === "integer" && types.has("number"));

/** True when `wider` accepts every type `narrower` accepts. */
function typesCover(wider: Set<string> | undefined, narrower: Set<string> | undefined): boolean {
  if (!wider) return true;
  if (!narrower) return false;
  return [...narrower].every((t) => covers(wider, t));
}

export interface Location {
  operation?: string;
  where?: string;
}

export class SchemaComparer {
  readonly changes: Change[] = [];
  private readonly stack = new Set<string>();

  constructor(
    readonly before: OpenApiDoc,
    readonly after: OpenApiDoc,
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

  /** Compares two schemas used in one direction at one location; changes go to `this.changes`. */
  compare(beforeRaw: Raw, afterRaw: Raw, direction: Direction, location: Location, path = ""): void {
    const a = flatten(this.before, beforeRaw);
    const b = flatten(this.after, afterRaw);
    const key = `${direction}|${a.refs.join(",")}|${b.refs.join(",")}|${location.operation}|${location.where}`;
    if ((a.refs.length || b.refs.length) && this.stack.has(key)) return; // a recursive schema, already being compared
    this.stack.add(key);
    try {
      this.compareFlat(a, b, beforeRaw, afterRaw, direction, location, path);
    } finally {
      this.stack.delete(key);
    }
  }

  /** Whether comparing these two would report a breaking change (nothing is recorded). */
  breaks(beforeRaw: Raw, afterRaw: Raw, direction: Direction): boolean {
    const probe = new SchemaComparer(this.before, this.after);
    for (const key of this.stack) probe.stack.add(key);
    probe.compare(beforeRaw, afterRaw, direction, {});
    return probe.changes.some((change) => change.severity === "breaking");
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
    if (request && a.hasDefault && b.hasDefault && !same(a.default, b.default)) {
      this.report("default-changed", loc, path, `default changed from ${show(a.default)} to ${show(b.default)}`);
    }

    this.compareProperties(a, b, direction, loc, path);

    if (a.items !== undefined || b.items !== undefined) {
      this.compare(a.items ?? {}, b.items ?? {}, direction, loc, `${path}[]`);
    }

    if (a.variants && b.variants) this.compareVariants(a.variants, b.variants, direction, loc, path);
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

  private compareVariants(
    before: Variant[],
    after: Variant[],
    direction: Direction,
    loc: Location,
    path: string,
  ): void {
    const afterByKey = new Map(after.map((v) => [v.key, v]));
    const beforeByKey = new Map(before.map((v) => [v.key, v]));
    for (const variant of before) {
      const match = afterByKey.get(variant.key);
      if (match) this.compare(variant.schema, match.schema, direction, loc, `${path}<${variant.key}>`);
      else if (direction === "request")
        this.report("request-union-variant-removed", loc, path, `variant ${variant.key} was removed`);
    }
    if (direction === "response") {
      for (const variant of after) {
        if (!beforeByKey.has(variant.key))
          this.report("response-union-variant-added", loc, path, `variant ${variant.key} was added`);
      }
    }
  }

  private compareEnums(a: Flat, b: Flat, direction: Direction, loc: Location, path: string): void {
    const request = direction === "request";
    if (a.enum && b.enum) {
      const removed = a.enum.filter((v) => !b.enum!.some((w) => same(v, w)));
      const added = b.enum.filter((v) => !a.enum!.some((w) => same(v, w)));
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
        if (!a.required.has(name) && before.has(name) && after.has(name))
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
