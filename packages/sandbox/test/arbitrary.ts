// fast-check arbitraries built from the spec's own request schemas: valid requests of an operation,
// and the same with exactly one constraint broken (taken from the devkit's per-constraint cases).
import fc from "fast-check";
import { requestViolations, type ViolationCase } from "@cx-openapi/devkit";
import {
  getOperation,
  isObject,
  jsonMediaType,
  schemaParts,
  type ApiName,
  type OpenApiDoc,
  type Operation,
  type Schema,
} from "@cx-openapi/spec";
import type { SandboxRequest } from "../src/types.js";

type Parts = Record<string, unknown>[];
const all = <T>(parts: Parts, keyword: string): T[] =>
  parts.flatMap((p) => (p[keyword] === undefined ? [] : [p[keyword] as T]));
const min = (values: number[]) => (values.length ? Math.min(...values) : undefined);
const max = (values: number[]) => (values.length ? Math.max(...values) : undefined);

/** Valid instances of a schema. Lengths are kept small, but the bounds themselves are reached. */
export function arbitraryOf(doc: OpenApiDoc, schema: Schema | undefined): fc.Arbitrary<unknown> {
  const parts = schemaParts(doc, schema);
  const consts = all<unknown>(parts, "const");
  if (consts.length) return fc.constant(consts[0]);
  const enums = all<unknown[]>(parts, "enum");
  if (enums.length) return fc.constantFrom(...enums[0]!.filter((v) => enums.every((e) => e.includes(v))));
  const type = all<string | string[]>(parts, "type").flat()[0];
  switch (type) {
    case "object":
      return objectOf(doc, parts);
    case "array": {
      const items = parts.flatMap((p) => (p.items === undefined ? [] : [p.items as Schema]));
      const minLength = max(all<number>(parts, "minItems")) ?? 0;
      const maxLength = Math.min(min(all<number>(parts, "maxItems")) ?? 3, minLength + 3);
      return fc.array(items.length ? fc.oneof(...items.map((s) => arbitraryOf(doc, s))) : fc.jsonValue(), {
        minLength,
        maxLength,
      });
    }
    case "string":
      return stringOf(parts);
    case "integer":
    case "number": {
      const lo = max(all<number>(parts, "minimum")) ?? -1e6;
      const hi = min(all<number>(parts, "maximum")) ?? 1e6;
      return type === "integer"
        ? fc.integer({ min: Math.ceil(lo), max: Math.floor(hi) })
        : fc.oneof(
            fc.integer({ min: Math.ceil(lo), max: Math.floor(hi) }),
            fc.double({ min: lo, max: hi, noNaN: true, noDefaultInfinity: true }),
          );
    }
    case "boolean":
      return fc.boolean();
    case "null":
      return fc.constant(null);
    default:
      return fc.jsonValue({ maxDepth: 1 });
  }
}

function stringOf(parts: Parts): fc.Arbitrary<string> {
  const minLength = max(all<number>(parts, "minLength")) ?? 0;
  const maxLength = min(all<number>(parts, "maxLength")) ?? 40;
  const fits = (s: string) => [...s].length >= minLength && [...s].length <= maxLength;
  switch (all<string>(parts, "format")[0]) {
    case "date":
      return fc
        .date({ min: new Date("1900-01-01T00:00:00Z"), max: new Date("2999-12-31T00:00:00Z"), noInvalidDate: true })
        .map((d) => d.toISOString().slice(0, 10));
    case "email":
      return fc.emailAddress().filter(fits);
    case "uuid":
      return fc.uuid();
    default: {
      const pattern = all<string>(parts, "pattern")[0];
      if (pattern) return fc.stringMatching(new RegExp(pattern)).filter(fits);
      const short = fc.string({ minLength, maxLength: Math.min(maxLength, minLength + 12) });
      // Now and then exactly at the upper bound, where off-by-one bugs live.
      return maxLength <= 4096
        ? fc.oneof(
            { weight: 4, arbitrary: short },
            { weight: 1, arbitrary: fc.string({ minLength: maxLength, maxLength, unit: "grapheme-ascii" }) },
          )
        : short;
    }
  }
}

function objectOf(doc: OpenApiDoc, parts: Parts): fc.Arbitrary<Record<string, unknown>> {
  const properties = new Map<string, Schema[]>();
  for (const part of parts) {
    for (const [key, s] of Object.entries(isObject(part.properties) ? part.properties : {}))
      properties.set(key, [...(properties.get(key) ?? []), s as Schema]);
  }
  const required = new Set(all<string[]>(parts, "required").flat());
  if (properties.size) {
    const record: Record<string, fc.Arbitrary<unknown>> = {};
    for (const [key, schemas] of properties) record[key] = arbitraryOf(doc, { allOf: schemas });
    return fc.record(record, { requiredKeys: [...required].filter((k) => properties.has(k)) });
  }
  // A map: keys of the schema's own shape, values of its additionalProperties.
  const extra = parts.find((p) => isObject(p.additionalProperties))?.additionalProperties as Schema | undefined;
  const names = parts.find((p) => isObject(p.propertyNames))?.propertyNames as Record<string, unknown> | undefined;
  const key =
    typeof names?.pattern === "string" ? fc.stringMatching(/^input_[a-z]{1,8}$/) : fc.stringMatching(/^[a-z]{1,10}$/);
  const maxKeys = Math.min(min(all<number>(parts, "maxProperties")) ?? 3, 3);
  return fc.dictionary(key, extra === undefined ? fc.string({ maxLength: 20 }) : arbitraryOf(doc, extra), { maxKeys });
}

export interface GeneratedRequest {
  pathParams: Record<string, string>;
  body?: unknown;
}

/** Valid requests of an operation: every path parameter and, when it has one, the JSON body. */
export function requestOf(doc: OpenApiDoc, operation: Operation): fc.Arbitrary<GeneratedRequest> {
  const params: Record<string, fc.Arbitrary<unknown>> = {};
  for (const p of operation.parameters) if (p.in === "path") params[p.name] = arbitraryOf(doc, p.schema);
  const media = jsonMediaType(operation.requestBody?.content);
  const pathParams = fc.record(params) as fc.Arbitrary<Record<string, string>>;
  if (!media) return pathParams.map((p) => ({ pathParams: p }));
  return fc.tuple(pathParams, arbitraryOf(doc, media[1].schema)).map(([p, body]) => ({ pathParams: p, body }));
}

export interface BrokenRequest extends GeneratedRequest {
  broken: ViolationCase;
}

/**
 * Valid requests with one constraint broken: a generated valid request receives the broken value of
 * one of the devkit's cases at the case's field (or loses the field, for a `required` case). Where
 * the generated request has no parent for that field, the case's own request is sent.
 */
export function brokenRequestOf(
  doc: OpenApiDoc,
  operationId: string,
): { arbitrary?: fc.Arbitrary<BrokenRequest>; cases: ViolationCase[] } {
  const operation = getOperation(doc, operationId);
  const cases = requestViolations(doc, operationId).cases.filter((c) => c.location !== "query");
  if (!cases.length) return { cases };
  const arbitrary = fc
    .tuple(requestOf(doc, operation), fc.constantFrom(...cases))
    .map(([valid, broken]) => applyBreak(valid, broken));
  return { arbitrary, cases };
}

function applyBreak(valid: GeneratedRequest, broken: ViolationCase): BrokenRequest {
  const [where, ...at] = broken.at;
  const own = { pathParams: broken.pathParams, ...("body" in broken ? { body: broken.body } : {}), broken };
  if (where === "path")
    return { ...valid, pathParams: { ...valid.pathParams, [at[0]!]: broken.pathParams[at[0]!]! }, broken };
  if (at.length === 0) return { ...valid, body: broken.body, broken };
  const body = structuredClone(valid.body);
  const parent = walk(body, at.slice(0, -1));
  const source = walk(broken.body, at.slice(0, -1));
  const last = at[at.length - 1]!;
  if (!isContainer(parent) || !isContainer(source)) return own;
  const slot = Array.isArray(parent) ? Number(last) : last;
  if (Array.isArray(parent) && Number(last) >= parent.length) return own;
  const sourceHas = Object.hasOwn(source, last);
  if (sourceHas)
    (parent as Record<string | number, unknown>)[slot] = structuredClone((source as Record<string, unknown>)[last]);
  else if (Array.isArray(parent)) return own;
  else delete (parent as Record<string, unknown>)[last];
  return { ...valid, body, broken };
}

function isContainer(value: unknown): value is Record<string, unknown> | unknown[] {
  return typeof value === "object" && value !== null;
}

function walk(value: unknown, at: string[]): unknown {
  let node = value;
  for (const segment of at) {
    if (!isContainer(node)) return undefined;
    node = (node as Record<string, unknown>)[segment];
  }
  return node;
}

const auth: Record<ApiName, Record<string, string>> = {
  "relay-cdm": { "xx-relay-api-key": "prop-key" },
  hiirelevate: { authorization: "Bearer prop-token" },
};

/** The HTTP request of a generated one, with credentials. */
export function toRequest(api: ApiName, operation: Operation, generated: GeneratedRequest): SandboxRequest {
  const path = operation.path.replace(/\{([^}]+)\}/g, (_, name: string) =>
    encodeURIComponent(generated.pathParams[name] ?? ""),
  );
  const hasBody = "body" in generated && generated.body !== undefined;
  return {
    method: operation.method.toUpperCase(),
    path,
    headers: { ...auth[api], ...(hasBody ? { "content-type": "application/json" } : {}) },
    ...(hasBody ? { body: JSON.stringify(generated.body) } : {}),
  };
}
