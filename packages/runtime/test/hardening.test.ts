// The runtime tried as an attacker would: one describe per rule it keeps, each against hostile
// node:http servers on 127.0.0.1, through the fixture API's client.
import { afterEach, describe, expect, it, vi } from "vitest";
import {
  ApiError,
  clientCredentials,
  NetworkError,
  requireHeaderValue,
  TimeoutError,
  TokenRequestError,
} from "../src/index.js";
import { createItemsClient, itemsKeyHeader, type ItemsClientOptions } from "./fixtures/items-client.js";
import { observe, runClock, until, useFakeClock } from "./fake-clock.js";
import { printed, recorder, useServers } from "./leak-check.js";
import { sendJson } from "./local-server.js";

const apiKey = "ak_live_Hardening42";
const clientSecret = "cs_live_Hardening_77";
const item = { itemId: "it-1", name: "Rogerina Rabbit" };

const { serve } = useServers();
let clock: ReturnType<typeof useFakeClock> | undefined;
afterEach(() => {
  clock?.restore();
  clock = undefined;
  vi.unstubAllGlobals();
});

function expectAbsent(texts: string[], values: string[]) {
  const found = texts.flatMap((text) =>
    values.filter((value) => text.includes(value)).map((value) => `${value} in ${text.slice(0, 200)}`),
  );
  expect(found).toEqual([]);
}

/** A fixture client with the API key, or with `token` when given; no retries unless asked. */
const client = (options: { baseUrl: string; [option: string]: unknown }) =>
  createItemsClient({
    ...(options.token === undefined ? { apiKey } : {}),
    retry: false,
    ...options,
  } as unknown as ItemsClientOptions);
const getItem = (
  c: ReturnType<typeof client>,
  itemId = "it-1",
  init: { signal?: AbortSignal; timeoutMs?: number } = {},
) => c.GET("/items/{itemId}", { params: { path: { itemId } }, ...init });
const createItem = (c: ReturnType<typeof client>) =>
  c.POST("/items", { body: { name: item.name, email: "roger@example.test" } });

describe("redirects are followed within the origin only", () => {
  const codes = [301, 302, 303, 307, 308] as const;

  for (const code of codes) {
    for (const method of ["GET", "POST"] as const) {
      it(`${code} to another origin, ${method}: refused with a NetworkError; the other origin sees nothing`, async () => {
        const other = await serve((_request, res) => sendJson(res, 200, item));
        const api = await serve((_request, res) => res.writeHead(code, { location: `${other.url}/stolen` }).end());
        const log = recorder();
        const c = client({ baseUrl: api.url, hooks: log.hooks });
        const error = await (method === "GET" ? getItem(c) : createItem(c)).catch((e: unknown) => e);
        expect(error).toBeInstanceOf(NetworkError);
        expect((error as Error).message).toContain(
          `answered ${code}: a redirect to another origin, which is not followed`,
        );
        expect(other.requests).toHaveLength(0);
        expect(api.requests).toHaveLength(1);
        expect(log.errors()).toEqual([error]);
        expectAbsent(printed(error), [other.url, "stolen", apiKey]);
      });
    }
  }

  it("follows a redirect within the origin: 307 keeps the method and the body, 303 turns into a GET", async () => {
    const api = await serve((request, res) => {
      if (request.url === "/items") return void res.writeHead(307, { location: "/items-v2" }).end();
      if (request.url === "/items-v2") return void res.writeHead(303, { location: "/items/it-1" }).end();
      sendJson(res, 200, item);
    });
    const { data } = await createItem(client({ baseUrl: api.url }));
    expect(data).toEqual(item);
    expect(api.requests.map((r) => [r.method, r.url, r.body, r.headers[itemsKeyHeader]])).toEqual([
      ["POST", "/items", JSON.stringify({ name: item.name, email: "roger@example.test" }), apiKey],
      ["POST", "/items-v2", JSON.stringify({ name: item.name, email: "roger@example.test" }), apiKey],
      ["GET", "/items/it-1", "", apiKey],
    ]);
  });

  it("gives up after 5 redirects within the origin", async () => {
    const api = await serve((request, res) => res.writeHead(302, { location: `${request.url}x` }).end());
    await expect(getItem(client({ baseUrl: api.url }))).rejects.toThrow("more than 5 redirects");
    expect(api.requests).toHaveLength(6);
  });

  it("never lets the bearer token of a token provider follow a redirect either", async () => {
    const other = await serve((_request, res) => sendJson(res, 200, item));
    const tokens = await serve((_request, res) => sendJson(res, 200, { access_token: "tok-1", expires_in: 3600 }));
    const api = await serve((_request, res) => res.writeHead(307, { location: `${other.url}/x` }).end());
    const provider = clientCredentials({ tokenUrl: tokens.url, clientId: "id", clientSecret });
    await expect(getItem(client({ baseUrl: api.url, token: provider }))).rejects.toBeInstanceOf(NetworkError);
    expect(other.requests).toHaveLength(0);
  });

  it("a token endpoint that redirects gets no credentials through: TokenRequestError", async () => {
    const other = await serve((_request, res) => sendJson(res, 200, { access_token: "stolen" }));
    const tokens = await serve((_request, res) => res.writeHead(307, { location: other.url }).end());
    const error = await clientCredentials({ tokenUrl: tokens.url, clientId: "id", clientSecret })().catch(
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(TokenRequestError);
    expect(error).toMatchObject({ status: 307 });
    expect(other.requests).toHaveLength(0);
  });
});

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
    const c = client({ baseUrl: api.url, token: provider, timeoutMs: 1_000, hooks: log.hooks });
    const call = observe(getItem(c));
    await until(() => tokens.requests.length === 1);
    await clock.advance(999);
    expect(call.settled).toBe(false);
    await clock.advance(1);
    await until(() => call.settled);
    expect(call.error).toBeInstanceOf(TimeoutError);
    expect(call.error).toMatchObject({ timeoutMs: 1_000, attempts: 1 });
    expect(log.errors()).toEqual([call.error]);
    expect(api.requests).toHaveLength(0);
  });

  it("the caller's signal releases a call waiting for a token at once", async () => {
    clock = useFakeClock();
    const tokens = await tokenServer(1);
    const provider = clientCredentials({ tokenUrl: tokens.url, clientId: "id", clientSecret });
    const c = client({ baseUrl: "http://127.0.0.1:9", token: provider });
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
    const c = client({ baseUrl: api.url, token: provider });
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
    const c = client({ baseUrl: "http://127.0.0.1:9", token: provider, timeoutMs: 500 });
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
    const call = observe(getItem(client({ baseUrl: api.url, timeoutMs: 700 })));
    await until(() => api.requests.length === 1);
    await clock.advance(700);
    await until(() => call.settled);
    expect(call.error).toMatchObject({ name: "TimeoutError", timeoutMs: 700 });
  });
});

describe("dot segments in path parameters are refused", () => {
  for (const itemId of [".", ".."]) {
    for (const method of ["GET", "PATCH", "DELETE"] as const) {
      it(`${method} with itemId ${JSON.stringify(itemId)} is refused before any request, naming the parameter`, async () => {
        const api = await serve((_request, res) => sendJson(res, 200, item));
        const log = recorder();
        const c = client({ baseUrl: api.url, hooks: log.hooks });
        const init = { params: { path: { itemId } } };
        const call =
          method === "GET"
            ? c.GET("/items/{itemId}", init)
            : method === "DELETE"
              ? c.DELETE("/items/{itemId}", init)
              : c.PATCH("/items/{itemId}", { ...init, body: { name: "x" } });
        const error = await call.catch((e: unknown) => e);
        expect(error).toBeInstanceOf(TypeError);
        expect((error as Error).message).toBe(
          'path parameter itemId is required and must not be empty, "." or ".." (/items/{itemId})',
        );
        expect(api.requests).toHaveLength(0);
        expect(log.errors()).toEqual([error]);
      });
    }
  }

  it("other values with dots or encoded dots are sent encoded, as before", async () => {
    const api = await serve((_request, res) => sendJson(res, 200, item));
    for (const itemId of ["%2e%2e", "...", "a..b", ".x"]) await getItem(client({ baseUrl: api.url }), itemId);
    expect(api.requests.map((r) => r.url)).toEqual(["/items/%252e%252e", "/items/...", "/items/a..b", "/items/.x"]);
  });
});

describe("every error is redacted, typed and reported to onError", () => {
  it("an API key or a fixed token with CR, LF or NUL is refused at creation, without quoting it", () => {
    for (const bad of [`${apiKey}\r\nX-Injected: 1`, `${apiKey}\n`, `${apiKey}\0`]) {
      const tries = [
        () => client({ baseUrl: "http://127.0.0.1:9", apiKey: bad }),
        () => client({ baseUrl: "http://127.0.0.1:9", token: bad }),
      ];
      for (const attempt of tries) {
        const error = (() => {
          try {
            attempt();
          } catch (e) {
            return e;
          }
          return undefined;
        })();
        expect(error).toBeInstanceOf(TypeError);
        expect((error as Error).message).toMatch(
          /^createItemsClient: (apiKey|token) must not contain control characters/,
        );
        expectAbsent(printed(error), [apiKey]);
      }
    }
    expect(requireHeaderValue("c", "apiKey", "plain-key")).toBe("plain-key");
  });

  it("a token endpoint that returns a token with CR or LF: TokenRequestError at call time, onError, no token in it", async () => {
    const injected = "tok\r\nX-Injected: yes";
    const tokens = await serve((_request, res) => sendJson(res, 200, { access_token: injected, expires_in: 3600 }));
    const api = await serve((_request, res) => sendJson(res, 200, item));
    const log = recorder();
    const provider = clientCredentials({ tokenUrl: tokens.url, clientId: "id", clientSecret });
    const error = await getItem(client({ baseUrl: api.url, token: provider, hooks: log.hooks })).catch(
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(TokenRequestError);
    expect((error as Error).message).toContain("with an access_token holding control characters");
    expect(log.errors()).toEqual([error]);
    expect(api.requests).toHaveLength(0);
    expectAbsent([...printed(error), ...log.printed()], ["X-Injected"]);
  });

  it("a custom token provider returning a token with LF, or throwing: TokenRequestError, onError", async () => {
    const api = await serve((_request, res) => sendJson(res, 200, item));
    for (const token of [
      async () => "tok\nX-Injected: yes",
      async () => Promise.reject(new Error(`no ${clientSecret}`)),
    ]) {
      const log = recorder();
      const error = await getItem(client({ baseUrl: api.url, token, hooks: log.hooks })).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(TokenRequestError);
      expect(log.errors()).toEqual([error]);
      expectAbsent([...printed(error), ...log.printed()], ["X-Injected", clientSecret]);
    }
  });

  it("base and token URLs with credentials, or unparsable, are refused without echoing them", () => {
    const cases: [() => unknown, RegExp | string][] = [
      [
        () => client({ baseUrl: `http://user:${apiKey}@127.0.0.1:9` }),
        "createItemsClient: baseUrl must not carry credentials",
      ],
      [
        () => client({ baseUrl: `http://${apiKey}@127.0.0.1:9` }),
        "createItemsClient: baseUrl must not carry credentials",
      ],
      [
        () => client({ baseUrl: `http://[${apiKey}/items/ITEM-PII-555` }),
        /^createItemsClient: baseUrl must be an absolute http\(s\) URL$/,
      ],
      [
        () =>
          clientCredentials({ tokenUrl: `https://id:${clientSecret}@127.0.0.1:9/token`, clientId: "id", clientSecret }),
        "clientCredentials: tokenUrl must not carry credentials",
      ],
    ];
    for (const [attempt, message] of cases) {
      expect(attempt).toThrow(TypeError);
      expect(attempt).toThrow(message);
      try {
        attempt();
      } catch (error) {
        expectAbsent(printed(error), [apiKey, clientSecret, "ITEM-PII-555"]);
      }
    }
  });

  it("a per-call header that Request refuses gives a TypeError without its value, reported to onError", async () => {
    const api = await serve((_request, res) => sendJson(res, 200, item));
    const log = recorder();
    const c = client({ baseUrl: api.url, hooks: log.hooks });
    const error = await c
      .GET("/items/{itemId}", {
        params: { path: { itemId: "it-1" } },
        headers: { "x-extra": `secret-${apiKey}\r\nX-Injected: 1` },
      })
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(TypeError);
    expect((error as Error).message).toMatch(/^GET \/items\/\{itemId\}: the request could not be made: TypeError/);
    expect(log.errors()).toEqual([error]);
    expectAbsent([...printed(error), ...log.printed()], [apiKey, "X-Injected"]);
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
    const c = client({ baseUrl: api.url, hooks: log.hooks });
    const first = await getItem(c, pii);
    const error = Reflect.get(first, Symbol.for("@cx-openapi/runtime/result-error")) as ApiError;
    expect(error).toBeInstanceOf(ApiError);
    expect(error.message).toBe("GET /items/{itemId} answered 404");
    expect(error.requestId).toBeUndefined();
    expectAbsent([...printed(error), ...log.printed()], [pii, "Customer"]);

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

describe("the client secret never appears, not even in its Basic form", () => {
  it("a token endpoint echoing the Basic credentials gets them scrubbed from TokenRequestError", async () => {
    const tokens = await serve((request, res) =>
      sendJson(res, 401, {
        error: "invalid_client",
        error_description: `bad credentials: ${request.headers.authorization}`,
      }),
    );
    const basic = btoa(`id:${clientSecret}`);
    const error = await clientCredentials({ tokenUrl: tokens.url, clientId: "id", clientSecret })().catch(
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(TokenRequestError);
    expect((error as Error).message).toContain("bad credentials: Basic [redacted]");
    expectAbsent(printed(error), [basic, clientSecret]);
  });
});

describe("bodies that are not JSON, or nested too deep, end the call cleanly", () => {
  it("a 2xx body that is not JSON gives an ApiError with status and operation, no body text, onError", async () => {
    const api = await serve((_request, res) =>
      res.writeHead(200, { "content-type": "application/json" }).end(`<html>${item.name}</html>`),
    );
    for (const throwOnError of [false, true]) {
      const log = recorder();
      const error = await getItem(client({ baseUrl: api.url, hooks: log.hooks, throwOnError })).catch(
        (e: unknown) => e,
      );
      expect(error).toBeInstanceOf(ApiError);
      expect(error).toMatchObject({
        status: 200,
        operation: { method: "GET", path: "/items/{itemId}" },
        retryable: false,
      });
      expect((error as Error).message).toBe("GET /items/{itemId} answered 200 with a body that is not valid JSON");
      expect(log.errors()).toEqual([error]);
      expectAbsent([...printed(error), ...log.printed()], ["html", item.name]);
    }
  });

  it("a 400 body nested 200,000 levels deep is redacted without a stack overflow", async () => {
    const depth = 200_000;
    const api = await serve((_request, res) =>
      res.writeHead(400, { "content-type": "application/json" }).end(`${'{"a":'.repeat(depth)}1${"}".repeat(depth)}`),
    );
    const error = await getItem(client({ baseUrl: api.url, throwOnError: true })).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ApiError);
    expect(JSON.stringify(error).length).toBeLessThan(2_000);
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
    const c = client({
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

describe("base URLs are checked when a client is created", () => {
  it("refuses a query or a fragment, which would swallow or drop the path", () => {
    for (const baseUrl of ["http://127.0.0.1:9/api?x=1", "http://127.0.0.1:9/api#frag", "http://127.0.0.1:9/api?"]) {
      expect(() => client({ baseUrl })).toThrow("createItemsClient: baseUrl must not have a query or fragment");
    }
    expect(() => client({ baseUrl: "ftp://127.0.0.1:9" })).toThrow(
      "createItemsClient: baseUrl must be an absolute http(s) URL",
    );
    expect(() => client({ baseUrl: "127.0.0.1:9" })).toThrow(TypeError);
  });

  it("takes the scheme in any case", async () => {
    const api = await serve((_request, res) => sendJson(res, 200, item));
    const { data } = await getItem(client({ baseUrl: `${api.url.replace("http://", "HTTP://")}/base/` }));
    expect(data).toEqual(item);
    expect(api.requests[0]?.url).toBe("/base/items/it-1");
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
      const c = client({ baseUrl: api.url, maxResponseBytes: limit, hooks: log.hooks });
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
    const { data } = await client({ baseUrl: api.url, maxResponseBytes: limit }).GET("/items/{itemId}", {
      params: { path: { itemId: "it-1" } },
      parseAs: "stream",
    });
    const error = await new Response(data).text().catch((e: unknown) => e);
    expect(error).toBeInstanceOf(Error);
    expect(error).toBeInstanceOf(ApiError);
    expect(error).toMatchObject({
      status: 200,
      operation: { method: "GET", path: "/items/{itemId}" },
      retryable: false,
    });
    expect((error as Error).message).toBe(`GET /items/{itemId} answered 200 with a body over ${limit} bytes`);
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
    expect(() => client({ baseUrl: "http://127.0.0.1:9", maxResponseBytes: 0 })).toThrow(
      "maxResponseBytes must be a whole number, at least 1; got 0",
    );
    expect(() =>
      clientCredentials({ tokenUrl: "http://127.0.0.1:9", clientId: "id", clientSecret, maxResponseBytes: 1.5 }),
    ).toThrow("clientCredentials: maxResponseBytes must be a whole number, at least 1; got 1.5");
  });
});

describe("a secret is refused in a browser page without the opt-in", () => {
  const inBrowser = () => {
    vi.stubGlobal("window", {});
    vi.stubGlobal("document", {});
  };

  it("an API key or a client secret is refused where window and document exist", () => {
    inBrowser();
    expect(() => client({ baseUrl: "http://127.0.0.1:9" })).toThrow(
      /^items-fixture: an API key in a browser is readable by anyone/,
    );
    expect(() => clientCredentials({ tokenUrl: "http://127.0.0.1:9", clientId: "id", clientSecret })).toThrow(
      /^clientCredentials: a client secret in a browser is readable by anyone.*dangerouslyAllowBrowser: true/,
    );
  });

  it("is allowed with dangerouslyAllowBrowser: true, and a plain bearer token needs no opt-in", () => {
    inBrowser();
    expect(() => client({ baseUrl: "http://127.0.0.1:9", dangerouslyAllowBrowser: true })).not.toThrow();
    expect(() =>
      clientCredentials({
        tokenUrl: "http://127.0.0.1:9",
        clientId: "id",
        clientSecret,
        dangerouslyAllowBrowser: true,
      }),
    ).not.toThrow();
    expect(() => client({ baseUrl: "http://127.0.0.1:9", token: "user-session-token" })).not.toThrow();
  });

  it("is not in the way outside a browser", () => {
    expect(() => client({ baseUrl: "http://127.0.0.1:9" })).not.toThrow();
  });
});
