// Credentials go to the client's origin only, and never show: a redirect to another origin is not
// followed, middleware cannot move a request (and its API key, bearer token or provider's token) to
// another origin, the client secret is scrubbed even in its Basic form, and a secret is refused in a
// browser page without the opt-in. Each against node:http servers on 127.0.0.1, through the
// fixture API's client.
import type { Middleware } from "openapi-fetch";
import {
  expectNothingLeaks,
  printed,
  recorder,
  secrets,
  sendJson,
  useServers,
  type LocalServer,
} from "@cx-openapi/devkit/testing";
import { afterEach, describe, expect, it, vi } from "vitest";
import { clientCredentials, NetworkError, TokenRequestError } from "../../src/index.js";
import { itemsKeyHeader } from "../fixtures/items-client.js";
import { apiKey, clientSecret, createItem, getItem, item, itemsClient } from "../items.js";

const { serve } = useServers();
afterEach(() => {
  vi.unstubAllGlobals();
});

describe("redirects are followed within the origin only", () => {
  const codes = [301, 302, 303, 307, 308] as const;

  for (const code of codes) {
    for (const method of ["GET", "POST"] as const) {
      it(`${code} to another origin, ${method}: refused with a NetworkError; the other origin sees nothing`, async () => {
        const other = await serve((_request, res) => sendJson(res, 200, item));
        const api = await serve((_request, res) => res.writeHead(code, { location: `${other.url}/stolen` }).end());
        const log = recorder();
        const c = itemsClient({ baseUrl: api.url, hooks: log.hooks });
        const error = await (method === "GET" ? getItem(c) : createItem(c)).catch((e: unknown) => e);
        expect(error).toBeInstanceOf(NetworkError);
        expect((error as Error).message).toContain(
          `answered ${code}: a redirect to another origin, which is not followed`,
        );
        expect(other.requests).toHaveLength(0);
        expect(api.requests).toHaveLength(1);
        expect(log.errors()).toEqual([error]);
        expectNothingLeaks(printed(error), [other.url, "stolen", apiKey]);
      });
    }
  }

  it("follows a redirect within the origin: 307 keeps the method and the body, 303 turns into a GET", async () => {
    const api = await serve((request, res) => {
      if (request.url === "/items") return void res.writeHead(307, { location: "/items-v2" }).end();
      if (request.url === "/items-v2") return void res.writeHead(303, { location: "/items/it-1" }).end();
      sendJson(res, 200, item);
    });
    const { data } = await createItem(itemsClient({ baseUrl: api.url }));
    expect(data).toEqual(item);
    expect(api.requests.map((r) => [r.method, r.url, r.body, r.headers[itemsKeyHeader]])).toEqual([
      ["POST", "/items", JSON.stringify({ name: item.name, email: "roger@example.test" }), apiKey],
      ["POST", "/items-v2", JSON.stringify({ name: item.name, email: "roger@example.test" }), apiKey],
      ["GET", "/items/it-1", "", apiKey],
    ]);
  });

  it("gives up after 5 redirects within the origin", async () => {
    const api = await serve((request, res) => res.writeHead(302, { location: `${request.url}x` }).end());
    await expect(getItem(itemsClient({ baseUrl: api.url }))).rejects.toThrow("more than 5 redirects");
    expect(api.requests).toHaveLength(6);
  });

  it("never lets the bearer token of a token provider follow a redirect either", async () => {
    const other = await serve((_request, res) => sendJson(res, 200, item));
    const tokens = await serve((_request, res) => sendJson(res, 200, { access_token: "tok-1", expires_in: 3600 }));
    const api = await serve((_request, res) => res.writeHead(307, { location: `${other.url}/x` }).end());
    const provider = clientCredentials({ tokenUrl: tokens.url, clientId: "id", clientSecret });
    await expect(getItem(itemsClient({ baseUrl: api.url, token: provider }))).rejects.toBeInstanceOf(NetworkError);
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

type Credential = "API key" | "bearer token" | "token provider";
const credentials: Credential[] = ["API key", "bearer token", "token provider"];

/** A fixed API key or bearer token, or a provider that issues `secrets.issuedToken`, then renewed ones. */
async function credentialOptions(credential: Credential) {
  if (credential === "API key") return { apiKey: secrets.apiKey };
  if (credential === "bearer token") return { token: secrets.bearerToken };
  let issued = 0;
  const tokens = await serve((_request, res) =>
    sendJson(res, 200, { access_token: issued++ ? `${secrets.issuedToken}-${issued}` : secrets.issuedToken }),
  );
  return { token: clientCredentials({ tokenUrl: tokens.url, clientId: "id", clientSecret: secrets.clientSecret }) };
}

async function clientWith(credential: Credential, options: { baseUrl: string; [option: string]: unknown }) {
  return itemsClient({ ...(await credentialOptions(credential)), ...options });
}

/** A middleware that sends every request to `target` instead, path and all. */
const retarget = (target: LocalServer): Middleware => ({
  onRequest: ({ request }) => new Request(`${target.url}${new URL(request.url).pathname}`, request),
});

/** A middleware that moves every request within its origin, to /v2/items/... */
const toV2: Middleware = {
  onRequest: ({ request }) => new Request(request.url.replace("/items/", "/v2/items/"), request),
};

/** What a server was sent in the credential headers. */
const credentialsSeen = (server: LocalServer) =>
  server.requests.map((r) => r.headers[itemsKeyHeader] ?? r.headers.authorization ?? null);

const refusal = (origin: string) =>
  `GET /items/{itemId}: middleware moved the request to another origin; requests go only to the client's origin (${origin}), where the credentials go`;

describe("credentials go to the client's origin only", () => {
  for (const credential of credentials) {
    for (const where of ["use", "call"] as const) {
      it(`a ${where === "use" ? "use()" : "per-call"} middleware that moves the request to another origin gets it refused unsent (${credential})`, async () => {
        const other = await serve((_request, res) => sendJson(res, 200, item));
        const api = await serve((_request, res) => sendJson(res, 200, item));
        const log = recorder();
        const c = await clientWith(credential, { baseUrl: api.url, hooks: log.hooks });
        if (where === "use") c.use(retarget(other));
        const init = { params: { path: { itemId: "it-1" } } };
        const error = await c
          .GET("/items/{itemId}", where === "call" ? { ...init, middleware: [retarget(other)] } : init)
          .catch((e: unknown) => e);
        expect(error).toBeInstanceOf(TypeError);
        expect((error as Error).message).toBe(refusal(api.url));
        expect(other.requests).toHaveLength(0);
        expect(api.requests).toHaveLength(0);
        expect(log.errors()).toEqual([error]);
        expectNothingLeaks([...printed(error), ...log.printed()]);
      });
    }

    it(`a middleware that re-sends a request through options.fetch to another origin gets it refused (${credential})`, async () => {
      const other = await serve((_request, res) => sendJson(res, 200, item));
      const api = await serve((_request, res) => sendJson(res, 401, { message: "no" }));
      const c = await clientWith(credential, { baseUrl: api.url });
      c.use({
        onResponse: ({ request, response, options }) =>
          response.status === 401 ? options.fetch(new Request(`${other.url}/replay`, request)) : undefined,
      });
      const error = await getItem(c).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(TypeError);
      expect(other.requests).toHaveLength(0);
    });

    it(`a middleware that moves the request within the origin keeps its credentials (${credential})`, async () => {
      const api = await serve((_request, res) => sendJson(res, 200, item));
      const c = await clientWith(credential, { baseUrl: api.url });
      c.use(toV2);
      const { data } = await getItem(c);
      expect(data).toEqual(item);
      expect(api.requests.map((r) => r.url)).toEqual(["/v2/items/it-1"]);
      expect(credentialsSeen(api)).toEqual([
        credential === "API key"
          ? secrets.apiKey
          : `Bearer ${credential === "bearer token" ? secrets.bearerToken : secrets.issuedToken}`,
      ]);
    });
  }

  it("a token provider's renewed-token retry after a 401 goes to the moved request's origin only when it is the client's", async () => {
    let answered = 0;
    const api = await serve((_request, res) =>
      answered++ ? sendJson(res, 200, item) : sendJson(res, 401, { message: "expired" }),
    );
    const other = await serve((_request, res) => sendJson(res, 401, { message: "expired" }));
    const c = await clientWith("token provider", { baseUrl: api.url });
    c.use(toV2);
    const { data } = await getItem(c);
    expect(data).toEqual(item);
    expect(credentialsSeen(api)).toEqual([`Bearer ${secrets.issuedToken}`, `Bearer ${secrets.issuedToken}-2`]);

    const moved = await clientWith("token provider", { baseUrl: api.url });
    moved.use(retarget(other));
    const error = await getItem(moved).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(TypeError);
    expect(other.requests).toHaveLength(0);
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
    expectNothingLeaks(printed(error), [basic, clientSecret]);
  });
});

describe("a secret is refused in a browser page without the opt-in", () => {
  const inBrowser = () => {
    vi.stubGlobal("window", {});
    vi.stubGlobal("document", {});
  };

  it("an API key or a client secret is refused where window and document exist", () => {
    inBrowser();
    expect(() => itemsClient({ baseUrl: "http://127.0.0.1:9" })).toThrow(
      /^items-fixture: an API key in a browser is readable by anyone/,
    );
    expect(() => clientCredentials({ tokenUrl: "http://127.0.0.1:9", clientId: "id", clientSecret })).toThrow(
      /^clientCredentials: a client secret in a browser is readable by anyone.*dangerouslyAllowBrowser: true/,
    );
  });

  it("is allowed with dangerouslyAllowBrowser: true, and a plain bearer token needs no opt-in", () => {
    inBrowser();
    expect(() => itemsClient({ baseUrl: "http://127.0.0.1:9", dangerouslyAllowBrowser: true })).not.toThrow();
    expect(() =>
      clientCredentials({
        tokenUrl: "http://127.0.0.1:9",
        clientId: "id",
        clientSecret,
        dangerouslyAllowBrowser: true,
      }),
    ).not.toThrow();
    expect(() => itemsClient({ baseUrl: "http://127.0.0.1:9", token: "user-session-token" })).not.toThrow();
  });

  it("is not in the way outside a browser", () => {
    expect(() => itemsClient({ baseUrl: "http://127.0.0.1:9" })).not.toThrow();
  });
});
