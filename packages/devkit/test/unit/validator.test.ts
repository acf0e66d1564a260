import { describe, expect, it } from "vitest";
import { apiNames, createValidator, loadSpec, validateExamples, type OpenApiDoc } from "@cx-openapi/spec";
import { bundleFile } from "../../src/repo.js";
import { putThingResponses } from "../fixtures/thing-answers.js";

describe("createValidator", () => {
  const validator = createValidator(miniSpec());
  const response = (status: number, body: unknown, contentType = "application/json") =>
    validator.validateResponse({ operationId: "putThing", status, contentType, body });

  it("accepts a response that matches its declared schema", () => {
    expect(response(200, { name: "lamp", owner: { email: "a@example.com" } })).toEqual({ valid: true, errors: [] });
  });

  it("rejects a body that breaks the schema, naming the place", () => {
    const result = response(200, { name: 5, owner: { email: "not an email" } });
    expect(result.valid).toBe(false);
    expect(result.errors.join("\n")).toMatch(/\/name must be string/);
    expect(result.errors.join("\n")).toMatch(/\/owner\/email must match format "email"/);
  });

  it("rejects an undeclared status", () => {
    const result = response(500, {});
    expect(result.valid).toBe(false);
    expect(result.errors[0]).toMatch(/status 500 is not declared/);
  });

  it("matches a range status such as 4XX, and a response without content needs an empty body", () => {
    expect(response(404, undefined).valid).toBe(true);
    expect(response(404, { oops: true }).valid).toBe(false);
  });

  it("rejects an undeclared content type", () => {
    expect(response(200, "<html/>", "text/html").errors[0]).toMatch(/content type "text\/html" is not declared/);
  });

  it("runs in strict mode: an unknown keyword in a schema is an error, x- extensions are not", () => {
    const doc = miniSpec() as OpenApiDoc & { components: { schemas: Record<string, unknown> } };
    doc.components.schemas.Typo = { type: "string", maxlenght: 3 };
    expect(() => createValidator(doc)).toThrow(/unknown keyword: "maxlenght"/);
  });
});

describe("validateExamples", () => {
  it.each(apiNames)("finds every example of %s valid", (api) => {
    const report = validateExamples(loadSpec(bundleFile(api)));
    expect(report.problems).toEqual([]);
    expect(report.checked).toBeGreaterThan(0);
  });

  it("finds a broken media-type, schema and parameter example", () => {
    const doc = miniSpec();
    const components = doc.components as {
      examples: { Thing: { value: Record<string, unknown> } };
      schemas: { Tag: { properties: { label: Record<string, unknown> } } };
      parameters: { ThingId: Record<string, unknown> };
    };
    components.examples.Thing.value.name = "x".repeat(21);
    components.schemas.Tag.properties.label.examples = ["x"];
    components.parameters.ThingId.example = "far-too-long";
    const report = validateExamples(doc);
    expect(report.problems.map((p) => p.where).sort()).toEqual([
      "#/components/parameters/ThingId/example",
      "#/components/schemas/Tag/properties/label/examples/0",
      "#/paths/~1things~1{thing_id}/put/responses/200/content/application~1json/examples/one",
    ]);
  });
});

/** A spec with what the validator must handle: a component $ref, a format, a range status, examples. */
function miniSpec(): OpenApiDoc {
  return {
    openapi: "3.1.0",
    info: { title: "Mini", version: "1.0.0" },
    paths: {
      "/things/{thing_id}": {
        put: {
          operationId: "putThing",
          parameters: [{ $ref: "#/components/parameters/ThingId" }],
          responses: putThingResponses,
        },
      },
    },
    components: {
      parameters: {
        ThingId: {
          name: "thing_id",
          in: "path",
          required: true,
          schema: { type: "string", maxLength: 8 },
          example: "t-1",
        },
      },
      examples: { Thing: { value: { name: "lamp", owner: { email: "a@example.com" } } } },
      schemas: {
        Thing: {
          type: "object",
          properties: {
            name: { type: "string", maxLength: 20, examples: ["lamp"], "x-pii": "name" },
            owner: { $ref: "#/components/schemas/Owner" },
          },
        },
        Owner: {
          allOf: [
            { type: "object", properties: { email: { type: "string", format: "email" } } },
            { required: ["email"] },
          ],
        },
        Tag: { type: "object", properties: { label: { type: "string", minLength: 2 } } },
      },
    },
  };
}
