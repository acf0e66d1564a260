// Redacted forms of errors and hook events, on the fixture API (personal: name, email, itemId):
// the raw body stays for programs, personal path segments and fields are masked, the rest is kept.
// The secrets test of each real client lives in its package (test/redaction.test.ts).
import { inspect } from "node:util";
import { describe, expect, it } from "vitest";
import { NetworkError, unwrap, type ApiError } from "../../src/index.js";
import { createItemsClient, itemsKeyHeader } from "../fixtures/items-client.js";
import { expectNothingLeaks, person, printed, recorder, secrets, useServers } from "@cx-openapi/devkit/testing";

const { echo } = useServers();

describe("redacted forms", () => {
  it("keep the raw body for programs, off the enumerable surface", async () => {
    const server = await echo(() => 400);
    const items = createItemsClient({ apiKey: secrets.apiKey, baseUrl: server.url, throwOnError: true });
    const error = (await items
      .PUT("/items/{itemId}", { params: { path: { itemId: person.ccid } }, body: { name: person.firstName } })
      .catch((e: unknown) => e)) as ApiError<{ path: string; seen_key: string }>;
    expect(error.body.path).toBe(`/items/${person.ccid}`);
    expect(error.body.seen_key).toBe(secrets.apiKey);
    for (const key of ["body", "response"]) {
      expect(Object.getOwnPropertyDescriptor(error, key)?.enumerable).toBe(false);
    }
    expect(Object.keys(error)).not.toContain("body");
    expect(inspect(error, { depth: 10 })).not.toContain("seen_key");
  });

  it("mask a personal path segment whatever characters it holds", async () => {
    const server = await echo(() => 404);
    const log = recorder();
    const items = createItemsClient({ apiKey: secrets.apiKey, baseUrl: server.url, hooks: log.hooks });
    const itemId = "BAK/11984 007#?x"; // percent-encoded in the URL, partly decoded for display
    const error = await unwrap(items.GET("/items/{itemId}", { params: { path: { itemId } } })).catch((e: unknown) => e);
    expect(server.requests[0]?.url).toBe(`/items/${encodeURIComponent(itemId)}`);
    const url = `${server.url}/items/[redacted]`;
    expect(log.events.slice(0, 2)).toEqual([
      expect.objectContaining({ url }),
      expect.objectContaining({ url, status: 404 }),
    ]);
    for (const text of [...printed(error), ...log.printed()]) expect(text).not.toContain("11984");
  });

  it("keep the operation, the status and the non-personal data", async () => {
    const server = await echo(() => 400);
    const log = recorder();
    const items = createItemsClient({ apiKey: secrets.apiKey, baseUrl: server.url, hooks: log.hooks });
    const result = await items.POST("/items", {
      body: { name: person.lastName, email: person.email, note: "default" },
    });
    const error = (await unwrap(result).catch((e: unknown) => e)) as ApiError;
    expect(error.message).toBe("POST /items answered 400");
    expect(JSON.parse(JSON.stringify(error))).toEqual({
      name: "ApiError",
      message: "POST /items answered 400",
      status: 400,
      operation: { method: "POST", path: "/items" },
      retryable: false,
      body: {
        message: "cannot process POST /items",
        path: "/items",
        request: { name: "[redacted]", email: "[redacted]", note: "default" },
        seen_key: "[redacted]",
      },
    });
    const inspected = inspect(error, { depth: 10 });
    for (const part of ["ApiError", "status: 400", "POST /items answered 400"]) expect(inspected).toContain(part);

    const put = await unwrap(
      items.PUT("/items/{itemId}", { params: { path: { itemId: person.ccid } }, body: { name: "x" } }),
    ).catch((e: unknown) => e);
    expect(JSON.parse(JSON.stringify(put)).body.path).toBe("/items/[redacted]");
    const url = `${server.url}/items/[redacted]`;
    expect(log.events).toContainEqual({
      operation: "PUT /items/{itemId}",
      url,
      headers: expect.objectContaining({ [itemsKeyHeader]: "[redacted]", "x-client": "items-fixture/1.0.0" }),
    });
    expect(log.lines).toContain(`→ PUT /items/{itemId} ${url}`);
    expect(log.lines).toContain("✖ PUT /items/{itemId} answered 400");
  });
});

describe("a network error's cause", () => {
  /** What a fetch (or a library under it) may throw, holding the credential of `request` in a field, an error list or its text. */
  const throws: Record<string, (request: Request, credential: string) => unknown> = {
    "an axios-style error with config.headers": (_request, credential) =>
      Object.assign(new Error("Network Error"), {
        code: "ERR_NETWORK",
        config: { headers: { [itemsKeyHeader]: credential, authorization: `Bearer ${credential}` } },
      }),
    "an error with the request attached": (request) =>
      Object.assign(new TypeError("fetch failed"), { request, cause: { code: "ECONNRESET", request } }),
    "an AggregateError of such errors": (request, credential) =>
      new AggregateError(
        [
          Object.assign(new Error("connect ECONNREFUSED"), {
            code: "ECONNREFUSED",
            config: { headers: { credential } },
          }),
          Object.assign(new Error("connect ETIMEDOUT"), { request }),
        ],
        "every address failed",
      ),
    "a thrown string quoting it": (_request, credential) => `socket hang up (sent ${credential})`,
  };
  const credentials = [
    ["the API key", { apiKey: secrets.apiKey }, secrets.apiKey],
    ["a bearer token", { token: secrets.bearerToken }, secrets.bearerToken],
  ] as const;

  for (const [kind, make] of Object.entries(throws)) {
    for (const [credentialName, auth, credential] of credentials) {
      it(`is a scrubbed copy for ${kind}, holding ${credentialName}, on every surface`, async () => {
        const log = recorder();
        const items = createItemsClient({
          ...auth,
          baseUrl: "http://127.0.0.1:9",
          retry: false,
          hooks: log.hooks,
          fetch: (request: Request) => Promise.reject(make(request, credential)),
        });
        const error = (await items
          .GET("/items/{itemId}", { params: { path: { itemId: "it-1" } } })
          .catch((e: unknown) => e)) as NetworkError;
        expect(error).toBeInstanceOf(NetworkError);
        const { cause } = error;
        expectNothingLeaks([
          ...printed(error),
          inspect(error, { depth: Number.POSITIVE_INFINITY, showHidden: true }),
          inspect(cause, { depth: Number.POSITIVE_INFINITY, showHidden: true }),
          JSON.stringify(cause) ?? "",
          String(cause),
          ...log.printed(),
        ]);
      });
    }
  }

  it("keeps the name, the message, the code and the causes of what fetch threw, redacted", async () => {
    const failing = new AggregateError(
      [Object.assign(new Error("connect ECONNREFUSED 127.0.0.1:9"), { code: "ECONNREFUSED", errno: -111 })],
      `no route for ${secrets.apiKey}`,
      { cause: Object.assign(new RangeError("inner"), { syscall: "connect" }) },
    );
    const items = createItemsClient({
      apiKey: secrets.apiKey,
      baseUrl: "http://127.0.0.1:9",
      retry: false,
      fetch: () => Promise.reject(failing),
    });
    const error = (await items
      .GET("/items/{itemId}", { params: { path: { itemId: "it-1" } } })
      .catch((e: unknown) => e)) as NetworkError;
    const cause = error.cause as AggregateError;
    expect(cause).toBeInstanceOf(AggregateError);
    expect(cause).toMatchObject({ name: "AggregateError", message: "no route for [redacted]" });
    expect(cause.errors).toEqual([
      expect.objectContaining({ message: "connect ECONNREFUSED 127.0.0.1:9", code: "ECONNREFUSED", errno: -111 }),
    ]);
    expect(cause.cause).toBeInstanceOf(RangeError);
    expect(cause.cause).toMatchObject({ message: "inner", syscall: "connect" });
  });

  it("is bounded in depth and safe with cycles", async () => {
    const looped = new AggregateError([], `looped ${secrets.apiKey}`);
    Object.assign(looped, { cause: looped, errors: [looped, looped] });
    const items = createItemsClient({
      apiKey: secrets.apiKey,
      baseUrl: "http://127.0.0.1:9",
      retry: false,
      fetch: () => Promise.reject(looped),
    });
    const error = (await items
      .GET("/items/{itemId}", { params: { path: { itemId: "it-1" } } })
      .catch((e: unknown) => e)) as NetworkError;
    let depth = 0;
    for (let cause = error.cause as Error | undefined; cause && depth < 100; cause = cause.cause as Error | undefined)
      depth++;
    expect(depth).toBeLessThanOrEqual(5);
    expectNothingLeaks([inspect(error, { depth: Number.POSITIVE_INFINITY }), JSON.stringify(error.cause)]);
  });
});
