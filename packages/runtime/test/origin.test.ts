// Credentials go to the client's origin only: what middleware does to a request is checked at the
// last step before fetch, for the API key, a fixed bearer token and a token provider alike.
import type { Middleware } from "openapi-fetch";
import { describe, expect, it } from "vitest";
import { clientCredentials } from "../src/index.js";
import { createItemsClient, itemsKeyHeader, type ItemsClientOptions } from "./fixtures/items-client.js";
import { expectNothingLeaks, printed, recorder, secrets, useServers } from "./leak-check.js";
import { sendJson, type LocalServer } from "./local-server.js";

const { serve } = useServers();
const item = { itemId: "it-1", name: "Rogerina Rabbit" };

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

async function client(credential: Credential, options: { baseUrl: string; [option: string]: unknown }) {
  return createItemsClient({
    ...(await credentialOptions(credential)),
    retry: false,
    ...options,
  } as unknown as ItemsClientOptions);
}

/** A middleware that sends every request to `target` instead, path and all. */
const retarget = (target: LocalServer): Middleware => ({
  onRequest: ({ request }) => new Request(`${target.url}${new URL(request.url).pathname}`, request),
});

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
        const c = await client(credential, { baseUrl: api.url, hooks: log.hooks });
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
      const c = await client(credential, { baseUrl: api.url });
      c.use({
        onResponse: ({ request, response, options }) =>
          response.status === 401 ? options.fetch(new Request(`${other.url}/replay`, request)) : undefined,
      });
      const error = await c.GET("/items/{itemId}", { params: { path: { itemId: "it-1" } } }).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(TypeError);
      expect(other.requests).toHaveLength(0);
    });

    it(`a middleware that moves the request within the origin keeps its credentials (${credential})`, async () => {
      const api = await serve((_request, res) => sendJson(res, 200, item));
      const c = await client(credential, { baseUrl: api.url });
      c.use({ onRequest: ({ request }) => new Request(request.url.replace("/items/", "/v2/items/"), request) });
      const { data } = await c.GET("/items/{itemId}", { params: { path: { itemId: "it-1" } } });
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
    const c = await client("token provider", { baseUrl: api.url });
    c.use({ onRequest: ({ request }) => new Request(request.url.replace("/items/", "/v2/items/"), request) });
    const { data } = await c.GET("/items/{itemId}", { params: { path: { itemId: "it-1" } } });
    expect(data).toEqual(item);
    expect(credentialsSeen(api)).toEqual([`Bearer ${secrets.issuedToken}`, `Bearer ${secrets.issuedToken}-2`]);

    const moved = await client("token provider", { baseUrl: api.url });
    moved.use(retarget(other));
    const error = await moved.GET("/items/{itemId}", { params: { path: { itemId: "it-1" } } }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(TypeError);
    expect(other.requests).toHaveLength(0);
  });
});
