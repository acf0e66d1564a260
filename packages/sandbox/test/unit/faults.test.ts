// Faults, the same everywhere: per-call headers and rules (by operation, on the Nth call, with a
// probability, with a delay range), the token endpoint included, and the new kinds (a reset
// connection, a malformed or truncated body). One scenario list runs through the HTTP sandbox and
// through the MSW handlers, and both give the same statuses and bodies.
import { clientCredentials, createHiiRelevateClient, TokenRequestError } from "@cx-openapi/hiirelevate";
import { setupServer } from "msw/node";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { sandboxFetch } from "../../src/fetch.js";
import { sandboxHandlers } from "../../src/msw.js";
import { serveSandbox, type RunningSandbox } from "../../src/server.js";
import { createSandbox } from "../../src/index.js";
import { hiiBase, inProcess, loadSpecs, relayBase, specFiles } from "../helpers.js";

const key = { "xx-relay-api-key": "k" };

describe("fault kinds, in process", () => {
  const relay = (sandbox = inProcess()) => {
    const fetch = sandboxFetch(sandbox, "relay-cdm");
    return (headers: Record<string, string> = {}) =>
      fetch(`${relayBase}/cdm/client/c1/customer/F-1`, { headers: { ...key, ...headers } });
  };

  it("a reset connection fails the call as fetch does when a connection drops", async () => {
    await expect(relay()({ "x-sandbox-fault": "reset" })).rejects.toThrow("fetch failed");
  });

  it("a malformed or truncated body keeps the status and breaks the JSON", async () => {
    for (const effect of ["malformed", "truncated"]) {
      const answer = await relay()({ "x-sandbox-fault": effect });
      expect(answer.status).toBe(404);
      await expect(answer.clone().json()).rejects.toThrow();
      expect((await answer.text()).length).toBeGreaterThan(0);
    }
  });

  it("rules apply by operation, on the Nth call only, and with a seeded probability", async () => {
    const sandbox = inProcess();
    const call = relay(sandbox);
    const rules = [
      { operationId: "onboardCustomer", status: 500 },
      { operationId: "getCustomer", nth: 2, status: 503, retryAfter: 1 },
    ];
    sandbox.worlds.main.faults["relay-cdm"].set(rules);
    expect([(await call()).status, (await call()).status, (await call()).status]).toEqual([404, 503, 404]);
    sandbox.worlds.main.faults["relay-cdm"].set([{ probability: 0.5, status: 429 }], 7);
    const statuses = await Promise.all(Array.from({ length: 40 }, async () => (await call()).status));
    sandbox.worlds.main.faults["relay-cdm"].set([{ probability: 0.5, status: 429 }], 7);
    const again = await Promise.all(Array.from({ length: 40 }, async () => (await call()).status));
    expect(again).toEqual(statuses);
    expect(statuses.filter((s) => s === 429).length).toBeGreaterThan(5);
    expect(statuses.filter((s) => s === 404).length).toBeGreaterThan(5);
  });

  it("a delay range waits within it", async () => {
    const started = performance.now();
    expect((await relay()({ "x-sandbox-delay-ms": "20-40" })).status).toBe(404);
    expect(performance.now() - started).toBeGreaterThanOrEqual(19);
  });

  it("HiiRelevate's faulted body is NestJS's, with its error phrase", async () => {
    const fetch = sandboxFetch(inProcess(), "hiirelevate");
    const answer = await fetch(`${hiiBase}/health`, { headers: { "x-sandbox-fault-status": "503" } });
    expect(await answer.json()).toEqual({
      statusCode: 503,
      message: "fault injected by the sandbox (status 503)",
      error: "Service Unavailable",
    });
  });

  it("apply to the token endpoint too, so a token outage can be rehearsed", async () => {
    const sandbox = inProcess();
    sandbox.worlds.main.faults.hiirelevate.set([{ path: "/oauth2/token", status: 503 }]);
    const fetch = sandboxFetch(sandbox, "hiirelevate");
    const token = clientCredentials({ tokenUrl: `${hiiBase}/oauth2/token`, clientId: "app", clientSecret: "s", fetch });
    const hii = createHiiRelevateClient({ baseUrl: hiiBase, token, fetch, retry: false });
    await expect(hii.GET("/health")).rejects.toBeInstanceOf(TokenRequestError);
  });

  it("bad fault headers and rules are refused, naming the field", async () => {
    const answer = await relay()({ "x-sandbox-fault": "explode", "x-sandbox-delay-ms": "9-1x" });
    expect(await answer.json()).toEqual({
      message:
        "fault headers: delayMs must be a number, { min, max } or { min, p50, p90, p99, max }; effect must be one of: reset, malformed, truncated",
    });
    const put = await sandboxFetch(inProcess(), "relay-cdm")(`${relayBase}/__sandbox/faults`, {
      method: "PUT",
      body: JSON.stringify([{ effect: "reset", status: 503, probability: 2, delayMs: { min: 5 } }]),
    });
    expect(((await put.json()) as { message: string }).message).toBe(
      "[0].probability must be a number from 0 to 1; [0].delayMs needs min and max (a range) or p50 (quantiles); [0]: a reset connection has no status",
    );
  });
});

interface Call {
  method: string;
  path: string;
  headers?: Record<string, string>;
  body?: string;
}

/** One scenario: fault rules, then calls, each answer kept as its status and body text. */
const scenario: { rules: unknown[]; calls: Call[] } = {
  rules: [
    { operationId: "getCustomer", nth: 1, status: 503, retryAfter: 2 },
    { path: "/onboard", probability: 0.5, status: 429 },
    // Seen first by the second GET: the first one was faulted by the rule above.
    { method: "GET", path: "/customer/S-1", nth: 1, effect: "truncated" },
  ],
  calls: [
    { method: "GET", path: "/cdm/client/c1/customer/S-1" },
    { method: "GET", path: "/cdm/client/c1/customer/S-1" },
    ...Array.from({ length: 6 }, (_, i) => ({
      method: "POST",
      path: "/cdm/client/c1/onboard",
      body: JSON.stringify({ product_group_id: "default", customer: { ccid: `S-${i}` } }),
    })),
    { method: "GET", path: "/cdm/client/c1/customer/S-2", headers: { "x-sandbox-fault": "malformed" } },
    { method: "POST", path: "/cdm/client/c1/onboard", body: "{}" },
  ],
};

async function runScenario(baseUrl: string): Promise<string[]> {
  const put = await fetch(`${baseUrl}/__sandbox/faults`, {
    method: "PUT",
    body: JSON.stringify({ rules: scenario.rules, seed: 3 }),
  });
  expect(put.status).toBe(204);
  const seen: string[] = [];
  for (const call of scenario.calls) {
    const headers = { ...key, "content-type": "application/json", ...call.headers };
    const answer = await fetch(`${baseUrl}${call.path}`, { method: call.method, headers, body: call.body ?? null });
    seen.push(`${answer.status} ${answer.headers.get("retry-after") ?? "-"} ${await answer.text()}`);
  }
  return seen;
}

describe("the same faults in the HTTP sandbox and in the MSW handlers", () => {
  let running: RunningSandbox;
  const mswBase = "http://127.0.0.1:3";
  const msw = setupServer(...sandboxHandlers({ specs: loadSpecs(), baseUrls: { "relay-cdm": mswBase } }).handlers);
  beforeAll(async () => {
    running = await serveSandbox({ sandbox: createSandbox({ specs: loadSpecs() }), specFiles, gate: "in-process" });
    msw.listen({ onUnhandledRequest: "bypass" });
  });
  afterAll(async () => {
    msw.close();
    await running?.stop();
  });

  it("one scenario list gives the same statuses, Retry-After and bodies in both", async () => {
    const overHttp = await runScenario(running.urls["relay-cdm"]);
    const inMsw = await runScenario(mswBase);
    expect(inMsw).toEqual(overHttp);
    expect(overHttp[0]).toMatch(/^503 2 /);
    expect(overHttp.slice(2, 8).some((line) => line.startsWith("429"))).toBe(true);
    expect(overHttp[1]).toMatch(/^404 - \{"message":"Customer S-/);
    expect(overHttp[1]).not.toMatch(/\}$/);
    expect(overHttp.at(-2)).toContain("malformed by the sandbox");
  });
});
