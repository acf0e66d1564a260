// The HiiRelevate token endpoint's tokens: their lifetime, pruning, and the tenant names they may
// not take. The clock is injected, so no test waits.
import { readFileSync } from "node:fs";
import { useTempFiles } from "@cx-openapi/devkit/testing";
import { describe, expect, it } from "vitest";
import { plainTokenTenant } from "../../src/index.js";
import { inProcess } from "../helpers.js";

const { file: tempFile } = useTempFiles("cx-sandbox-tokens-");

type Sandbox = ReturnType<typeof inProcess>;
const lifetimeMs = 3600 * 1000;

function requestToken(sandbox: Sandbox, clientId: string, secret = "secret") {
  return sandbox.handle("hiirelevate", {
    method: "POST",
    path: "/oauth2/token",
    headers: { "content-type": "application/x-www-form-urlencoded" },
    body: new URLSearchParams({
      grant_type: "client_credentials",
      client_id: clientId,
      client_secret: secret,
    }).toString(),
  });
}
function issue(sandbox: Sandbox, clientId: string): string {
  const response = requestToken(sandbox, clientId);
  expect(response.status).toBe(200);
  return (response.body as { access_token: string }).access_token;
}
const createCustomer = (sandbox: Sandbox, token: string) =>
  sandbox.handle("hiirelevate", {
    method: "POST",
    path: "/customers",
    headers: { authorization: `Bearer ${token}`, "content-type": "application/json" },
    body: JSON.stringify({ displayName: "Ada", email: [{ value: "ada@example.com" }] }),
  });

/** A clock the test moves by hand. */
function manualClock(start = Date.parse("2030-01-01T00:00:00Z")) {
  const clock = { time: start, now: () => clock.time };
  return clock;
}

describe("hiirelevate tokens", () => {
  it("an issued token works for its announced lifetime (expires_in) and is refused with 401 after it", () => {
    const clock = manualClock();
    const sandbox = inProcess({ now: clock.now });
    const response = requestToken(sandbox, "shop");
    expect(response.body).toMatchObject({ token_type: "Bearer", expires_in: 3600 });
    const token = (response.body as { access_token: string }).access_token;
    expect(createCustomer(sandbox, token).status).toBe(201);
    clock.time += lifetimeMs - 1;
    expect(createCustomer(sandbox, token).status).toBe(201);
    clock.time += 1;
    const refused = createCustomer(sandbox, token);
    expect(refused.status).toBe(401);
    expect(refused.body).toEqual({ statusCode: 401, message: "Unauthorized", error: "Unauthorized" });
    // Open mode: an expired token is not taken for a plain bearer token of a tenant of its own.
    expect(Object.keys(sandbox.store.state.hiirelevate.tenants)).toEqual(["shop"]);
  });

  it("a token in the issued form that the sandbox does not hold (expired, or from before a reset) is refused", () => {
    const sandbox = inProcess();
    const token = issue(sandbox, "shop");
    expect(sandbox.handle("hiirelevate", { method: "POST", path: "/__sandbox/reset", headers: {} }).status).toBe(204);
    expect(createCustomer(sandbox, token).status).toBe(401);
    expect(createCustomer(sandbox, "sbx_made-up").status).toBe(401);
    expect(createCustomer(sandbox, "my-dev-token").status).toBe(201);
  });

  it("expired tokens are pruned when a token is issued and when the data file is loaded", () => {
    const clock = manualClock();
    const file = tempFile();
    const sandbox = inProcess({ dataFile: file, now: clock.now });
    for (const client of ["a", "b", "c"]) issue(sandbox, client);
    const tokensInFile = () => Object.keys(JSON.parse(readFileSync(file, "utf8")).hiirelevate.tokens);
    expect(tokensInFile()).toHaveLength(3);
    clock.time += lifetimeMs;
    const fresh = issue(sandbox, "d");
    expect(tokensInFile()).toEqual([fresh]);

    clock.time += lifetimeMs;
    const restarted = inProcess({ dataFile: file, now: clock.now });
    expect(Object.keys(restarted.store.state.hiirelevate.tokens)).toEqual([]);
    expect(createCustomer(restarted, fresh).status).toBe(401);
  });

  it('reserves the "bearer-" prefix: no client may get a token acting as a plain-token tenant', () => {
    const sandbox = inProcess();
    const victim = plainTokenTenant("someone-elses-token");
    expect(createCustomer(sandbox, "someone-elses-token").status).toBe(201);
    for (const clientId of [victim, "bearer-anything", "BEARER-x"]) {
      const refused = requestToken(sandbox, clientId);
      expect(refused.status).toBe(401);
      expect(refused.body).toEqual({
        error: "invalid_client",
        error_description:
          'client ids starting with "bearer-" are reserved for the tenants of plain bearer tokens; choose another client id',
      });
    }
    expect(Object.keys(sandbox.store.state.hiirelevate.tokens)).toEqual([]);
  });
});
