import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  createContract,
  credentialsFor,
  expectFieldByField,
  isPublic,
  successStatus,
  withHeader,
} from "../../src/contract.js";
import { namesField, violationsOf } from "../../src/contract-suites.js";
import { listOperations, type OpenApiDoc, type Operation } from "@cx-openapi/spec";
import { requestViolations, type ViolationCase } from "../../src/violations.js";
import { startLocalServer, type LocalServer } from "@cx-openapi/devkit/testing";

const ok = { "200": { description: "ok" } };

function miniSpec(
  security: unknown[] | undefined,
  scheme: Record<string, unknown> = { type: "http", scheme: "bearer" },
): OpenApiDoc {
  return {
    openapi: "3.1.0",
    ...(security ? { security } : {}),
    paths: {
      "/open": { get: { operationId: "open", security: [{}], responses: ok } },
      "/none": { get: { operationId: "none", security: [], responses: ok } },
      "/inherits": {
        get: {
          operationId: "inherits",
          responses: { "201": { description: "created" }, "400": { description: "bad" } },
        },
      },
      "/two": { get: { operationId: "two", responses: { ...ok, "201": { description: "created" } } } },
    },
    components: { securitySchemes: { Main: scheme } },
  };
}

const op = (doc: OpenApiDoc, id: string) => listOperations(doc).find((o) => o.operationId === id) as Operation;

describe("contract helpers", () => {
  it("reads from the security requirements whether an operation needs credentials", () => {
    const doc = miniSpec([{ Main: [] }]);
    expect(isPublic(doc, op(doc, "open"))).toBe(true);
    expect(isPublic(doc, op(doc, "none"))).toBe(true);
    expect(isPublic(doc, op(doc, "inherits"))).toBe(false);
    expect(isPublic(miniSpec(undefined), op(miniSpec(undefined), "inherits"))).toBe(true);
  });

  it("derives how the secret travels from the spec's security scheme", () => {
    expect(credentialsFor(miniSpec(undefined), "t")).toEqual({
      header: "authorization",
      value: "Bearer t",
      name: "a bearer token",
    });
    const apiKey = miniSpec(undefined, { type: "apiKey", in: "header", name: "x-key" });
    expect(credentialsFor(apiKey, "k")).toEqual({ header: "x-key", value: "k", name: "the API key" });
    expect(() => credentialsFor(miniSpec(undefined, { type: "apiKey", in: "query", name: "key" }), "k")).toThrow(
      /one apiKey-in-header or bearer/,
    );
  });

  it("takes the one declared 2xx as the success status", () => {
    const doc = miniSpec(undefined);
    expect(successStatus(op(doc, "inherits"))).toBe("201");
    expect(() => successStatus(op(doc, "two"))).toThrow(/declares 2 2xx statuses/);
  });

  it("names the first field that differs from the example", () => {
    expect(() => expectFieldByField({ a: { b: [1, 2] } }, { a: { b: [1, 2] } })).not.toThrow();
    expect(() => expectFieldByField({ a: { b: [1, 3] } }, { a: { b: [1, 2] } })).toThrow(/data\.a\.b\[1\]/);
    expect(() => expectFieldByField({ a: 1, extra: 2 }, { a: 1 })).toThrow(/data has exactly the example's fields/);
  });

  it("sets or removes a header on the way out", async () => {
    const seen: (string | null)[] = [];
    const stub = async (request: Request) => {
      seen.push(request.headers.get("authorization"));
      return new Response(null, { status: 204 });
    };
    const request = () => new Request("http://127.0.0.1/", { headers: { authorization: "Bearer a" } });
    await withHeader(stub, "authorization", "Basic x")(request());
    await withHeader(stub, "authorization", null)(request());
    expect(seen).toEqual(["Basic x", null]);
  });
});

describe("matching Prism's violations to a generated case", () => {
  const doc: OpenApiDoc = {
    openapi: "3.1.0",
    paths: {
      "/things/{thingId}": {
        post: {
          operationId: "postThing",
          parameters: [{ name: "thingId", in: "path", required: true, schema: { type: "string", format: "uuid" } }],
          requestBody: {
            required: true,
            content: {
              "application/json": {
                schema: { type: "object", required: ["name"], properties: { name: { type: "string" } } },
              },
            },
          },
          responses: ok,
        },
      },
    },
  };
  const { cases } = requestViolations(doc, "postThing");
  const find = (title: string) => cases.find((c) => c.title.includes(title)) as ViolationCase;

  it("folds the case of path parameter names, which Prism reports in lower case", () => {
    const c = find("path thingId breaks format");
    expect(namesField({ location: ["request", "path", "thingid"], code: "format" }, c)).toBe(true);
    expect(namesField({ location: ["request", "path", "other"], code: "format" }, c)).toBe(false);
  });

  it("accepts a violation at the parent that names the field", () => {
    const c = find("body name breaks required");
    expect(
      namesField({ location: ["request", "body"], code: "required", message: "must have required property 'name'" }, c),
    ).toBe(true);
    expect(
      namesField(
        { location: ["request", "body"], code: "required", message: "must have required property 'other'" },
        c,
      ),
    ).toBe(false);
  });

  it("reads the sl-violations header", () => {
    const response = new Response(null, {
      headers: { "sl-violations": JSON.stringify([{ location: ["request"], code: 401 }]) },
    });
    expect(violationsOf(response)).toEqual([{ location: ["request"], code: 401 }]);
    expect(violationsOf(new Response(null))).toEqual([]);
  });
});

describe("the checked fetch", () => {
  let server: LocalServer;
  let baseUrl: string;
  let dir: string;

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), "cx-contract-test-"));
    // Answers a status no Relay operation declares.
    server = await startLocalServer((_request, res) => res.writeHead(418).end());
    baseUrl = server.url;
  });

  afterAll(async () => {
    await server.close();
    rmSync(dir, { recursive: true, force: true });
  });

  const contract = () =>
    createContract({
      api: "relay-cdm",
      secret: "k",
      mockUrl: baseUrl,
      coverageFile: join(dir, "coverage.jsonl"),
      createClient: () => ({ request: undefined }),
    });

  it("refuses any host but loopback", async () => {
    await expect(
      contract().checkedFetch("https://example.com")(new Request("https://example.com/cdm/client/a/customer/b")),
    ).rejects.toThrow(/Refusing to call https:\/\/example.com/);
  });

  it("fails a response the spec does not declare", async () => {
    await expect(contract().checkedFetch(baseUrl)(new Request(`${baseUrl}/cdm/client/a/customer/b`))).rejects.toThrow(
      /status 418 is not declared/,
    );
  });

  it("fails a request that matches no operation", async () => {
    await expect(contract().checkedFetch(baseUrl)(new Request(`${baseUrl}/nowhere`))).rejects.toThrow(
      /matches no operation/,
    );
  });
});
