import { describe, expect, it } from "vitest";
import {
  apiNames,
  createValidator,
  getOperation,
  jsonMediaType,
  listOperations,
  loadSpec,
  type OpenApiDoc,
  type Operation,
  type SpecValidator,
} from "@cx-openapi/spec";
import { bundleFile } from "../../src/repo.js";
import { requestViolations, type RequestInput } from "../../src/violations.js";
import { putThingResponses } from "../fixtures/thing-answers.js";

/** Whether a request satisfies every body and path/query constraint of its operation. */
function requestErrors(validator: SpecValidator, operation: Operation, input: RequestInput): string[] {
  const errors: string[] = [];
  for (const p of operation.parameters) {
    if (p.in !== "path" && p.in !== "query") continue;
    const value = (p.in === "path" ? input.pathParams : input.query)[p.name];
    if (value === undefined) {
      if (p.required) errors.push(`${p.name} missing`);
    } else if (p.schema !== undefined) errors.push(...validator.validate(p.schema, value).errors);
  }
  const media = jsonMediaType(operation.requestBody?.content);
  if (media?.[1].schema !== undefined) {
    if (!("body" in input)) {
      if (operation.requestBody?.required) errors.push("body missing");
    } else errors.push(...validator.validate(media[1].schema, input.body).errors);
  }
  return errors;
}

/** The JSON paths where two values differ; a resized array or object (keys added or removed) counts once. */
function differences(a: unknown, b: unknown, path = ""): string[] {
  if (JSON.stringify(a) === JSON.stringify(b)) return [];
  const bothObjects =
    typeof a === "object" && a !== null && typeof b === "object" && b !== null && Array.isArray(a) === Array.isArray(b);
  const keysOf = (v: unknown) =>
    Object.keys(v as object)
      .sort()
      .join("\0");
  if (!bothObjects || keysOf(a) !== keysOf(b)) return [path || "(root)"];
  return Object.keys(a as object).flatMap((k) =>
    differences((a as Record<string, unknown>)[k], (b as Record<string, unknown>)[k], `${path}/${k}`),
  );
}

describe.each(apiNames)("generated requests of %s", (api) => {
  const doc = loadSpec(bundleFile(api));
  const validator = createValidator(doc);

  describe.each(listOperations(doc).map((op) => [op.operationId, op] as const))("%s", (operationId, operation) => {
    const generated = requestViolations(doc, operationId);

    it("starts from a baseline request that the spec accepts", () => {
      expect(requestErrors(validator, operation, generated.baseline)).toEqual([]);
    });

    it.each(generated.cases.map((c) => [c.title, c] as const))("%s: breaks the spec, in one place", (_title, c) => {
      expect(requestErrors(validator, operation, c).length).toBeGreaterThan(0);
      const changed = [
        ...differences(generated.baseline.pathParams, c.pathParams),
        ...differences(generated.baseline.query, c.query),
        ...differences(generated.baseline.body, c.body),
      ];
      expect(changed).toHaveLength(1);
    });
  });
});

describe("requestViolations on a fixture", () => {
  const titles = (doc: OpenApiDoc, operationId: string) =>
    requestViolations(doc, operationId).cases.map((c) => `${c.location} ${c.field} ${c.rule}`);

  it("builds a maximal baseline: optional properties, one array item, map keys from examples", () => {
    const { baseline } = requestViolations(fixtureSpec(), "putThing");
    expect(baseline.pathParams).toEqual({ thing_id: "t-1" });
    expect(baseline.body).toEqual({
      name: "lamp",
      kind: "light",
      owner: { email: "user@example.com", born: "2024-01-31" },
      tags: [{ label: "aa" }],
      labels: { lbl_a: "x", lbl_b: "y" },
    });
  });

  it("yields one case per constraint, through $ref, allOf, arrays and maps", () => {
    expect(titles(fixtureSpec(), "putThing").sort()).toEqual(
      [
        "path thing_id maxLength",
        "path thing_id minLength",
        "body (body) required",
        "body (body) type",
        "body name required",
        "body name type",
        "body name maxLength",
        "body kind type",
        "body kind enum",
        "body owner type",
        "body owner.email required",
        "body owner.email type",
        "body owner.email format",
        "body owner.born type",
        "body owner.born format",
        "body tags type",
        "body tags maxItems",
        "body tags[0] type",
        "body tags[0].label required",
        "body tags[0].label type",
        "body tags[0].label maxLength",
        "body tags[0].label minLength",
        "body labels type",
        "body labels propertyNames",
        "body labels.lbl_a type",
        "body labels.lbl_a maxLength",
      ].sort(),
    );
  });

  it("yields a new case when a maxLength is added to a copy of the spec", () => {
    const doc = fixtureSpec();
    const before = titles(doc, "putThing");
    const owner = doc.components?.schemas?.Owner as {
      allOf: { properties?: Record<string, Record<string, unknown>> }[];
    };
    (owner.allOf[0]?.properties?.email as Record<string, unknown>).maxLength = 40;
    const after = titles(doc, "putThing");
    expect(after.filter((t) => !before.includes(t))).toEqual(["body owner.email maxLength"]);
    const added = requestViolations(doc, "putThing").cases.find(
      (c) => c.field === "owner.email" && c.rule === "maxLength",
    );
    expect(String((added?.body as { owner: { email: string } }).owner.email)).toHaveLength(41);
  });

  it("yields required and enum cases for query parameters", () => {
    expect(titles(fixtureSpec(), "getThing")).toEqual(
      expect.arrayContaining(["query verbose required", "query verbose enum", "path thing_id maxLength"]),
    );
  });

  it("keeps an empty path segment as a case, with the reason and the codes it may come back as", () => {
    const empty = requestViolations(fixtureSpec(), "putThing").cases.find(
      (c) => c.field === "thing_id" && c.rule === "minLength",
    );
    expect(empty?.pathParams.thing_id).toBe("");
    expect(empty?.note).toMatch(/empty path segment/i);
    expect(empty?.codes).toEqual(["minLength", "required"]);
  });

  it("reports what it cannot break, with a reason, instead of dropping it", () => {
    const doc = fixtureSpec();
    const thing = doc.components?.schemas?.Thing as { properties: Record<string, Record<string, unknown>> };
    thing.properties.kind = { oneOf: [{ const: "a" }, { const: "b" }] };
    const { untestable } = requestViolations(doc, "putThing");
    expect(untestable).toEqual(
      expect.arrayContaining([
        expect.objectContaining({
          location: "path",
          field: "thing_id",
          rule: "type",
          reason: expect.stringMatching(/string/),
        }),
        expect.objectContaining({
          location: "body",
          field: "kind",
          rule: "oneOf",
          reason: expect.stringMatching(/no case generator/),
        }),
      ]),
    );
  });

  it("names nested fields readably and points at them", () => {
    const c = requestViolations(fixtureSpec(), "putThing").cases.find(
      (x) => x.field === "tags[0].label" && x.rule === "maxLength",
    );
    expect(c?.at).toEqual(["body", "tags", "0", "label"]);
    expect(c?.title).toBe("putThing: body tags[0].label breaks maxLength (11 characters, over the limit of 10)");
  });

  it("leaves the original spec untouched", () => {
    const doc = fixtureSpec();
    const copy = structuredClone(doc);
    requestViolations(doc, "putThing");
    expect(doc).toEqual(copy);
    expect(getOperation(doc, "putThing").requestBody?.required).toBe(true);
  });
});

/** A small spec exercising what the generator walks: $ref, allOf, nested arrays, maps, formats. */
export function fixtureSpec(): OpenApiDoc {
  return {
    openapi: "3.1.0",
    info: { title: "Fixture", version: "1.0.0" },
    paths: {
      "/things/{thing_id}": {
        parameters: [{ $ref: "#/components/parameters/ThingId" }],
        put: {
          operationId: "putThing",
          requestBody: {
            required: true,
            content: { "application/json": { schema: { $ref: "#/components/schemas/Thing" } } },
          },
          responses: putThingResponses,
        },
        get: {
          operationId: "getThing",
          parameters: [
            { name: "verbose", in: "query", required: true, schema: { type: "string", enum: ["yes", "no"] } },
          ],
          responses: {
            "200": {
              description: "OK",
              content: { "application/json": { schema: { $ref: "#/components/schemas/Thing" } } },
            },
          },
        },
      },
      "/things/new": {
        get: { operationId: "newThing", responses: { "204": { description: "Nothing" } } },
      },
    },
    components: {
      parameters: {
        ThingId: {
          name: "thing_id",
          in: "path",
          required: true,
          schema: { type: "string", minLength: 1, maxLength: 8 },
          example: "t-1",
        },
      },
      examples: {
        Thing: { value: { name: "lamp", owner: { email: "a@example.com" }, tags: [{ label: "red" }] } },
      },
      schemas: {
        Thing: {
          type: "object",
          required: ["name"],
          properties: {
            name: { type: "string", maxLength: 20, examples: ["lamp"], "x-pii": "name" },
            kind: { type: "string", enum: ["light", "chair"] },
            owner: { $ref: "#/components/schemas/Owner" },
            tags: { type: "array", maxItems: 3, items: { $ref: "#/components/schemas/Tag" } },
            labels: {
              type: "object",
              propertyNames: { pattern: "^lbl_" },
              additionalProperties: { type: "string", maxLength: 5 },
              examples: [{ lbl_a: "x", lbl_b: "y" }],
            },
          },
        },
        Owner: {
          allOf: [
            {
              type: "object",
              properties: { email: { type: "string", format: "email" }, born: { type: "string", format: "date" } },
            },
            { required: ["email"] },
          ],
        },
        Tag: {
          type: "object",
          required: ["label"],
          properties: { label: { type: "string", minLength: 2, maxLength: 10 } },
        },
      },
    },
  };
}
