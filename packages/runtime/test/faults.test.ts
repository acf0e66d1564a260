// Fault injection through the real Relay client against a local node:http server: resets, hangs,
// retryable statuses, Retry-After, opt-in retries of POST, fresh bodies, attempts and cancellation.
// All waiting is on a fake clock (setTimeout, clearTimeout and Date only), so no test sleeps.
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { createRelayCdmClient, type RelayCdmClientOptions } from "../../relay-cdm/src/index.js";
import { ApiError, NetworkError, TimeoutError } from "../src/index.js";
import { observe, runClock, until, useFakeClock } from "./fake-clock.js";
import { script, startLocalServer, type Fault, type LocalServer } from "./local-server.js";

const path = { client_id: "relay_developer", ccid: "BAK-11984-007" };
const customer = { ccid: "BAK-11984-007", first_name: "Roger" };
const ok: Fault = { status: 200, body: customer };
const unavailable = (retryAfter?: string): Fault => ({ status: 503, ...(retryAfter ? { headers: { "retry-after": retryAfter } } : {}) });

let server: LocalServer | undefined;
let clock: ReturnType<typeof useFakeClock>;

beforeEach(() => {
  clock = useFakeClock();
});
afterEach(async () => {
  clock.restore();
  await server?.close();
  server = undefined;
});

/** A Relay client against a local server that plays `faults`, one per request. */
async function relay(faults: [Fault, ...Fault[]], options: Partial<RelayCdmClientOptions> = {}) {
  server = await startLocalServer(script(...faults));
  return createRelayCdmClient({ apiKey: "test-key", baseUrl: server.url, ...options } as RelayCdmClientOptions);
}
const requests = () => server?.requests.length ?? 0;

const getCustomer = (client: Awaited<ReturnType<typeof relay>>, init: { signal?: AbortSignal; retry?: boolean } = {}) =>
  client.GET("/cdm/client/{client_id}/customer/{ccid}", { params: { path }, ...init });

const onboard = (client: Awaited<ReturnType<typeof relay>>, init: { retry?: boolean } = {}) =>
  client.POST("/cdm/client/{client_id}/onboard", {
    params: { path: { client_id: path.client_id } },
    body: { product_group_id: "default", customer: { ccid: customer.ccid } },
    ...init,
  });

describe("connection reset", () => {
  it("is retried for a GET", async () => {
    const client = await relay(["reset", ok]);
    const { data, response } = await runClock(getCustomer(client));
    expect(response.status).toBe(200);
    expect(data).toEqual(customer);
    expect(requests()).toBe(2);
  });

  it("becomes a NetworkError, after every attempt, when it persists", async () => {
    const client = await relay(["reset"]);
    const error = await runClock(getCustomer(client)).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(NetworkError);
    expect(error).not.toBeInstanceOf(ApiError);
    expect(error).not.toBeInstanceOf(TimeoutError);
    expect(error).toMatchObject({
      name: "NetworkError",
      operation: { method: "GET", path: "/cdm/client/{client_id}/customer/{ccid}" },
      attempts: 3,
    });
    expect((error as Error).message).toMatch(/^GET \/cdm\/client\/\{client_id\}\/customer\/\{ccid\} failed: .+ \(after 3 attempts\)$/);
    expect(requests()).toBe(3);
  });

  it("is not retried for a POST", async () => {
    const client = await relay(["reset", ok]);
    await expect(runClock(onboard(client))).rejects.toMatchObject({ name: "NetworkError", attempts: 1 });
    expect(requests()).toBe(1);
  });
});

describe("a server that never answers", () => {
  it("gives a TimeoutError when timeoutMs has passed", async () => {
    const client = await relay(["hang"], { timeoutMs: 5_000 });
    const call = observe(getCustomer(client));
    await until(() => requests() === 1);
    await clock.advance(4_999);
    expect(call.settled).toBe(false);
    await clock.advance(1);
    await until(() => call.settled);
    expect(call.error).toBeInstanceOf(TimeoutError);
    expect(call.error).not.toBeInstanceOf(NetworkError);
    expect(call.error).toMatchObject({ timeoutMs: 5_000, attempts: 1 });
    expect((call.error as Error).message).toBe("GET /cdm/client/{client_id}/customer/{ccid} timed out after 5000 ms (1 attempt)");
  });

  it("times out after 30 s by default", async () => {
    const client = await relay(["hang"]);
    const call = observe(getCustomer(client));
    await until(() => requests() === 1);
    await clock.advance(29_999);
    expect(call.settled).toBe(false);
    await clock.advance(1);
    await until(() => call.settled);
    expect(call.error).toMatchObject({ name: "TimeoutError", timeoutMs: 30_000 });
  });

  it("is bounded by one timeout for the whole call, retries and their waits included", async () => {
    const client = await relay([unavailable("3"), "hang"], { timeoutMs: 5_000 });
    const call = observe(getCustomer(client));
    await clock.untilScheduled(3_000);
    await clock.advance(3_000);
    await until(() => requests() === 2);
    await clock.advance(1_999); // 5 s since the call began; a per-attempt timeout would wait until 8 s
    expect(call.settled).toBe(false);
    await clock.advance(1);
    await until(() => call.settled);
    expect(call.error).toBeInstanceOf(TimeoutError);
    expect(call.error).toMatchObject({ timeoutMs: 5_000, attempts: 2 });
  });
});

describe("503 with Retry-After", () => {
  /** Checks the client waits exactly `ms` before the second attempt, then returns its data. */
  async function expectWait(client: Awaited<ReturnType<typeof relay>>, ms: number) {
    const call = observe(getCustomer(client));
    await clock.untilScheduled(ms);
    await clock.advance(ms - 1);
    expect(requests()).toBe(1);
    await clock.advance(1);
    await until(() => call.settled);
    expect(requests()).toBe(2);
    expect(call.value).toMatchObject({ status: 200, data: customer });
  }

  it("in seconds: waits that long, then succeeds", async () => {
    await expectWait(await relay([unavailable("3"), ok]), 3_000);
  });

  it("as an HTTP date: waits until then, then succeeds", async () => {
    const at = new Date(Date.now() + 7_000).toUTCString();
    await expectWait(await relay([unavailable(at), ok]), 7_000);
  });

  it("never waits longer than maxDelayMs", async () => {
    await expectWait(await relay([unavailable("120"), ok], { retry: { maxDelayMs: 4_500 } }), 4_500);
  });
});

describe("which failures are retried", () => {
  it("429 is retried", async () => {
    const client = await relay([{ status: 429 }, ok]);
    expect((await runClock(getCustomer(client))).response.status).toBe(200);
    expect(requests()).toBe(2);
  });

  it("500 on a POST is not retried, even with retryOn500", async () => {
    for (const retry of [undefined, { retryOn500: true }]) {
      const client = await relay([{ status: 500, body: { message: "boom" } }, ok], retry ? { retry } : {});
      const { response, error } = await runClock(onboard(client));
      expect(response.status).toBe(500);
      expect(error).toEqual({ message: "boom" });
      expect(requests()).toBe(1);
      await server?.close();
    }
  });

  it("500 on a GET is retried only with retryOn500", async () => {
    let client = await relay([{ status: 500 }, ok]);
    expect((await runClock(getCustomer(client))).response.status).toBe(500);
    expect(requests()).toBe(1);
    await server?.close();

    client = await relay([{ status: 500 }, ok], { retry: { retryOn500: true } });
    expect((await runClock(getCustomer(client))).response.status).toBe(200);
    expect(requests()).toBe(2);
  });

  it("503 on a POST is retried only when the call opts in with retry: true", async () => {
    let client = await relay([unavailable(), ok]);
    expect((await runClock(onboard(client))).response.status).toBe(503);
    expect(requests()).toBe(1);
    await server?.close();

    client = await relay([unavailable(), ok]);
    expect((await runClock(onboard(client, { retry: true }))).response.status).toBe(200);
    expect(requests()).toBe(2);
  });

  it("a GET is not retried when the call says retry: false", async () => {
    const client = await relay([unavailable(), ok]);
    expect((await runClock(getCustomer(client, { retry: false }))).response.status).toBe(503);
    expect(requests()).toBe(1);
  });
});

describe("retries", () => {
  it("return the data after two failures; the server saw three requests", async () => {
    const client = await relay([unavailable(), { status: 502 }, ok]);
    const { data, error, response } = await runClock(getCustomer(client));
    expect(response.status).toBe(200);
    expect(data).toEqual(customer);
    expect(error).toBeUndefined();
    expect(requests()).toBe(3);
  });

  it("send a fresh copy of the body each attempt", async () => {
    const client = await relay([unavailable(), "reset", { status: 200, body: { message: "ok" } }]);
    const body = { consent_type: "express", phone_type: "mobile", client_source: "kiosk" } as const;
    const { response } = await runClock(
      client.PUT("/cdm/client/{client_id}/customer/{ccid}/add_phone/{phone_number}", {
        params: { path: { ...path, phone_number: "6105551212" } },
        body,
      }),
    );
    expect(response.status).toBe(200);
    expect(server?.requests.map((r) => [r.method, r.headers["content-type"], r.body])).toEqual(
      Array(3).fill(["PUT", "application/json", JSON.stringify(body)]),
    );
  });

  it("send a fresh copy of a POST body when the call opts in", async () => {
    const client = await relay([unavailable(), unavailable(), { status: 202, body: { message: "Accepted" } }]);
    const { data } = await runClock(onboard(client, { retry: true }));
    expect(data).toEqual({ message: "Accepted" });
    const sent = JSON.stringify({ product_group_id: "default", customer: { ccid: customer.ccid } });
    expect(server?.requests.map((r) => r.body)).toEqual([sent, sent, sent]);
  });

  it("stop at maxAttempts", async () => {
    let client = await relay([unavailable()], { retry: { maxAttempts: 5 } });
    expect((await runClock(getCustomer(client))).response.status).toBe(503);
    expect(requests()).toBe(5);
    await server?.close();

    client = await relay([unavailable()], { retry: { maxAttempts: 1 } });
    expect((await runClock(getCustomer(client))).response.status).toBe(503);
    expect(requests()).toBe(1);
    await server?.close();

    client = await relay([unavailable()], { retry: false });
    expect((await runClock(getCustomer(client))).response.status).toBe(503);
    expect(requests()).toBe(1);
  });

  it("are cancelled at once by the caller's AbortSignal, with the caller's reason", async () => {
    const client = await relay([unavailable("10"), ok]);
    const controller = new AbortController();
    const call = observe(getCustomer(client, { signal: controller.signal }));
    await clock.untilScheduled(10_000);
    const reason = new Error("the user left the page");
    controller.abort(reason);
    await until(() => call.settled); // no time moves: the pending wait is cut short
    expect(call.error).toBe(reason);
    await clock.advance(60_000);
    expect(requests()).toBe(1);
  });
});
