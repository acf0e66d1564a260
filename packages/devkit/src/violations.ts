import {
  fieldName,
  getOperation,
  holdsSubschemas,
  isObject,
  jsonMediaType,
  keywordFacts,
  keywordsWhere,
  refsOf,
  schemaParts,
  type CaseLocation,
  type InstanceType,
  type OpenApiDoc,
  type Operation,
  type Parameter,
  type Schema,
  type SchemaKeyword,
} from "@cx-openapi/spec";

// Generates, from the spec alone, a valid baseline request per operation and one request per
// constraint that breaks exactly that constraint. Nothing here knows about a particular API.

type Segment = string | number;
type Parts = Record<string, unknown>[];

export interface RequestInput {
  pathParams: Record<string, string>;
  query: Record<string, string>;
  /** Absent when the request sends no body. */
  body?: unknown;
}

export interface ViolationCase extends RequestInput {
  operationId: string;
  /** Lower case, as in the spec. */
  method: string;
  /** The path template. */
  path: string;
  location: CaseLocation;
  /** Readable path of the broken field, e.g. `customer.notification_channels[0].channel_addr`. */
  field: string;
  /** The location followed by the field's segments, as validators report it: `["body", "customer", "ccid"]`. */
  at: string[];
  /** The JSON Schema keyword the case breaks. */
  rule: string;
  /** Violation codes that count as the server naming this rule. */
  codes: string[];
  /** What was changed, in words. */
  detail: string;
  title: string;
  /** Why this case is special, when it is. */
  note?: string;
}

/** A constraint the generator found but cannot break through HTTP (or cannot generate yet), and why. */
export interface Untestable {
  operationId: string;
  location: CaseLocation | "header" | "cookie";
  field: string;
  rule: string;
  reason: string;
}

export interface RequestViolations {
  operation: Operation;
  baseline: RequestInput;
  cases: ViolationCase[];
  untestable: Untestable[];
}

/**
 * Keywords that constrain nothing (annotations without a subschema, `format` aside, which is broken
 * below; identifiers; `$defs`), or that the walker follows rather than breaks directly.
 */
const notConstraints: ReadonlySet<string> = new Set([
  ...keywordsWhere((facts, keyword) => facts.annotation === true && !holdsSubschemas(facts) && keyword !== "format"),
  ...keywordsWhere((facts) => facts.identifier === true),
  "$defs",
  "definitions",
  "$ref",
  "allOf",
  "properties",
  "items",
]);
/** Keywords this module breaks (the object ones are handled in `walkObject`). */
const generated: ReadonlySet<string> = new Set<SchemaKeyword>([
  "type",
  "enum",
  "const",
  "maxLength",
  "minLength",
  "pattern",
  "format",
  "minimum",
  "maximum",
  "exclusiveMinimum",
  "exclusiveMaximum",
  "multipleOf",
  "maxItems",
  "minItems",
  "uniqueItems",
  "required",
  "additionalProperties",
  "patternProperties",
  "propertyNames",
  "maxProperties",
  "minProperties",
]);

/** A valid value and a value that breaks the format, per supported `format`. */
const formats: Record<string, { valid: string; broken: string }> = {
  date: { valid: "2024-01-31", broken: "2024-13-45" },
  "date-time": { valid: "2024-01-31T12:00:00Z", broken: "2024-13-45T25:61:00Z" },
  time: { valid: "12:00:00Z", broken: "25:61:00Z" },
  email: { valid: "user@example.com", broken: "not-an-email" },
  uuid: { valid: "3fa85f64-5717-4562-b3fc-2c963f66afa6", broken: "not-a-uuid" },
  uri: { valid: "https://example.com/", broken: "not a uri" },
  ipv4: { valid: "192.0.2.1", broken: "999.0.2.1" },
};

// ---------------------------------------------------------------- baseline

/** A maximal valid instance of a schema: every property present, one item per array. */
export function baselineValue(doc: OpenApiDoc, schema: Schema | undefined): unknown {
  return build(doc, schemaParts(doc, schema), []);
}

export function baselineRequest(doc: OpenApiDoc, operation: Operation): RequestInput {
  const input: RequestInput = { pathParams: {}, query: {} };
  for (const parameter of operation.parameters) {
    if (parameter.in !== "path" && parameter.in !== "query") continue;
    const value = parameterExample(parameter) ?? baselineValue(doc, parameter.schema);
    (parameter.in === "path" ? input.pathParams : input.query)[parameter.name] = String(value);
  }
  const media = jsonMediaType(operation.requestBody?.content);
  if (media) input.body = baselineValue(doc, media[1].schema);
  return input;
}

function parameterExample(parameter: Parameter): unknown {
  if (parameter.example !== undefined) return parameter.example;
  const first = Object.values(parameter.examples ?? {})[0];
  return isObject(first) ? first.value : undefined;
}

function build(doc: OpenApiDoc, parts: Parts, stack: string[]): unknown {
  const consts = values(parts, "const");
  if (consts.length) return structuredClone(consts[0]);
  const candidates = [...values<unknown[]>(parts, "examples").flat(), ...values(parts, "default")];
  const enums = values<unknown[]>(parts, "enum");
  if (enums.length) {
    const inAll = (v: unknown) => enums.every((e) => e.some((x) => same(x, v)));
    return structuredClone([...candidates, ...(enums[0] ?? [])].find(inAll));
  }
  switch (pickType(parts)) {
    case "object":
      return buildObject(doc, parts, [...stack, ...refsOf(parts)], candidates);
    case "array": {
      const itemParts = parts.flatMap((p) => (p.items === undefined ? [] : schemaParts(doc, p.items as Schema)));
      const item = build(doc, itemParts, [...stack, ...refsOf(parts)]);
      return Array.from({ length: Math.max(1, ...values<number>(parts, "minItems")) }, () => structuredClone(item));
    }
    case "string":
      return buildString(parts, candidates);
    case "integer":
    case "number":
      return buildNumber(parts, candidates);
    case "boolean":
      return candidates.find((c) => typeof c === "boolean") ?? true;
    case "null":
      return null;
    default:
      return structuredClone(candidates[0] ?? {});
  }
}

function buildObject(doc: OpenApiDoc, parts: Parts, stack: string[], candidates: unknown[]): Record<string, unknown> {
  const object: Record<string, unknown> = {};
  const required = new Set(values<string[]>(parts, "required").flat());
  for (const part of parts) {
    for (const key of Object.keys(isObject(part.properties) ? part.properties : {})) {
      if (key in object) continue;
      const child = childParts(doc, parts, key);
      // A recursive schema keeps only its required branch, or the baseline would never end.
      if (!required.has(key) && refsOf(child).some((ref) => stack.includes(ref))) continue;
      object[key] = build(doc, child, stack);
    }
  }
  // Map-like objects (additionalProperties, patternProperties) get their keys from the schema's example.
  const example = candidates.find(isObject);
  for (const [key, value] of Object.entries(example ?? {})) if (!(key in object)) object[key] = structuredClone(value);
  for (const part of parts) {
    if (!isObject(part.additionalProperties) || Object.keys(object).some((key) => isAdditional(part, key))) continue;
    const key = "additional_property";
    if (isAdditional(part, key) && nameAllowed(doc, parts, key))
      object[key] = build(doc, childParts(doc, parts, key), stack);
  }
  return object;
}

function buildString(parts: Parts, candidates: unknown[]): string {
  const fits = (v: unknown): v is string => typeof v === "string" && stringFits(parts, v);
  const found = candidates.find(fits);
  if (found !== undefined) return found;
  const format = values<string>(parts, "format")
    .map((f) => formats[f]?.valid)
    .find(fits);
  if (format !== undefined) return format;
  const length = Math.min(Math.max(1, ...values<number>(parts, "minLength")), ...values<number>(parts, "maxLength"));
  return "a".repeat(length);
}

function buildNumber(parts: Parts, candidates: unknown[]): number {
  const found = candidates.find((c): c is number => typeof c === "number");
  if (found !== undefined) return found;
  const minimum = values<number>(parts, "minimum")[0] ?? values<number>(parts, "exclusiveMinimum").map((n) => n + 1)[0];
  return minimum ?? values<number>(parts, "maximum")[0] ?? 1;
}

// ---------------------------------------------------------------- cases

export function requestViolations(doc: OpenApiDoc, operationId: string): RequestViolations {
  const operation = getOperation(doc, operationId);
  const baseline = baselineRequest(doc, operation);
  const out: RequestViolations = { operation, baseline, cases: [], untestable: [] };
  for (const parameter of operation.parameters) {
    if (parameter.in === "path" || parameter.in === "query") {
      const ctx: Walk = { doc, out, location: parameter.in };
      const value = (parameter.in === "path" ? baseline.pathParams : baseline.query)[parameter.name];
      if (parameter.in === "query" && parameter.required) {
        emit(ctx, [parameter.name], "required", { kind: "delete" }, "the required query parameter left out");
      }
      walk(ctx, schemaParts(doc, parameter.schema), [parameter.name], value);
    } else {
      out.untestable.push({
        operationId,
        location: parameter.in,
        field: parameter.name,
        rule: "*",
        reason: `${parameter.in} parameters are not generated`,
      });
    }
  }
  const body = operation.requestBody;
  if (body) {
    const media = jsonMediaType(body.content);
    const ctx: Walk = { doc, out, location: "body" };
    if (!media) {
      out.untestable.push({
        operationId,
        location: "body",
        field: "(body)",
        rule: "*",
        reason: `no JSON media type in ${Object.keys(body.content).join(", ")}`,
      });
    } else {
      if (body.required) emit(ctx, [], "required", { kind: "delete" }, "the required body left out");
      walk(ctx, schemaParts(doc, media[1].schema), [], baseline.body);
    }
  }
  return out;
}

interface Walk {
  doc: OpenApiDoc;
  out: RequestViolations;
  location: CaseLocation;
}

type Change =
  | { kind: "set"; value: unknown }
  | { kind: "delete" }
  | { kind: "addKeys"; entries: Record<string, unknown> };

function walk(ctx: Walk, parts: Parts, at: Segment[], value: unknown): void {
  const inUrl = ctx.location !== "body";
  for (const keyword of new Set(parts.flatMap(Object.keys))) {
    if (!notConstraints.has(keyword) && !generated.has(keyword) && !keyword.startsWith("x-")) {
      gap(ctx, at, keyword, `no case generator for \`${keyword}\` yet`);
    }
  }
  const types = allowedTypes(parts);
  if (types) {
    if (inUrl && types.every((t) => t === "string"))
      gap(ctx, at, "type", "a URL parameter always arrives as a string, so no value breaks `type: string`");
    else {
      const wrong = inUrl ? `not-a-${types[0]}` : wrongType(types);
      emit(ctx, at, "type", { kind: "set", value: wrong }, `${jsonType(wrong)} instead of ${types.join(" or ")}`);
    }
  }
  for (const allowed of values<unknown[]>(parts, "enum")) {
    const other = notIn(allowed, value, Math.min(...values<number>(parts, "maxLength")));
    emit(
      ctx,
      at,
      "enum",
      { kind: "set", value: other },
      `${JSON.stringify(other)} is not one of ${allowed.length} allowed values`,
    );
  }
  for (const constant of values(parts, "const")) {
    const other = notIn([constant], value, Infinity);
    emit(ctx, at, "const", { kind: "set", value: other }, `${JSON.stringify(other)} instead of the constant`);
  }
  if (typeof value === "string") walkString(ctx, parts, at, value);
  if (typeof value === "number") walkNumber(ctx, parts, at, value);
  if (Array.isArray(value)) walkArray(ctx, parts, at, value);
  if (isObject(value)) walkObject(ctx, parts, at, value);
}

function walkString(ctx: Walk, parts: Parts, at: Segment[], value: string): void {
  const maxLengths = values<number>(parts, "maxLength");
  if (maxLengths.length) {
    const max = Math.min(...maxLengths);
    emit(
      ctx,
      at,
      "maxLength",
      { kind: "set", value: value.padEnd(max + 1, "x").slice(0, max + 1) },
      `${max + 1} characters, over the limit of ${max}`,
    );
  }
  const min = Math.max(0, ...values<number>(parts, "minLength"));
  if (min > 0) {
    const short = value.slice(0, min - 1);
    const emptySegment = ctx.location === "path" && short === "";
    emit(
      ctx,
      at,
      "minLength",
      { kind: "set", value: short },
      `${min - 1} characters, under the minimum of ${min}`,
      emptySegment
        ? {
            codes: ["minLength", "required"],
            note: "An empty path segment cannot carry an empty value: the URL then reads as if the parameter were missing. The case only asserts that the request is refused, by the client or with a 4xx naming the parameter.",
          }
        : {},
    );
  }
  for (const pattern of values<string>(parts, "pattern")) {
    const re = new RegExp(pattern, "u");
    const other = ["not matching", "x", "!", "0", `${value}!`, `!${value}`, inUrl(ctx) ? "~" : ""].find(
      (c) => !re.test(c),
    );
    if (other === undefined) gap(ctx, at, "pattern", `found no string that breaks /${pattern}/`);
    else
      emit(ctx, at, "pattern", { kind: "set", value: other }, `${JSON.stringify(other)} does not match /${pattern}/`);
  }
  for (const format of values<string>(parts, "format")) {
    const broken = formats[format]?.broken;
    if (broken === undefined) gap(ctx, at, "format", `no broken sample for format "${format}"`);
    else emit(ctx, at, "format", { kind: "set", value: broken }, `${JSON.stringify(broken)} is not a valid ${format}`);
  }
}

function walkNumber(ctx: Walk, parts: Parts, at: Segment[], value: number): void {
  const bounds: [string, (n: number) => number][] = [
    ["minimum", (n) => n - 1],
    ["maximum", (n) => n + 1],
    ["exclusiveMinimum", (n) => n],
    ["exclusiveMaximum", (n) => n],
    ["multipleOf", (n) => value + n / 2],
  ];
  for (const [keyword, breakIt] of bounds) {
    for (const limit of values<number>(parts, keyword)) {
      const other = breakIt(limit);
      emit(
        ctx,
        at,
        keyword,
        { kind: "set", value: inUrl(ctx) ? String(other) : other },
        `${other} against ${keyword} ${limit}`,
      );
    }
  }
}

function walkArray(ctx: Walk, parts: Parts, at: Segment[], value: unknown[]): void {
  const item = value[0];
  for (const max of values<number>(parts, "maxItems")) {
    emit(
      ctx,
      at,
      "maxItems",
      { kind: "set", value: Array.from({ length: max + 1 }, () => structuredClone(item)) },
      `${max + 1} items, over the limit of ${max}`,
    );
  }
  const min = Math.max(0, ...values<number>(parts, "minItems"));
  if (min > 0)
    emit(
      ctx,
      at,
      "minItems",
      { kind: "set", value: value.slice(0, min - 1) },
      `${min - 1} items, under the minimum of ${min}`,
    );
  if (values(parts, "uniqueItems").includes(true)) {
    emit(ctx, at, "uniqueItems", { kind: "set", value: [item, structuredClone(item)] }, "the same item twice");
  }
  const itemParts = parts.flatMap((p) => (p.items === undefined ? [] : schemaParts(ctx.doc, p.items as Schema)));
  if (value.length && itemParts.length) walk(ctx, itemParts, [...at, 0], item);
}

function walkObject(ctx: Walk, parts: Parts, at: Segment[], value: Record<string, unknown>): void {
  for (const name of new Set(values<string[]>(parts, "required").flat())) {
    emit(ctx, [...at, name], "required", { kind: "delete" }, "the required property left out");
  }
  for (const part of parts) {
    if (part.additionalProperties === false) {
      const key = "unexpected_property";
      emit(
        ctx,
        at,
        "additionalProperties",
        { kind: "addKeys", entries: { [key]: "x" } },
        `an undeclared property "${key}"`,
      );
    }
    for (const pattern of Object.keys(isObject(part.patternProperties) ? part.patternProperties : {})) {
      if (!Object.keys(value).some((key) => new RegExp(pattern, "u").test(key))) {
        gap(
          ctx,
          at,
          "patternProperties",
          `the baseline has no key matching /${pattern}/: add one to the schema's examples`,
        );
      }
    }
    if (isObject(part.additionalProperties) && !Object.keys(value).some((key) => isAdditional(part, key))) {
      gap(ctx, at, "additionalProperties", "the baseline has no additional property: add one to the schema's examples");
    }
  }
  walkPropertyNames(ctx, parts, at, value);
  walkPropertyCount(ctx, parts, at, value);
  // Keys that share the same schemas (the entries of a map) are checked once, on the first of them.
  const seen = new Set<string>();
  for (const [key, child] of Object.entries(value)) {
    const childSchemas = childParts(ctx.doc, parts, key);
    const declared = parts.some((p) => isObject(p.properties) && key in p.properties);
    const signature = childSchemas.map(schemaId).join(",");
    if (!declared && seen.has(signature)) continue;
    seen.add(signature);
    walk(ctx, childSchemas, [...at, key], child);
  }
}

function walkPropertyNames(ctx: Walk, parts: Parts, at: Segment[], value: Record<string, unknown>): void {
  for (const part of parts) {
    if (part.propertyNames === undefined) continue;
    const nameParts = schemaParts(ctx.doc, part.propertyNames as Schema);
    const rules: [string, (name: string) => boolean][] = [
      ...values<string>(nameParts, "pattern").map((p): [string, (n: string) => boolean] => [
        "pattern",
        (n) => !new RegExp(p, "u").test(n),
      ]),
      ...values<number>(nameParts, "maxLength").map((m): [string, (n: string) => boolean] => [
        "maxLength",
        (n) => [...n].length > m,
      ]),
      ...values<number>(nameParts, "minLength").map((m): [string, (n: string) => boolean] => [
        "minLength",
        (n) => [...n].length < m,
      ]),
    ];
    for (const keyword of new Set(nameParts.flatMap(Object.keys))) {
      if (
        !notConstraints.has(keyword) &&
        !["pattern", "maxLength", "minLength", "type"].includes(keyword) &&
        !keyword.startsWith("x-")
      ) {
        gap(ctx, at, `propertyNames.${keyword}`, `no case generator for propertyNames \`${keyword}\` yet`);
      }
    }
    const existing = Object.entries(value).find(([key]) => isAdditional(part, key));
    for (const [keyword, breaks] of rules) {
      const names = ["not matching", "x", "_", "0", "x".repeat(256), ""];
      const name = names.find((n) => breaks(n) && !(n in value));
      if (name === undefined) {
        gap(ctx, at, `propertyNames.${keyword}`, "found no property name that breaks it");
        continue;
      }
      const child = existing ? structuredClone(existing[1]) : build(ctx.doc, childParts(ctx.doc, parts, name), []);
      emit(
        ctx,
        at,
        "propertyNames",
        { kind: "addKeys", entries: { [name]: child } },
        `a property named ${JSON.stringify(name)} breaks propertyNames.${keyword}`,
        {
          codes: ["propertyNames", keyword],
        },
      );
    }
  }
}

function walkPropertyCount(ctx: Walk, parts: Parts, at: Segment[], value: Record<string, unknown>): void {
  const count = Object.keys(value).length;
  for (const max of values<number>(parts, "maxProperties")) {
    const entries: Record<string, unknown> = {};
    for (let i = 1; count + Object.keys(entries).length <= max; i++) {
      const key = `extra_property_${i}`;
      if (!(key in value)) entries[key] = build(ctx.doc, childParts(ctx.doc, parts, key), []);
    }
    emit(ctx, at, "maxProperties", { kind: "addKeys", entries }, `${max + 1} properties, over the limit of ${max}`);
  }
  const min = Math.max(0, ...values<number>(parts, "minProperties"));
  if (min > 0) {
    const required = new Set(values<string[]>(parts, "required").flat());
    const optional = Object.keys(value).filter((key) => !required.has(key));
    const drop = count - (min - 1);
    if (drop > optional.length) gap(ctx, at, "minProperties", "the required properties alone reach minProperties");
    else {
      const fewer = Object.fromEntries(Object.entries(value).filter(([key]) => !optional.slice(0, drop).includes(key)));
      emit(
        ctx,
        at,
        "minProperties",
        { kind: "set", value: fewer },
        `${min - 1} properties, under the minimum of ${min}`,
      );
    }
  }
}

// ---------------------------------------------------------------- emitting

function emit(
  ctx: Walk,
  at: Segment[],
  rule: string,
  change: Change,
  detail: string,
  extra: { codes?: string[]; note?: string } = {},
): void {
  const { operation, baseline } = ctx.out;
  const input = applyChange(baseline, ctx.location, at, change);
  const field = fieldName(ctx.location, at);
  const title = `${operation.operationId}: ${ctx.location} ${field} breaks ${rule} (${detail})`;
  if (ctx.out.cases.some((c) => c.title === title)) return;
  const item: ViolationCase = {
    operationId: operation.operationId,
    method: operation.method,
    path: operation.path,
    location: ctx.location,
    field,
    at: [ctx.location, ...at.map(String)],
    rule,
    codes: extra.codes ?? [rule],
    detail,
    title,
    ...input,
  };
  if (extra.note) item.note = extra.note;
  ctx.out.cases.push(item);
}

function gap(ctx: Walk, at: Segment[], rule: string, reason: string): void {
  const field = fieldName(ctx.location, at);
  const { untestable, operation } = ctx.out;
  if (untestable.some((u) => u.field === field && u.rule === rule && u.location === ctx.location)) return;
  untestable.push({ operationId: operation.operationId, location: ctx.location, field, rule, reason });
}

function applyChange(baseline: RequestInput, location: CaseLocation, at: Segment[], change: Change): RequestInput {
  const input = structuredClone(baseline);
  if (location !== "body") {
    const params = location === "path" ? input.pathParams : input.query;
    const name = String(at[0]);
    if (change.kind === "delete") delete params[name];
    else if (change.kind === "set") params[name] = String(change.value);
    return input;
  }
  if (at.length === 0) {
    if (change.kind === "delete") delete input.body;
    else if (change.kind === "set") input.body = change.value;
    else Object.assign(input.body as Record<string, unknown>, change.entries);
    return input;
  }
  let parent = input.body as Record<Segment, unknown>;
  for (const segment of at.slice(0, -1)) parent = parent[segment] as Record<Segment, unknown>;
  const last = at[at.length - 1] as Segment;
  if (change.kind === "delete") delete parent[last];
  else if (change.kind === "set") parent[last] = change.value;
  else Object.assign(parent[last] as Record<string, unknown>, change.entries);
  return input;
}

// ---------------------------------------------------------------- helpers

function values<T = unknown>(parts: Parts, keyword: string): T[] {
  return parts.flatMap((p) => (p[keyword] === undefined ? [] : [p[keyword] as T]));
}

/** The types every part allows, or undefined when no part restricts the type. */
function allowedTypes(parts: Parts): string[] | undefined {
  const declared = values<string | string[]>(parts, "type").map((t) => (Array.isArray(t) ? t : [t]));
  if (!declared.length) return undefined;
  return declared.reduce((acc, types) =>
    acc.filter((t) => types.includes(t) || (t === "integer" && types.includes("number"))),
  );
}

/** The type of value to build: the declared one, else the type the schema's keywords constrain. */
function pickType(parts: Parts): string | undefined {
  const types = allowedTypes(parts);
  if (types) return types.find((t) => t !== "null") ?? types[0];
  const keywords = new Set(parts.flatMap(Object.keys));
  return (["object", "array", "string", "number"] as const).find((type) =>
    [...keywords].some((keyword) => constrainedType(keyword) === type),
  );
}

/** The type a keyword constrains; a lone `format` is taken for a string's (most formats are). */
function constrainedType(keyword: string): InstanceType | undefined {
  return keyword === "format" ? "string" : keywordFacts(keyword)?.type;
}

function stringFits(parts: Parts, value: string): boolean {
  const length = [...value].length;
  return (
    values<number>(parts, "maxLength").every((max) => length <= max) &&
    values<number>(parts, "minLength").every((min) => length >= min) &&
    values<string>(parts, "pattern").every((p) => new RegExp(p, "u").test(value))
  );
}

/** The schemas that apply to property `key` of an object, per JSON Schema's rules, flattened. */
function childParts(doc: OpenApiDoc, parts: Parts, key: string): Parts {
  return parts.flatMap((part) => {
    const properties = isObject(part.properties) ? part.properties : {};
    if (key in properties) return schemaParts(doc, properties[key] as Schema);
    const matched = Object.entries(isObject(part.patternProperties) ? part.patternProperties : {}).filter(([p]) =>
      new RegExp(p, "u").test(key),
    );
    if (matched.length) return matched.flatMap(([, s]) => schemaParts(doc, s as Schema));
    return part.additionalProperties === undefined ? [] : schemaParts(doc, part.additionalProperties as Schema);
  });
}

/** Whether `key` falls to this part's `additionalProperties`. */
function isAdditional(part: Record<string, unknown>, key: string): boolean {
  if (isObject(part.properties) && key in part.properties) return false;
  return !Object.keys(isObject(part.patternProperties) ? part.patternProperties : {}).some((p) =>
    new RegExp(p, "u").test(key),
  );
}

function nameAllowed(doc: OpenApiDoc, parts: Parts, name: string): boolean {
  const nameParts = parts.flatMap((p) =>
    p.propertyNames === undefined ? [] : schemaParts(doc, p.propertyNames as Schema),
  );
  return stringFits(nameParts, name);
}

const schemaIds = new WeakMap<object, number>();
let lastSchemaId = 0;
function schemaId(schema: object): number {
  const known = schemaIds.get(schema);
  if (known !== undefined) return known;
  lastSchemaId += 1;
  schemaIds.set(schema, lastSchemaId);
  return lastSchemaId;
}

function inUrl(ctx: Walk): boolean {
  return ctx.location !== "body";
}

function wrongType(types: string[]): unknown {
  const candidates: unknown[] = [12345, `not-a-${types[0]}`, true, { unexpected: true }, [], null];
  return candidates.find(
    (c) => !types.includes(jsonType(c)) && !(jsonType(c) === "integer" && types.includes("number")),
  );
}

function jsonType(value: unknown): string {
  if (value === null) return "null";
  if (Array.isArray(value)) return "array";
  if (Number.isInteger(value)) return "integer";
  return typeof value;
}

/** A value of the same kind as `value` that is not in `allowed`, within `maxLength` when possible. */
function notIn(allowed: unknown[], value: unknown, maxLength: number): unknown {
  if (allowed.every((v) => typeof v === "number")) return Math.max(...(allowed as number[])) + 1;
  const base = typeof value === "string" ? value : "value";
  const candidates = [`${base}_not_listed`, "not_listed", "zz", "z", "0", "_"].filter(
    (c) => !allowed.some((a) => same(a, c)),
  );
  return candidates.find((c) => c.length <= maxLength) ?? candidates[0];
}

function same(a: unknown, b: unknown): boolean {
  return JSON.stringify(a) === JSON.stringify(b);
}
