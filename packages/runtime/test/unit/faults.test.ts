// Fault injection through the fixture API's client against a local node:http server: resets, hangs,
// retryable statuses, Retry-After, opt-in retries of POST, fresh bodies, attempts and cancellation.
// All waiting is on a fake clock (setTimeout, clearTimeout and Date only), so no test sleeps.
import { describe, expect, it, vi } from "vitest";
import { ApiError, createHooks, NetworkError, TimeoutError, type RetryEvent } from "../../src/index.js";
import { createItemsClient, type ItemsClientOptions } from "../fixtures/items-client.js";
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

const path = { itemId: "it-11984-007" };
const item = { itemId: "it-11984-007", name: "Roger" };
const ok: Fault = { status: 200, body: item };
const unavailable = (retryAfter?: string): Fault => ({
  status: 503,
  ...(retryAfter ? { headers: { "retry-after": retryAfter } } : {}),
});

// The clock goes back to real time before the servers close (after-each hooks run last first).
const { serve } = useServers();
const clock = fakeClockPerTest();
/** The server of the test's latest `items()`. */
let server: LocalServer | undefined;

/** A fixture client against a local server that plays `faults`, one per request. */
async function items(faults: [Fault, ...Fault[]], options: Partial<ItemsClientOptions<boolean>> = {}) {
  server = await serve(script(...faults));
  return createItemsClient({ apiKey: "test-key", baseUrl: server.url, ...options } as ItemsClientOptions);
}
const requests = () => server?.requests.length ?? 0;

const getItem = (client: Awaited<ReturnType<typeof items>>, init: { signal?: AbortSignal; retry?: boolean } = {}) =>
  client.GET("/items/{itemId}", { params: { path }, ...init });

const createItem = (client: Awaited<ReturnType<typeof items>>, init: { retry?: boolean } = {}) =>
  client.POST("/items", {
    body: { name: item.name },
    ...init,
  });

describe("connection reset", () => {
  it("is retried for a GET", async () => {
    const client = await items(["reset", ok]);
    const { data, response } = await runClock(getItem(client));
    expect(response.status).toBe(200);
    expect(data).toEqual(item);
    expect(requests()).toBe(2);
  });

  it("becomes a NetworkError, after every attempt, when it persists", async () => {
    const client = await items(["reset"]);
    const error = await runClock(getItem(client)).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(NetworkError);
    expect(error).not.toBeInstanceOf(ApiError);
    expect(error).not.toBeInstanceOf(TimeoutError);
    expect(error).toMatchObject({
      name: "NetworkError",
      operation: { method: "GET", path: "/items/{itemId}" },
      attempts: 3,
    });
    expect((error as Error).message).toMatch(/^GET \/items\/\{itemId\} failed: .+ \(after 3 attempts\)$/);
    expect(requests()).toBe(3);
  });

  it("is not retried for a POST", async () => {
    const client = await items(["reset", ok]);
    await expect(runClock(createItem(client))).rejects.toMatchObject({ name: "NetworkError", attempts: 1 });
    expect(requests()).toBe(1);
  });
});

describe("a server that never answers", () => {
  it("gives a TimeoutError when timeoutMs has passed", async () => {
    const client = await items(["hang"], { timeoutMs: 5_000 });
    const call = observe(getItem(client));
    await until(() => requests() === 1);
    await clock.settlesAfter(call, 5_000);
    expect(call.error).toBeInstanceOf(TimeoutError);
    expect(call.error).not.toBeInstanceOf(NetworkError);
    expect(call.error).toMatchObject({ timeoutMs: 5_000, attempts: 1 });
    expect((call.error as Error).message).toBe("GET /items/{itemId} timed out after 5000 ms (1 attempt)");
  });

  it("times out after 30 s by default", async () => {
    const client = await items(["hang"]);
    const call = observe(getItem(client));
    await until(() => requests() === 1);
    await clock.settlesAfter(call, 30_000);
    expect(call.error).toMatchObject({ name: "TimeoutError", timeoutMs: 30_000 });
  });

  it("is bounded by one timeout for the whole call, retries and their waits included", async () => {
    const client = await items([unavailable("3"), "hang"], { timeoutMs: 5_000 });
    const call = observe(getItem(client));
    await clock.untilScheduled(3_000);
    await clock.advance(3_000);
    await until(() => requests() === 2);
    // 5 s since the call began; a per-attempt timeout would wait until 8 s.
    await clock.settlesAfter(call, 2_000);
    expect(call.error).toBeInstanceOf(TimeoutError);
    expect(call.error).toMatchObject({ timeoutMs: 5_000, attempts: 2 });
  });
});

describe("503 with Retry-After", () => {
  /** Checks the client waits exactly `ms` before the second attempt, then returns its data. */
  async function expectWait(client: Awaited<ReturnType<typeof items>>, ms: number) {
    const call = observe(getItem(client));
    await clock.untilScheduled(ms);
    await clock.advance(ms - 1);
    expect(requests()).toBe(1);
    await clock.advance(1);
    await until(() => call.settled);
    expect(requests()).toBe(2);
    expect(call.value).toMatchObject({ status: 200, data: item });
  }

  it("in seconds: waits that long, then succeeds", async () => {
    await expectWait(await items([unavailable("3"), ok]), 3_000);
  });

  it("as an HTTP date: waits until then, then succeeds", async () => {
    const at = new Date(Date.now() + 7_000).toUTCString();
    await expectWait(await items([unavailable(at), ok]), 7_000);
  });

  it("never waits longer than maxDelayMs", async () => {
    await expectWait(await items([unavailable("120"), ok], { retry: { maxDelayMs: 4_500 } }), 4_500);
  });
});

describe("a wait that would pass the deadline", () => {
  /** Hooks that record each retry the client schedules. */
  function retryLog() {
    const retries: RetryEvent[] = [];
    return { retries, hooks: createHooks({ onRetry: (e) => void retries.push(e) }) };
  }

  it("is not scheduled: the 503 is the result at once, after one attempt, without onRetry", async () => {
    const log = retryLog();
    const client = await items([unavailable("2"), ok], { timeoutMs: 1_500, hooks: log.hooks });
    const call = observe(getItem(client));
    await until(() => call.settled, "the 503 to be returned without any wait"); // no time moves
    expect(call.error).toBeUndefined();
    expect(call.value).toMatchObject({ status: 503 });
    expect(log.retries).toEqual([]);
    expect(requests()).toBe(1);
  });

  it("is not scheduled with throwOnError either: the 503's ApiError is thrown at once, not a TimeoutError", async () => {
    const client = await items([unavailable("2"), ok], { timeoutMs: 1_500, throwOnError: true });
    const call = observe(getItem(client));
    await until(() => call.settled, "the ApiError to be thrown without any wait");
    expect(call.error).toBeInstanceOf(ApiError);
    expect(call.error).not.toBeInstanceOf(TimeoutError);
    expect(call.error).toMatchObject({ status: 503, retryable: true });
    expect(requests()).toBe(1);
  });

  it("is not scheduled after a network error: its NetworkError is thrown at once, after one attempt", async () => {
    vi.spyOn(Math, "random").mockReturnValue(0.5);
    try {
      const log = retryLog();
      // A backoff of 0.5 × 4 000 ms: 2 000 ms, past the 1 500 ms deadline.
      const client = await items(["reset", ok], { timeoutMs: 1_500, retry: { baseDelayMs: 4_000 }, hooks: log.hooks });
      const call = observe(getItem(client));
      await until(() => call.settled, "the NetworkError to be thrown without any wait");
      expect(call.error).toBeInstanceOf(NetworkError);
      expect(call.error).toMatchObject({ attempts: 1 });
      expect(log.retries).toEqual([]);
    } finally {
      vi.mocked(Math.random).mockRestore();
    }
  });

  it("is scheduled when it fits: Retry-After: 0 with a long deadline is retried", async () => {
    const log = retryLog();
    const client = await items([unavailable("0"), ok], { timeoutMs: 30_000, hooks: log.hooks });
    const { status, data } = await runClock(getItem(client));
    expect([status, data]).toEqual([200, item]);
    expect(log.retries).toMatchObject([{ attempt: 1, reason: "503", delayMs: 0 }]);
    expect(requests()).toBe(2);
  });
});

describe("which failures are retried", () => {
  it("429 is retried", async () => {
    const client = await items([{ status: 429 }, ok]);
    expect((await runClock(getItem(client))).response.status).toBe(200);
    expect(requests()).toBe(2);
  });

  it("500 on a POST is not retried, even with retryOn500", async () => {
    for (const retry of [undefined, { retryOn500: true }]) {
      const client = await items([{ status: 500, body: { message: "boom" } }, ok], retry ? { retry } : {});
      const { response, error } = await runClock(createItem(client));
      expect(response.status).toBe(500);
      expect(error).toEqual({ message: "boom" });
      expect(requests()).toBe(1);
    }
  });

  it("500 on a GET is retried only with retryOn500", async () => {
    let client = await items([{ status: 500 }, ok]);
    expect((await runClock(getItem(client))).response.status).toBe(500);
    expect(requests()).toBe(1);

    client = await items([{ status: 500 }, ok], { retry: { retryOn500: true } });
    expect((await runClock(getItem(client))).response.status).toBe(200);
    expect(requests()).toBe(2);
  });

  it("503 on a POST is retried only when the call opts in with retry: true", async () => {
    let client = await items([unavailable(), ok]);
    expect((await runClock(createItem(client))).response.status).toBe(503);
    expect(requests()).toBe(1);

    client = await items([unavailable(), ok]);
    expect((await runClock(createItem(client, { retry: true }))).response.status).toBe(200);
    expect(requests()).toBe(2);
  });

  it("a GET is not retried when the call says retry: false", async () => {
    const client = await items([unavailable(), ok]);
    expect((await runClock(getItem(client, { retry: false }))).response.status).toBe(503);
    expect(requests()).toBe(1);
  });
});

describe("retries", () => {
  it("return the data after two failures; the server saw three requests", async () => {
    const client = await items([unavailable(), { status: 502 }, ok]);
    const { data, error, response } = await runClock(getItem(client));
    expect(response.status).toBe(200);
    expect(data).toEqual(item);
    expect(error).toBeUndefined();
    expect(requests()).toBe(3);
  });

  it("send a fresh copy of the body each attempt", async () => {
    const client = await items([unavailable(), "reset", { status: 200, body: { message: "ok" } }]);
    const body = { name: "Roger", email: "roger@example.test", note: "kiosk" };
    const { response } = await runClock(
      client.PUT("/items/{itemId}", {
        params: { path },
        body,
      }),
    );
    expect(response.status).toBe(200);
    expect(server?.requests.map((r) => [r.method, r.headers["content-type"], r.body])).toEqual(
      Array(3).fill(["PUT", "application/json", JSON.stringify(body)]),
    );
  });

  it("send a fresh copy of a POST body when the call opts in", async () => {
    const client = await items([unavailable(), unavailable(), { status: 202, body: { message: "Accepted" } }]);
    const { data } = await runClock(createItem(client, { retry: true }));
    expect(data).toEqual({ message: "Accepted" });
    const sent = JSON.stringify({ name: item.name });
    expect(server?.requests.map((r) => r.body)).toEqual([sent, sent, sent]);
  });

  it("stop at maxAttempts", async () => {
    let client = await items([unavailable()], { retry: { maxAttempts: 5 } });
    expect((await runClock(getItem(client))).response.status).toBe(503);
    expect(requests()).toBe(5);

    client = await items([unavailable()], { retry: { maxAttempts: 1 } });
    expect((await runClock(getItem(client))).response.status).toBe(503);
    expect(requests()).toBe(1);

    client = await items([unavailable()], { retry: false });
    expect((await runClock(getItem(client))).response.status).toBe(503);
    expect(requests()).toBe(1);
  });

  it("are cancelled at once by the caller's AbortSignal, with the caller's reason", async () => {
    const client = await items([unavailable("10"), ok]);
    const controller = new AbortController();
    const call = observe(getItem(client, { signal: controller.signal }));
    await clock.untilScheduled(10_000);
    const reason = new Error("the user left the page");
    controller.abort(reason);
    await until(() => call.settled); // no time moves: the pending wait is cut short
    expect(call.error).toBe(reason);
    await clock.advance(60_000);
    expect(requests()).toBe(1);
  });
});
