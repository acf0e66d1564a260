import { describe, expect, it } from "vitest";
import { coverageMatrix, declaredKey } from "../../src/coverage.js";
import { listOperations, matchOperation, schemaParts, type OpenApiDoc } from "@cx-openapi/spec";

describe("spec", () => {
  const doc = miniSpec();

  it("lists operations with path-item and operation parameters merged and $refs resolved", () => {
    const getThing = listOperations(doc).find((op) => op.operationId === "getThing");
    expect(getThing?.method).toBe("get");
    expect(getThing?.parameters.map((p) => `${p.in}:${p.name}`)).toEqual(["path:thing_id", "query:verbose"]);
  });

  it("matches a raw request path to its operation, preferring literal segments", () => {
    expect(matchOperation(doc, "GET", "/things/new")?.operation.operationId).toBe("newThing");
    const match = matchOperation(doc, "GET", "/things/a%2Fb");
    expect(match?.operation.operationId).toBe("getThing");
    expect(match?.pathParams).toEqual({ thing_id: "a/b" });
    expect(matchOperation(doc, "GET", "/things/a/b")).toBeUndefined();
  });

  it("flattens $ref and allOf into the parts that apply at one place", () => {
    const parts = schemaParts(doc, { $ref: "#/components/schemas/Owner" });
    expect(parts.flatMap((p) => (Array.isArray(p.required) ? p.required : []))).toEqual(["email"]);
  });
});

describe("coverage", () => {
  it("maps a status to the declared key it falls under", () => {
    expect(declaredKey(["200", "4XX", "default"], 404)).toBe("4XX");
    expect(declaredKey(["200", "default"], 503)).toBe("default");
    expect(declaredKey(["200"], 500)).toBeUndefined();
  });

  it("prints ✓ for a received status, · for a missing one, and the totals", () => {
    const { text, totals } = coverageMatrix("fixture", miniSpec(), [
      { api: "fixture", operationId: "putThing", status: 200 },
      { api: "fixture", operationId: "putThing", status: 422 },
      { api: "fixture", operationId: "getThing", status: 500 },
      { api: "other", operationId: "getThing", status: 200 },
    ]);
    const rows = text.split("\n");
    expect(rows[1]).toMatch(/^operation\s+200\s+204\s+4XX\s+covered$/);
    expect(rows.find((r) => r.startsWith("putThing"))).toMatch(/✓\s+✓\s+2\/2$/);
    expect(rows.find((r) => r.startsWith("getThing"))).toMatch(/·\s+0\/1$/);
    expect(totals).toEqual({ covered: 2, declared: 4 });
    expect(text).toContain("received but not declared: getThing 500");
  });
});

function miniSpec(): OpenApiDoc {
  const ok = { "200": { description: "OK" } };
  return {
    openapi: "3.1.0",
    paths: {
      "/things/{thing_id}": {
        parameters: [{ $ref: "#/components/parameters/ThingId" }],
        get: {
          operationId: "getThing",
          parameters: [{ name: "verbose", in: "query", schema: { type: "string" } }],
          responses: ok,
        },
        put: { operationId: "putThing", responses: { ...ok, "4XX": { description: "Client error" } } },
      },
      "/things/new": { get: { operationId: "newThing", responses: { "204": { description: "Nothing" } } } },
    },
    components: {
      parameters: { ThingId: { name: "thing_id", in: "path", required: true, schema: { type: "string" } } },
      schemas: {
        Owner: { allOf: [{ $ref: "#/components/schemas/Person" }, { required: ["email"] }] },
        Person: { type: "object" },
      },
    },
  };
}
