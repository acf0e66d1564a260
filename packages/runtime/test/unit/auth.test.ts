import createClient from "openapi-fetch";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { bearerAuth, clientCredentials } from "../../src/index.js";
import { sendJson, startLocalServer, type LocalServer } from "@cx-openapi/devkit/testing";

interface Paths {
  "/items": {
    post: {
      requestBody: { content: { "application/json": { name: string } } };
      responses: {
        200: { content: { "application/json": { ok: boolean } } };
        401: { content: { "application/json": unknown } };
      };
    };
  };
}

let tokenServer: LocalServer;
let api: LocalServer;
/** Tokens the API accepts. */
let accepted: Set<string>;

beforeEach(async () => {
  let issued = 0;
  accepted = new Set();
  tokenServer = await startLocalServer((_request, res) => {
    issued += 1;
    sendJson(res, 200, { access_token: `token-${issued}`, expires_in: 3600 });
  });
  api = await startLocalServer((request, res) => {
    const token = request.headers.authorization?.replace("Bearer ", "") ?? "";
    if (accepted.has(token)) sendJson(res, 200, { ok: true });
    else sendJson(res, 401, { statusCode: 401, message: "Unauthorized" });
  });
});
afterEach(async () => {
  await Promise.all([tokenServer.close(), api.close()]);
});

function clientWith(token: Parameters<typeof bearerAuth>[0]) {
  const client = createClient<Paths>({ baseUrl: api.url });
  client.use(bearerAuth(token));
  return client;
}
const provider = () => clientCredentials({ tokenUrl: tokenServer.url, clientId: "id", clientSecret: "secret" });

describe("bearerAuth", () => {
  it("sends a fixed token", async () => {
    accepted.add("fixed");
    const { data } = await clientWith("fixed").POST("/items", { body: { name: "a" } });
    expect(data).toEqual({ ok: true });
    expect(api.requests[0]?.headers.authorization).toBe("Bearer fixed");
  });

  it("on 401 renews the token once and retries the request with the same body", async () => {
    const client = clientWith(provider());
    accepted.add("token-1");
    await client.POST("/items", { body: { name: "first" } });
    accepted.clear();
    accepted.add("token-2"); // the API now refuses token-1
    const { data, response } = await client.POST("/items", { body: { name: "second" } });
    expect(response.status).toBe(200);
    expect(data).toEqual({ ok: true });
    expect(api.requests.map((r) => [r.headers.authorization, r.body])).toEqual([
      ["Bearer token-1", '{"name":"first"}'],
      ["Bearer token-1", '{"name":"second"}'],
      ["Bearer token-2", '{"name":"second"}'],
    ]);
    expect(tokenServer.requests).toHaveLength(2);
  });

  it("never loops when the API keeps answering 401", async () => {
    const { response, error } = await clientWith(provider()).POST("/items", { body: { name: "a" } });
    expect(response.status).toBe(401);
    expect(error).toEqual({ statusCode: 401, message: "Unauthorized" });
    expect(api.requests).toHaveLength(2);
    expect(tokenServer.requests).toHaveLength(2);
  });

  it("does not retry with a fixed token", async () => {
    const { response } = await clientWith("fixed").POST("/items", { body: { name: "a" } });
    expect(response.status).toBe(401);
    expect(api.requests).toHaveLength(1);
  });
});
