// What a server answers cannot hang, flood or leak through the client: one deadline bounds a call,
// the token request included; a reason phrase or an odd request id never reaches an error; a body
// that is not JSON, nested too deep or over the cap ends the call cleanly; odd token lifetimes
// cannot make the client ask for a token per call. Each against node:http servers on 127.0.0.1,
// through the fixture API's client, on a fake clock where time matters.
import {
  expectNothingLeaks,
  observe,
  printed,
  recorder,
  runClock,
  sendJson,
  until,
  useFakeClock,
  useServers,
  type FakeClock,
} from "@cx-openapi/devkit/testing";
import { afterEach, describe, expect, it } from "vitest";
import { ApiError, clientCredentials, TimeoutError, TokenRequestError } from "../../src/index.js";
import { clientSecret, getItem, item, itemsClient } from "../items.js";

const { serve } = useServers();
let clock: FakeClock | undefined;
afterEach(() => {
  clock?.restore();
  clock = undefined;
});

/** What a body the client cannot take gives: an ApiError of the call's status and operation, not retried. */
function expectBodyRefused(error: unknown, message: string) {
  expect(error).toBeInstanceOf(ApiError);
  expect(error).toMatchObject({ status: 200, operation: { method: "GET", path: "/items/{itemId}" }, retryable: false });
  expect((error as Error).message).toBe(message);
}

describe("one deadline bounds a call, the token request included", () => {
  /** A token endpoint that hangs on its first `hanging` requests, then answers. */
  async function tokenServer(hanging: number) {
    let seen = 0;
    return serve((_request, res) => {
      if (++seen > hanging) sendJson(res, 200, { access_token: `tok-${seen}`, expires_in: 3600 });
    });
  }

  it("a hanging token endpoint ends the call with a TimeoutError at timeoutMs, reported to onError", async () => {
    clock = useFakeClock();
    const tokens = await tokenServer(1);
    const api = await serve((_request, res) => sendJson(res, 200, item));
    const log = recorder();
    const provider = clientCredentials({ tokenUrl: tokens.url, clientId: "id", clientSecret });
    const c = itemsClient({ baseUrl: api.url, token: provider, timeoutMs: 1_000, hooks: log.hooks });
    const call = observe(getItem(c));
    await until(() => tokens.requests.length === 1);
    await clock.settlesAfter(call, 1_000);
    expect(call.error).toBeInstanceOf(TimeoutError);
    expect(call.error).toMatchObject({ timeoutMs: 1_000, attempts: 1 });
    expect(log.errors()).toEqual([call.error]);
    expect(api.requests).toHaveLength(0);
  });

  it("the caller's signal releases a call waiting for a token at once", async () => {
    clock = useFakeClock();
    const tokens = await tokenServer(1);
    const provider = clientCredentials({ tokenUrl: tokens.url, clientId: "id", clientSecret });
    const c = itemsClient({ baseUrl: "http://127.0.0.1:9", token: provider });
    const controller = new AbortController();
    const call = observe(getItem(c, "it-1", { signal: controller.signal }));
    await until(() => tokens.requests.length === 1);
    const reason = new Error("the user left");
    controller.abort(reason);
    await until(() => call.settled); // no time moves
    expect(call.error).toBe(reason);
  });

  it("a stuck token request holds no caller past its own deadline, and a later call starts a fresh one", async () => {
    clock = useFakeClock();
    const tokens = await tokenServer(1);
    const api = await serve((_request, res) => sendJson(res, 200, item));
    const provider = clientCredentials({ tokenUrl: tokens.url, clientId: "id", clientSecret });
    const c = itemsClient({ baseUrl: api.url, token: provider });
    const short = observe(getItem(c, "it-1", { timeoutMs: 1_000 }));
    const long = observe(getItem(c, "it-1", { timeoutMs: 3_000 }));
    await until(() => tokens.requests.length === 1);
    await clock.advance(1_000);
    await until(() => short.settled);
    expect(short.error).toMatchObject({ name: "TimeoutError", timeoutMs: 1_000 });
    expect(long.settled).toBe(false);
    await clock.advance(2_000);
    await until(() => long.settled);
    expect(long.error).toMatchObject({ name: "TimeoutError", timeoutMs: 3_000 });
    // Every caller gave up, so did the request; the next call asks again and gets through.
    const later = await getItem(c);
    expect(later.data).toEqual(item);
    expect(tokens.requests).toHaveLength(2);
    expect(api.requests[0]?.headers.authorization).toBe("Bearer tok-2");
  });

  it("a token endpoint that trickles its body is cut off by the call's deadline", async () => {
    clock = useFakeClock();
    const tokens = await serve((_request, res) => {
      res.writeHead(200, { "content-type": "application/json" });
      res.write('{"access_token":"'); // and never more
    });
    const provider = clientCredentials({ tokenUrl: tokens.url, clientId: "id", clientSecret });
    const c = itemsClient({ baseUrl: "http://127.0.0.1:9", token: provider, timeoutMs: 500 });
    const call = observe(getItem(c));
    await until(() => tokens.requests.length === 1);
    await clock.advance(500);
    await until(() => call.settled);
    expect(call.error).toBeInstanceOf(TimeoutError);
  });

  it("a token request on its own (no caller deadline) is bounded by the provider's timeoutMs", async () => {
    clock = useFakeClock();
    const tokens = await tokenServer(1);
    const call = observe(clientCredentials({ tokenUrl: tokens.url, clientId: "id", clientSecret, timeoutMs: 2_000 })());
    await until(() => tokens.requests.length === 1);
    await clock.advance(2_000);
    await until(() => call.settled);
    expect(call.error).toBeInstanceOf(TokenRequestError);
    expect((call.error as Error).message).toMatch(/timed out after 2000 ms$/);
  });

  it("an API body that trickles is cut off by the same deadline", async () => {
    clock = useFakeClock();
    const api = await serve((_request, res) => {
      res.writeHead(200, { "content-type": "application/json" });
      res.write('{"itemId":');
    });
    const call = observe(getItem(itemsClient({ baseUrl: api.url, timeoutMs: 700 })));
    await until(() => api.requests.length === 1);
    await clock.advance(700);
    await until(() => call.settled);
    expect(call.error).toMatchObject({ name: "TimeoutError", timeoutMs: 700 });
  });
});

describe("errors leave out the reason phrase and keep only a request id that looks like one", () => {
  it("a server's reason phrase never reaches the error; a request id holding a value of the call is dropped", async () => {
    const pii = "ITEM-PII-555";
    let requestId = pii;
    const api = await serve((_request, res) =>
      res
        .writeHead(404, `Customer ${pii} not found`, { "content-type": "application/json", "x-request-id": requestId })
        .end("{}"),
    );
    const log = recorder();
    const c = itemsClient({ baseUrl: api.url, hooks: log.hooks });
    const first = await getItem(c, pii);
    const error = Reflect.get(first, Symbol.for("@cx-openapi/runtime/result-error")) as ApiError;
    expect(error).toBeInstanceOf(ApiError);
    expect(error.message).toBe("GET /items/{itemId} answered 404");
    expect(error.requestId).toBeUndefined();
    expectNothingLeaks([...printed(error), ...log.printed()], [pii, "Customer"]);

    for (const unsafe of ["req 42 for Rogerina", "x".repeat(200)]) {
      requestId = unsafe;
      const { response } = await getItem(c, "it-2");
      expect(response.status).toBe(404);
    }
    requestId = "req-42";
    await getItem(c, "it-3");
    const ids = log.calls
      .filter(([hook]) => hook === "onResponse")
      .map(([, e]) => (e as { requestId?: string }).requestId);
    expect(ids).toEqual([undefined, undefined, undefined, "req-42"]);
  });
});

describe("bodies that are not JSON, or nested too deep, end the call cleanly", () => {
  it("a 2xx body that is not JSON gives an ApiError with status and operation, no body text, onError", async () => {
    const api = await serve((_request, res) =>
      res.writeHead(200, { "content-type": "application/json" }).end(`<html>${item.name}</html>`),
    );
    for (const throwOnError of [false, true]) {
      const log = recorder();
      const error = await getItem(itemsClient({ baseUrl: api.url, hooks: log.hooks, throwOnError })).catch(
        (e: unknown) => e,
      );
      expectBodyRefused(error, "GET /items/{itemId} answered 200 with a body that is not valid JSON");
      expect(log.errors()).toEqual([error]);
      expectNothingLeaks([...printed(error), ...log.printed()], ["html", item.name]);
    }
  });

  it("a 400 body nested 200,000 levels deep is redacted without a stack overflow", async () => {
    const depth = 200_000;
    const api = await serve((_request, res) =>
      res.writeHead(400, { "content-type": "application/json" }).end(`${'{"a":'.repeat(depth)}1${"}".repeat(depth)}`),
    );
    const error = await getItem(itemsClient({ baseUrl: api.url, throwOnError: true })).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ApiError);
    expect(JSON.stringify(error).length).toBeLessThan(2_000);
  });
});

describe("response bodies are capped", () => {
  const limit = 64;
  const body = (bytes: number) => JSON.stringify({ note: "x".repeat(bytes - 11) }); // `{"note":""}` is 11 bytes

  for (const framing of ["content-length", "chunked"] as const) {
    it(`a response one byte over maxResponseBytes (${framing}) gives an ApiError; at the limit it is read`, async () => {
      let size = limit + 1;
      const api = await serve((_request, res) => {
        const text = body(size);
        res.writeHead(200, {
          "content-type": "application/json",
          ...(framing === "content-length" ? { "content-length": String(text.length) } : {}),
        });
        if (framing === "chunked") res.write(text.slice(0, 10));
        res.end(framing === "chunked" ? text.slice(10) : text);
      });
      const log = recorder();
      const c = itemsClient({ baseUrl: api.url, maxResponseBytes: limit, hooks: log.hooks });
      const error = await getItem(c).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(ApiError);
      expect((error as Error).message).toBe(`GET /items/{itemId} answered 200 with a body over ${limit} bytes`);
      expect(log.errors()).toEqual([error]);
      size = limit;
      expect((await getItem(c)).data).toEqual(JSON.parse(body(limit)));
    });
  }

  it('a stream (parseAs: "stream") over maxResponseBytes errors with an ApiError, an Error the guards know', async () => {
    const api = await serve((_request, res) => {
      const text = body(limit + 1);
      res.writeHead(200, { "content-type": "application/json" });
      res.write(text.slice(0, 10));
      res.end(text.slice(10));
    });
    const { data } = await itemsClient({ baseUrl: api.url, maxResponseBytes: limit }).GET("/items/{itemId}", {
      params: { path: { itemId: "it-1" } },
      parseAs: "stream",
    });
    const error = await new Response(data).text().catch((e: unknown) => e);
    expect(error).toBeInstanceOf(Error);
    expectBodyRefused(error, `GET /items/{itemId} answered 200 with a body over ${limit} bytes`);
  });

  it("a token response one byte over the provider's maxResponseBytes gives a TokenRequestError", async () => {
    const tokens = await serve((_request, res) =>
      res.writeHead(200, { "content-type": "application/json" }).end(body(limit + 1)),
    );
    const error = await clientCredentials({
      tokenUrl: tokens.url,
      clientId: "id",
      clientSecret,
      maxResponseBytes: limit,
    })().catch((e: unknown) => e);
    expect(error).toBeInstanceOf(TokenRequestError);
    expect((error as Error).message).toMatch(/answered 200 with a body over 64 bytes$/);
  });

  it("limits are checked at creation", () => {
    expect(() => itemsClient({ baseUrl: "http://127.0.0.1:9", maxResponseBytes: 0 })).toThrow(
      "maxResponseBytes must be a whole number, at least 1; got 0",
    );
    expect(() =>
      clientCredentials({ tokenUrl: "http://127.0.0.1:9", clientId: "id", clientSecret, maxResponseBytes: 1.5 }),
    ).toThrow("clientCredentials: maxResponseBytes must be a whole number, at least 1; got 1.5");
  });
});

describe("token lifetimes at their edges", () => {
  async function tokenEndpoint(expiresIn: unknown) {
    let issued = 0;
    return serve((_request, res) => sendJson(res, 200, { access_token: `tok-${++issued}`, expires_in: expiresIn }));
  }

  it("a tiny expires_in is floored at 30 s (renewed 10% early, at 27 s): no token request per call", async () => {
    clock = useFakeClock();
    const tokens = await tokenEndpoint(0.001);
    const getToken = clientCredentials({ tokenUrl: tokens.url, clientId: "id", clientSecret });
    for (let i = 0; i < 5; i++) expect(await runClock(getToken())).toBe("tok-1");
    await clock.advance(26_000);
    expect(await runClock(getToken())).toBe("tok-1");
    await clock.advance(1_500);
    expect(await runClock(getToken())).toBe("tok-2");
    expect(tokens.requests).toHaveLength(2);
  });

  it('expires_in as a numeric string ("3600") is honoured', async () => {
    clock = useFakeClock();
    const tokens = await tokenEndpoint("3600");
    const getToken = clientCredentials({ tokenUrl: tokens.url, clientId: "id", clientSecret });
    expect(await runClock(getToken())).toBe("tok-1");
    await clock.advance(3_500_000);
    expect(await runClock(getToken())).toBe("tok-1");
    expect(tokens.requests).toHaveLength(1);
  });

  it("an API that always answers 401 gets token requests backed off from 1 s to 60 s, not one per call", async () => {
    clock = useFakeClock();
    const tokens = await tokenEndpoint(3600);
    const api = await serve((_request, res) => sendJson(res, 401, { message: "no" }));
    const c = itemsClient({
      baseUrl: api.url,
      token: clientCredentials({ tokenUrl: tokens.url, clientId: "id", clientSecret }),
    });
    for (let i = 0; i < 10; i++) expect((await runClock(getItem(c), 10)).response.status).toBe(401);
    expect(tokens.requests).toHaveLength(2); // the first token, one renewal; then no more within 1 s
    const requestsAfter = (ms: number) =>
      clock!
        .advance(ms)
        .then(() => runClock(getItem(c), 10))
        .then(() => tokens.requests.length);
    expect(await requestsAfter(1_000)).toBe(3); // 1 s later: one more
    expect(await requestsAfter(1_000)).toBe(3); // the next wait is 2 s
    expect(await requestsAfter(1_000)).toBe(4);
    for (let i = 0; i < 8; i++) await requestsAfter(60_000);
    const before = tokens.requests.length;
    expect(await requestsAfter(59_000)).toBe(before); // capped at 60 s
    expect(await requestsAfter(1_000)).toBe(before + 1);
  });
});
