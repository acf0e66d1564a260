// Redacted forms of errors and hook events, on the fixture API (personal: name, email, itemId):
// the raw body stays for programs, personal path segments and fields are masked, the rest is kept.
// The secrets test of each real client lives in its package (test/redaction.test.ts).
import { inspect } from "node:util";
import { describe, expect, it } from "vitest";
import { unwrap, type ApiError } from "../src/index.js";
import { createItemsClient, itemsKeyHeader } from "./fixtures/items-client.js";
import { person, printed, recorder, secrets, useServers } from "./leak-check.js";

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
