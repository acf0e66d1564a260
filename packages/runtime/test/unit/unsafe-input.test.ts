// What a caller or a token provider hands the client is checked before anything is sent: a path
// parameter of dots, a credential or header value with CR, LF or NUL, a base or token URL that
// carries credentials or cannot be parsed; each refusal is typed, redacted and reported to onError.
import { expectNothingLeaks, printed, recorder, sendJson, useServers } from "@cx-openapi/devkit/testing";
import { describe, expect, it } from "vitest";
import { clientCredentials, requireHeaderValue, TokenRequestError } from "../../src/index.js";
import { apiKey, clientSecret, getItem, item, itemsClient } from "../items.js";

const { serve } = useServers();

describe("dot segments in path parameters are refused", () => {
  for (const itemId of [".", ".."]) {
    for (const method of ["GET", "PATCH", "DELETE"] as const) {
      it(`${method} with itemId ${JSON.stringify(itemId)} is refused before any request, naming the parameter`, async () => {
        const api = await serve((_request, res) => sendJson(res, 200, item));
        const log = recorder();
        const c = itemsClient({ baseUrl: api.url, hooks: log.hooks });
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

  it("other values with dots or encoded dots are sent percent-encoded", async () => {
    const api = await serve((_request, res) => sendJson(res, 200, item));
    for (const itemId of ["%2e%2e", "...", "a..b", ".x"]) await getItem(itemsClient({ baseUrl: api.url }), itemId);
    expect(api.requests.map((r) => r.url)).toEqual(["/items/%252e%252e", "/items/...", "/items/a..b", "/items/.x"]);
  });
});

describe("every error is redacted, typed and reported to onError", () => {
  it("an API key or a fixed token with CR, LF or NUL is refused at creation, without quoting it", () => {
    for (const bad of [`${apiKey}\r\nX-Injected: 1`, `${apiKey}\n`, `${apiKey}\0`]) {
      const tries = [
        () => itemsClient({ baseUrl: "http://127.0.0.1:9", apiKey: bad }),
        () => itemsClient({ baseUrl: "http://127.0.0.1:9", token: bad }),
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
        expectNothingLeaks(printed(error), [apiKey]);
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
    const error = await getItem(itemsClient({ baseUrl: api.url, token: provider, hooks: log.hooks })).catch(
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(TokenRequestError);
    expect((error as Error).message).toContain("with an access_token holding control characters");
    expect(log.errors()).toEqual([error]);
    expect(api.requests).toHaveLength(0);
    expectNothingLeaks([...printed(error), ...log.printed()], ["X-Injected"]);
  });

  it("a custom token provider returning a token with LF, or throwing: TokenRequestError, onError", async () => {
    const api = await serve((_request, res) => sendJson(res, 200, item));
    for (const token of [
      async () => "tok\nX-Injected: yes",
      async () => Promise.reject(new Error(`no ${clientSecret}`)),
    ]) {
      const log = recorder();
      const error = await getItem(itemsClient({ baseUrl: api.url, token, hooks: log.hooks })).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(TokenRequestError);
      expect(log.errors()).toEqual([error]);
      expectNothingLeaks([...printed(error), ...log.printed()], ["X-Injected", clientSecret]);
    }
  });

  it("base and token URLs with credentials, or unparsable, are refused without echoing them", () => {
    const cases: [() => unknown, RegExp | string][] = [
      [
        () => itemsClient({ baseUrl: `http://user:${apiKey}@127.0.0.1:9` }),
        "createItemsClient: baseUrl must not carry credentials",
      ],
      [
        () => itemsClient({ baseUrl: `http://${apiKey}@127.0.0.1:9` }),
        "createItemsClient: baseUrl must not carry credentials",
      ],
      [
        () => itemsClient({ baseUrl: `http://[${apiKey}/items/ITEM-PII-555` }),
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
        expectNothingLeaks(printed(error), [apiKey, clientSecret, "ITEM-PII-555"]);
      }
    }
  });

  it("a per-call header that Request refuses gives a TypeError without its value, reported to onError", async () => {
    const api = await serve((_request, res) => sendJson(res, 200, item));
    const log = recorder();
    const c = itemsClient({ baseUrl: api.url, hooks: log.hooks });
    const error = await c
      .GET("/items/{itemId}", {
        params: { path: { itemId: "it-1" } },
        headers: { "x-extra": `secret-${apiKey}\r\nX-Injected: 1` },
      })
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(TypeError);
    expect((error as Error).message).toMatch(/^GET \/items\/\{itemId\}: the request could not be made: TypeError/);
    expect(log.errors()).toEqual([error]);
    expectNothingLeaks([...printed(error), ...log.printed()], [apiKey, "X-Injected"]);
  });
});

describe("base URLs are checked when a client is created", () => {
  it("refuses a query or a fragment, which would swallow or drop the path", () => {
    for (const baseUrl of ["http://127.0.0.1:9/api?x=1", "http://127.0.0.1:9/api#frag", "http://127.0.0.1:9/api?"]) {
      expect(() => itemsClient({ baseUrl })).toThrow("createItemsClient: baseUrl must not have a query or fragment");
    }
    expect(() => itemsClient({ baseUrl: "ftp://127.0.0.1:9" })).toThrow(
      "createItemsClient: baseUrl must be an absolute http(s) URL",
    );
    expect(() => itemsClient({ baseUrl: "127.0.0.1:9" })).toThrow(TypeError);
  });

  it("takes the scheme in any case", async () => {
    const api = await serve((_request, res) => sendJson(res, 200, item));
    const { data } = await getItem(itemsClient({ baseUrl: `${api.url.replace("http://", "HTTP://")}/base/` }));
    expect(data).toEqual(item);
    expect(api.requests[0]?.url).toBe("/base/items/it-1");
  });
});
