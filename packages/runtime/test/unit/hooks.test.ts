// Hooks: the order and fields of their events, the x-client header, and hooks that throw.
import { afterEach, describe, expect, it, vi } from "vitest";
import { ApiError, createHooks, NetworkError, TimeoutError } from "../../src/index.js";
import { createItemsClient, itemsKeyHeader, type ItemsClientOptions } from "../fixtures/items-client.js";
import {
  fakeClockPerTest,
  observe,
  runClock,
  script,
  until,
  useServers,
  type Fault,
  type LocalServer,
} from "@cx-openapi/devkit/testing";

const operation = "GET /items/{itemId}";
const ok: Fault = { status: 200, headers: { "x-request-id": "req-7" }, body: { itemId: "c-1" } };

// The clock goes back to real time before the servers close (after-each hooks run last first).
const { serve } = useServers();
const clock = fakeClockPerTest();
/** The server of the test's latest `items()` or `serve()`. */
let server: LocalServer | undefined;
afterEach(() => {
  vi.restoreAllMocks();
});

/** A fixture client against a server playing `faults`, whose hooks record `[hook, event]` in order. */
async function items(faults: [Fault, ...Fault[]], options: Partial<ItemsClientOptions> = {}) {
  server = await serve(script(...faults));
  const events: [string, unknown][] = [];
  const hooks = createHooks({
    onRequest: (e) => void events.push(["onRequest", e]),
    onResponse: (e) => void events.push(["onResponse", e]),
    onRetry: (e) => void events.push(["onRetry", e]),
    onError: (e) => void events.push(["onError", e]),
  });
  const client = createItemsClient({
    apiKey: "k3y-123",
    baseUrl: server.url,
    hooks,
    retry: { baseDelayMs: 0 },
    ...options,
  } as ItemsClientOptions);
  const get = () => client.GET("/items/{itemId}", { params: { path: { itemId: "c-1" } } });
  return { client, events, get, url: `${server.url}/items/[redacted]` };
}

describe("hook events", () => {
  it("come in order with their documented fields: request and response per attempt, retry between", async () => {
    const { events, get, url } = await items([{ status: 503 }, ok]);
    await runClock(get());
    const request = [
      "onRequest",
      { operation, url, headers: { "x-client": "items-fixture/1.0.0", [itemsKeyHeader]: "[redacted]" } },
    ];
    expect(events).toEqual([
      request,
      [
        "onResponse",
        { operation, url, status: 503, durationMs: expect.any(Number), attempts: 1, requestId: undefined },
      ],
      ["onRetry", { operation, attempt: 1, reason: "503", delayMs: 0 }],
      request,
      ["onResponse", { operation, url, status: 200, durationMs: expect.any(Number), attempts: 2, requestId: "req-7" }],
    ]);
  });

  it("end with onError, after onResponse, for a non-2xx answer", async () => {
    const { events, get, url } = await items([{ status: 404, headers: { "x-request-id": "req-8" } }]);
    const result = await runClock(get());
    expect(events.map(([hook]) => hook)).toEqual(["onRequest", "onResponse", "onError"]);
    expect(events[1]?.[1]).toEqual({
      operation,
      url,
      status: 404,
      durationMs: expect.any(Number),
      attempts: 1,
      requestId: "req-8",
    });
    const [, error] = events[2] as [string, { operation: string; error: ApiError; durationMs: number }];
    expect(error).toEqual({ operation, error: expect.any(ApiError), durationMs: expect.any(Number) });
    expect(error.error).toMatchObject({ status: 404, requestId: "req-8" });
    expect(result.status).toBe(404);
  });

  it("report network errors as retries, then onError with the NetworkError, and no onResponse", async () => {
    const { events, get } = await items(["reset"]);
    await runClock(get()).catch(() => undefined);
    expect(
      events.map(([hook, e]) => [hook, (e as { reason?: string }).reason ?? (e as { error?: Error }).error?.name]),
    ).toEqual([
      ["onRequest", undefined],
      ["onRetry", "network error"],
      ["onRequest", undefined],
      ["onRetry", "network error"],
      ["onRequest", undefined],
      ["onError", "NetworkError"],
    ]);
    expect((events[5]?.[1] as { error: unknown }).error).toBeInstanceOf(NetworkError);
  });

  it("report a timeout with onError and the TimeoutError", async () => {
    const { events, get } = await items(["hang"], { timeoutMs: 2_000 });
    const call = observe(get());
    await until(() => server?.requests.length === 1);
    await clock.advance(2_000);
    await until(() => call.settled);
    expect(events.map(([hook]) => hook)).toEqual(["onRequest", "onError"]);
    expect(events[1]?.[1]).toEqual({ operation, error: expect.any(TimeoutError), durationMs: expect.any(Number) });
  });
});

describe("x-client", () => {
  it("come only from createHooks or consoleLogger: a plain object is refused, naming them", () => {
    const plain = { onError: () => undefined } as unknown as NonNullable<ItemsClientOptions["hooks"]>;
    expect(() => createItemsClient({ apiKey: "k3y-123", baseUrl: "http://127.0.0.1:9", hooks: plain })).toThrow(
      "items-fixture: hooks must be made by createHooks({ onRequest, ... }) or consoleLogger()",
    );
  });

  it("names the client and its version on every request", async () => {
    const { get } = await items([{ status: 503 }, ok]);
    await runClock(get());
    expect(server?.requests.map((r) => r.headers["x-client"])).toEqual(Array(2).fill("items-fixture/1.0.0"));
  });
});

describe("a hook that throws", () => {
  const throwing = createHooks({
    onRequest: () => {
      throw new Error("onRequest hook failed");
    },
    onResponse: () => {
      throw new Error("onResponse hook failed");
    },
    onRetry: () => {
      throw new Error("onRetry hook failed");
    },
    onError: () => {
      throw new Error("onError hook failed");
    },
  });

  it("is reported with console.warn and breaks neither retries nor the result", async () => {
    const warn = vi.spyOn(console, "warn").mockImplementation(() => undefined);
    server = await serve(script({ status: 503 }, ok));
    const client = createItemsClient({
      apiKey: "k3y-123",
      baseUrl: server.url,
      hooks: throwing,
      retry: { baseDelayMs: 0 },
    });
    const { data } = await runClock(client.GET("/items/{itemId}", { params: { path: { itemId: "c" } } }));
    expect(data).toEqual({ itemId: "c-1" });
    expect(server.requests).toHaveLength(2);
    expect(warn.mock.calls.map(([message, error]) => [message, (error as Error).message])).toEqual(
      ["onRequest", "onResponse", "onRetry", "onRequest", "onResponse"].map((hook) => [
        "cx-openapi: a hook threw; the call goes on",
        `${hook} hook failed`,
      ]),
    );
  });

  it("does not replace the ApiError a call throws", async () => {
    vi.spyOn(console, "warn").mockImplementation(() => undefined);
    server = await serve(script({ status: 404 }));
    const client = createItemsClient({ apiKey: "k3y-123", baseUrl: server.url, hooks: throwing, throwOnError: true });
    const call = client.GET("/items/{itemId}", { params: { path: { itemId: "c" } } });
    await expect(runClock(call)).rejects.toMatchObject({ name: "ApiError", status: 404 });
  });

  it("is also reported when it is async and its promise rejects", async () => {
    const warn = vi.spyOn(console, "warn").mockImplementation(() => undefined);
    const failure = new Error("async hook failed");
    // Stands for the promise an async hook returns; it rejects only when listened to, so this test
    // cannot itself leave an unhandled rejection behind.
    const rejected: PromiseLike<never> = {
      then: (_onFulfilled, onRejected) => (onRejected?.(failure), rejected) as never,
    };
    server = await serve(script(ok));
    const client = createItemsClient({
      apiKey: "k3y-123",
      baseUrl: server.url,
      hooks: createHooks({ onResponse: () => rejected as unknown as void }),
    });
    const { data } = await runClock(client.GET("/items/{itemId}", { params: { path: { itemId: "c" } } }));
    expect(data).toEqual({ itemId: "c-1" });
    await new Promise((resolve) => setImmediate(resolve)); // a rejection handler runs by then
    expect(warn).toHaveBeenCalledWith("cx-openapi: a hook threw; the call goes on", failure);
  });
});
