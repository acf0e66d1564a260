// Fail closed: every keyword of the JSON Schema 2020-12 vocabularies (the meta-schemas Ajv ships)
// and of the OpenAPI 3.1 base vocabulary (the meta-schema Spectral ships) is either modelled by the
// breaking-change checker or caught by its fail-closed path. Each keyword is changed deep inside a
// request body and a response body (under properties → items → patternProperties), and the change
// must be reported at the level the table says.
import { readdirSync, readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { dirname, join } from "node:path";
import { describe, expect, it } from "vitest";
import { compareDocuments } from "../../lib/breaking/compare.js";
import { formatChange, type Severity } from "../../lib/breaking/rules.js";
import { annotationKeywords, modelledKeywords } from "../../lib/breaking/schema.js";

// Both meta-schemas come with Spectral (a direct dependency): its rulesets, and the Ajv they use.
const fromSpectral = createRequire(createRequire(import.meta.url).resolve("@stoplight/spectral-cli/package.json"));
const rulesets = createRequire(fromSpectral.resolve("@stoplight/spectral-rulesets/package.json"));
const ajv2020 = dirname(rulesets.resolve("ajv/dist/refs/json-schema-2020-12/schema.json"));
const readJson = (file: string) => JSON.parse(readFileSync(file, "utf8")) as Record<string, unknown>;
const propertyNames = (schema: Record<string, unknown>) => Object.keys((schema.properties as object | undefined) ?? {});

const jsonSchemaKeywords = [
  ...propertyNames(readJson(join(ajv2020, "schema.json"))),
  ...readdirSync(join(ajv2020, "meta")).flatMap((file) => propertyNames(readJson(join(ajv2020, "meta", file)))),
];
const oasBase = readJson(
  join(
    dirname(rulesets.resolve("@stoplight/spectral-rulesets/package.json")),
    "dist/oas/schemas/oas/v3.1/meta.schema.json",
  ),
);
const openApiKeywords = propertyNames(oasBase.then as Record<string, unknown>);

type Fragment = Record<string, unknown>;
/** A change, and the lowest level it must be reported at (undefined: must not be reported). */
interface Probe {
  before: Fragment;
  after: Fragment;
  level: Severity | undefined;
}
interface Case {
  request: Probe;
  response: Probe;
}

const S = { type: "string" };
const short = { type: "string", maxLength: 1 };
/** Tighter for a request (breaking), and the reverse, looser, for a response (a warning at least). */
const tight = (before: Fragment, after: Fragment, response: Severity = "warning"): Case => ({
  request: { before, after, level: "breaking" },
  response: { before: after, after: before, level: response },
});
/** A keyword whose value is a schema: that schema tightened. */
const subschema = (key: string, wrap: (schema: Fragment) => unknown = (x) => x, base: Fragment = {}) =>
  tight({ ...base, [key]: wrap(S) }, { ...base, [key]: wrap(short) });
const ignored = (before: Fragment, after: Fragment): Case => ({
  request: { before, after, level: undefined },
  response: { before, after, level: undefined },
});
const failClosed = (key: string, x: unknown, y: unknown) => tight({ [key]: x }, { [key]: y });
const array = { type: "array" };
const withContains = { type: "array", contains: { const: 1 } };

const cases: Record<string, Case> = {
  // core
  $id: failClosed("$id", "https://example.com/a", "https://example.com/b"),
  $schema: failClosed(
    "$schema",
    "https://json-schema.org/draft/2020-12/schema",
    "http://json-schema.org/draft-07/schema#",
  ),
  $ref: tight({}, { $ref: "#/components/schemas/Short" }, "breaking"),
  $anchor: failClosed("$anchor", "a", "b"),
  $dynamicRef: failClosed("$dynamicRef", "#a", "#b"),
  $dynamicAnchor: failClosed("$dynamicAnchor", "a", "b"),
  $recursiveRef: failClosed("$recursiveRef", "#", "#/$defs/x"),
  $recursiveAnchor: failClosed("$recursiveAnchor", false, true),
  $vocabulary: failClosed("$vocabulary", {}, { "https://example.com/vocab": true }),
  dependencies: failClosed("dependencies", {}, { a: ["b"] }),
  $comment: ignored({ $comment: "a" }, { $comment: "b" }),
  $defs: ignored({ $defs: { x: S } }, { $defs: { x: short } }),
  definitions: ignored({ definitions: { x: S } }, { definitions: { x: short } }),
  // applicator
  prefixItems: subschema("prefixItems", (x) => [x], array),
  items: subschema("items", (x) => x, array),
  contains: subschema("contains", (x) => x, array),
  additionalProperties: subschema("additionalProperties"),
  properties: subschema("properties", (x) => ({ a: x })),
  patternProperties: subschema("patternProperties", (x) => ({ "^a": x })),
  dependentSchemas: subschema("dependentSchemas", (x) => ({ a: { properties: { b: x } } })),
  propertyNames: subschema("propertyNames"),
  if: tight({ if: { minLength: 1 }, then: { maxLength: 5 } }, { if: { minLength: 2 }, then: { maxLength: 5 } }),
  then: subschema("then", (x) => x, { if: { minLength: 1 } }),
  else: subschema("else", (x) => x, { if: { minLength: 1 } }),
  allOf: subschema("allOf", (x) => [x]),
  anyOf: subschema("anyOf", (x) => [x]),
  oneOf: subschema("oneOf", (x) => [x]),
  not: tight({ not: short }, { not: S }),
  // unevaluated
  unevaluatedItems: subschema("unevaluatedItems", (x) => x, { ...array, prefixItems: [{}] }),
  unevaluatedProperties: subschema("unevaluatedProperties"),
  // validation
  type: tight({ type: ["string", "integer"] }, { type: "string" }, "breaking"),
  const: tight({}, { const: "a" }),
  enum: tight({ enum: ["a", "b"] }, { enum: ["a"] }),
  multipleOf: tight({ multipleOf: 1 }, { multipleOf: 2 }),
  maximum: tight({ maximum: 10 }, { maximum: 5 }),
  exclusiveMaximum: tight({ exclusiveMaximum: 10 }, { exclusiveMaximum: 5 }),
  minimum: tight({ minimum: 1 }, { minimum: 2 }),
  exclusiveMinimum: tight({ exclusiveMinimum: 1 }, { exclusiveMinimum: 2 }),
  maxLength: tight({ maxLength: 10 }, { maxLength: 5 }),
  minLength: tight({ minLength: 1 }, { minLength: 2 }),
  pattern: tight({}, { pattern: "^a$" }),
  maxItems: tight({ maxItems: 10 }, { maxItems: 5 }),
  minItems: tight({ minItems: 1 }, { minItems: 2 }),
  uniqueItems: tight({ uniqueItems: false }, { uniqueItems: true }),
  maxContains: tight({ ...withContains, maxContains: 3 }, { ...withContains, maxContains: 2 }),
  minContains: tight({ ...withContains, minContains: 1 }, { ...withContains, minContains: 2 }),
  maxProperties: tight({ maxProperties: 10 }, { maxProperties: 5 }),
  minProperties: tight({ minProperties: 1 }, { minProperties: 2 }),
  required: tight({ properties: { a: S } }, { properties: { a: S }, required: ["a"] }, "breaking"),
  dependentRequired: tight(
    { properties: { a: S, b: S } },
    { properties: { a: S, b: S }, dependentRequired: { a: ["b"] } },
    "breaking",
  ),
  // content, format
  contentEncoding: tight({}, { contentEncoding: "base64" }),
  contentMediaType: tight({}, { contentMediaType: "image/png" }),
  contentSchema: subschema("contentSchema", (x) => x, { contentMediaType: "application/json" }),
  format: tight({}, { format: "email" }),
  // meta-data: annotations, except the three that change what a body holds
  title: ignored({ title: "a" }, { title: "b" }),
  description: ignored({ description: "a" }, { description: "b" }),
  examples: ignored({ examples: ["a"] }, { examples: ["b"] }),
  deprecated: ignored({ deprecated: false }, { deprecated: true }),
  // A body field's default is a warning in a request (the server fills it in); nothing in a response.
  default: {
    request: { before: { default: "a" }, after: { default: "b" }, level: "warning" },
    response: { before: { default: "a" }, after: { default: "b" }, level: undefined },
  },
  // readOnly hides a field from requests, writeOnly from responses.
  readOnly: {
    request: {
      before: { properties: { a: S } },
      after: { properties: { a: { ...S, readOnly: true } } },
      level: "breaking",
    },
    response: {
      before: { properties: { a: S } },
      after: { properties: { a: { ...S, readOnly: true } } },
      level: undefined,
    },
  },
  writeOnly: {
    request: {
      before: { properties: { a: S } },
      after: { properties: { a: { ...S, writeOnly: true } } },
      level: undefined,
    },
    response: {
      before: { properties: { a: S } },
      after: { properties: { a: { ...S, writeOnly: true } } },
      level: "breaking",
    },
  },
  // OpenAPI 3.1 base vocabulary
  discriminator: tight(
    { discriminator: { propertyName: "kind" } },
    { discriminator: { propertyName: "type" } },
    "breaking",
  ),
  xml: failClosed("xml", { name: "a" }, { name: "b" }),
  externalDocs: ignored(
    { externalDocs: { url: "https://example.com/a" } },
    { externalDocs: { url: "https://example.com/b" } },
  ),
  example: ignored({ example: "a" }, { example: "b" }),
};

/** A document whose request body or response holds `fragment` three levels down. */
function documentWith(direction: "request" | "response", fragment: Fragment): Record<string, unknown> {
  const schema = {
    type: "object",
    properties: { list: { type: "array", items: { type: "object", patternProperties: { "^k": fragment } } } },
  };
  const operation =
    direction === "request"
      ? { requestBody: { content: { "application/json": { schema } } }, responses: { "204": { description: "Done" } } }
      : { responses: { "200": { description: "OK", content: { "application/json": { schema } } } } };
  return {
    openapi: "3.1.0",
    info: { title: "Keywords", version: "1.0.0" },
    paths: { "/things": { post: { operationId: "things", ...operation } } },
    components: { schemas: { Short: short } },
  };
}

const rank = { info: 0, warning: 1, breaking: 2 } as const;

describe("every JSON Schema 2020-12 and OpenAPI 3.1 keyword is modelled or fails closed", () => {
  const keywords = [...new Set([...jsonSchemaKeywords, ...openApiKeywords])];

  it("reads the keyword lists from the shipped meta-schemas", () => {
    expect(jsonSchemaKeywords).toEqual(expect.arrayContaining(["$dynamicRef", "prefixItems", "unevaluatedItems"]));
    expect(openApiKeywords.sort()).toEqual(["discriminator", "example", "externalDocs", "xml"]);
  });

  it("has a probe for every keyword, and nothing else", () => {
    expect(keywords.filter((k) => !(k in cases))).toEqual([]);
    expect(Object.keys(cases).filter((k) => !keywords.includes(k))).toEqual([]);
  });

  it.each(keywords.map((keyword) => ({ keyword })))("$keyword", ({ keyword }) => {
    const kind = modelledKeywords.has(keyword) ? "modelled" : annotationKeywords.has(keyword) ? "annotation" : "open";
    for (const direction of ["request", "response"] as const) {
      const { before, after, level } = cases[keyword]![direction];
      const found = compareDocuments(documentWith(direction, before), documentWith(direction, after)).filter(
        (c) => c.severity !== "info",
      );
      const text = `${keyword} (${kind}) in a ${direction}:\n${found.map(formatChange).join("\n")}`;
      if (level === undefined) expect(found, text).toEqual([]);
      else {
        expect(Math.max(...found.map((c) => rank[c.severity])), text).toBeGreaterThanOrEqual(rank[level]);
        expect(
          found.every((c) => c.path?.startsWith(".list[][/^k/]")),
          text,
        ).toBe(true);
      }
      // A keyword that is neither modelled nor an annotation is caught by the fail-closed rule.
      if (kind === "open")
        expect(found.map((c) => c.rule)).toContain(
          direction === "request" ? "schema-keyword-changed" : "response-schema-keyword-changed",
        );
      if (kind === "annotation") expect(level).toBeUndefined();
    }
  });
});
