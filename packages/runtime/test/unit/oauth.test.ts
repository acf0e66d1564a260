import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { clientCredentials, TokenRequestError } from "../../src/index.js";
import { sendJson, startLocalServer, type LocalServer } from "@cx-openapi/devkit/testing";

const secret = "s3cr3t-client-secret";
let issued = 0;
let tokenServer: LocalServer;

beforeEach(async () => {
  issued = 0;
  tokenServer = await startLocalServer((_request, res) => {
    issued += 1;
    sendJson(res, 200, { access_token: `token-${issued}`, token_type: "Bearer", expires_in: 3600 });
  });
});
afterEach(async () => {
  vi.useRealTimers();
  await tokenServer.close();
});

const provider = (overrides: Partial<Parameters<typeof clientCredentials>[0]> = {}) =>
  clientCredentials({
    tokenUrl: `${tokenServer.url}/oauth2/token`,
    clientId: "client id",
    clientSecret: secret,
    ...overrides,
  });

describe("clientCredentials", () => {
  it("asks for a client-credentials token with Basic auth and the audience", async () => {
    await provider({ audience: "https://hiiretail.com" })();
    const [seen] = tokenServer.requests;
    expect(seen?.method).toBe("POST");
    expect(seen?.headers["content-type"]).toBe("application/x-www-form-urlencoded");
    expect(seen?.headers.authorization).toBe(`Basic ${btoa(`client%20id:${secret}`)}`);
    expect(Object.fromEntries(new URLSearchParams(seen?.body))).toEqual({
      grant_type: "client_credentials",
      audience: "https://hiiretail.com",
    });
  });

  it("caches the token until shortly before it expires, then renews it", async () => {
    vi.useFakeTimers({ toFake: ["Date"] });
    const getToken = provider();
    expect(await getToken()).toBe("token-1");
    vi.advanceTimersByTime(3_539_000); // 61 s before expiry: still fresh
    expect(await getToken()).toBe("token-1");
    expect(tokenServer.requests).toHaveLength(1);
    vi.advanceTimersByTime(2_000); // inside the last minute: renewed
    expect(await getToken()).toBe("token-2");
    expect(tokenServer.requests).toHaveLength(2);
  });

  it("lets 20 concurrent callers with an expired token share one token request", async () => {
    vi.useFakeTimers({ toFake: ["Date"] });
    const getToken = provider();
    await getToken();
    vi.advanceTimersByTime(3_600_000);
    const tokens = await Promise.all(Array.from({ length: 20 }, () => getToken()));
    expect(new Set(tokens)).toEqual(new Set(["token-2"]));
    expect(tokenServer.requests).toHaveLength(2);
  });

  it("renews a rejected token once, however many callers report it", async () => {
    const getToken = provider();
    const first = await getToken();
    const renewed = await Promise.all(Array.from({ length: 5 }, () => getToken({ rejectedToken: first })));
    expect(new Set(renewed)).toEqual(new Set(["token-2"]));
    // A caller that reports the old token late gets the newer one, without another request.
    expect(await getToken({ rejectedToken: first })).toBe("token-2");
    expect(tokenServer.requests).toHaveLength(2);
  });

  it("reports a failing token endpoint clearly, without the client secret", async () => {
    const failing = await startLocalServer((_request, res) =>
      sendJson(res, 401, { error: "invalid_client", error_description: `unknown client secret ${secret}` }),
    );
    try {
      const error = await clientCredentials({
        tokenUrl: `${failing.url}/token`,
        clientId: "id",
        clientSecret: secret,
      })().catch((e: unknown) => e);
      expect(error).toBeInstanceOf(TokenRequestError);
      const err = error as TokenRequestError;
      expect(err.status).toBe(401);
      expect(err.message).toContain("answered 401 (invalid_client: unknown client secret [redacted])");
      for (const text of [err.message, String(err), JSON.stringify(err), err.stack ?? ""])
        expect(text).not.toContain(secret);
    } finally {
      await failing.close();
    }
  });

  it("reports an unreachable token endpoint, and tries again on the next call", async () => {
    const closed = await startLocalServer(() => undefined);
    await closed.close();
    const getToken = clientCredentials({ tokenUrl: `${closed.url}/token`, clientId: "id", clientSecret: secret });
    await expect(getToken()).rejects.toThrow(/token request to http:\/\/127\.0\.0\.1:\d+\/token failed/);
    await expect(getToken()).rejects.toThrow(TokenRequestError);
  });

  it("rejects a response without an access token", async () => {
    const empty = await startLocalServer((_request, res) => sendJson(res, 200, { token_type: "Bearer" }));
    try {
      await expect(clientCredentials({ tokenUrl: empty.url, clientId: "id", clientSecret: secret })()).rejects.toThrow(
        "without an access_token",
      );
    } finally {
      await empty.close();
    }
  });

  it("names the option that is wrong", () => {
    expect(() => clientCredentials({ tokenUrl: "", clientId: "id", clientSecret: secret })).toThrow(
      "clientCredentials: tokenUrl must be a non-empty string",
    );
    expect(() => clientCredentials({ tokenUrl: "auth.example.com", clientId: "id", clientSecret: secret })).toThrow(
      "clientCredentials: tokenUrl must be an absolute http(s) URL",
    );
    expect(() => clientCredentials({ tokenUrl: "https://auth.example.com", clientId: "id", clientSecret: "" })).toThrow(
      "clientCredentials: clientSecret must be a non-empty string",
    );
  });
});
