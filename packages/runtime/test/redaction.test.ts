// The secrets test: known credentials and personal data go through every error path and every hook
// of both real clients, and none of them may appear in any string the library produces.
import { inspect } from "node:util";
import { afterEach, describe, expect, it } from "vitest";
import { createHiiRelevateClient } from "../../hiirelevate/src/index.js";
import { createRelayCdmClient } from "../../relay-cdm/src/index.js";
import { ApiError, clientCredentials, consoleLogger, NetworkError, TimeoutError, TokenRequestError, unwrap, type Hooks } from "../src/index.js";
import { observe, until, useFakeClock } from "./fake-clock.js";
import { sendJson, startLocalServer, type LocalServer } from "./local-server.js";

const secrets = {
  apiKey: "rk_live_7Qp2Zx9Lm4Wv",
  bearerToken: "eyJhbGciOiJIUzI1NiJ9.fixed-bearer.Xy7pQ",
  issuedToken: "at_issued_Zq81pLkT",
  clientSecret: "cs_live_TOPSECRET_55Aa",
};
const person = {
  ccid: "CCID-PRIV-58213",
  customerId: "7c0e4e1a-3b7d-4f3a-9d2e-1f6b8a9c0d11",
  firstName: "Rogerina",
  lastName: "Rabbitsworth",
  email: "roger.rabbit@acme-toons.example",
  phone: "6105559876",
  dateOfBirth: "1961-07-23",
  ssn: "219-09-9271",
  ssnLast4: "9271",
};
const forbidden = { ...secrets, ...person };

/** Where `value` shows in `text`, raw or percent-encoded; digits-only values must stand alone (not inside a port). */
function leaks(text: string, value: string): boolean {
  return [value, encodeURIComponent(value)].some((form) =>
    /^\d+$/.test(form) ? new RegExp(`(?<!\\d)${form}(?!\\d)`).test(text) : text.includes(form),
  );
}

/** Every string a thrown error offers to a log. */
function printed(error: unknown): string[] {
  const e = error as Error;
  return [e.message, String(e), e.stack ?? "", JSON.stringify(e), inspect(e, { depth: 10 })];
}

/** Hooks that record every event and feed `consoleLogger`, whose lines land in an array. */
function recorder() {
  const events: unknown[] = [];
  const lines: string[] = [];
  const log = consoleLogger({ info: (l) => lines.push(l), warn: (l) => lines.push(l), error: (l) => lines.push(l) });
  const hooks: Required<Hooks> = {
    onRequest: (e) => (events.push(e), log.onRequest!(e)),
    onResponse: (e) => (events.push(e), log.onResponse!(e)),
    onRetry: (e) => (events.push(e), log.onRetry!(e)),
    onError: (e) => (events.push(e), log.onError!(e)),
  };
  return { hooks, events, lines, printed: () => [...events.flatMap((e) => [JSON.stringify(e), inspect(e, { depth: 10 })]), ...lines] };
}

/** Fails with the list of (value, text) pairs where a secret or personal value shows. */
function expectNothingLeaks(texts: string[]) {
  const found = texts.flatMap((text) =>
    Object.entries(forbidden)
      .filter(([, value]) => leaks(text, value))
      .map(([name]) => `${name} in ${JSON.stringify(text.slice(0, 300))}`),
  );
  expect(found).toEqual([]);
}

/**
 * A server that answers `status()` and echoes the request back in its error body: method, path,
 * parsed body, and the credentials headers it received.
 */
async function echoServer(status: () => number | "reset" | "hang") {
  return startLocalServer((request, res) => {
    const answer = status();
    if (answer === "reset") return void res.socket?.destroy();
    if (answer === "hang") return;
    sendJson(res, answer, {
      message: `cannot process ${request.method} ${request.url}`,
      path: request.url,
      request: request.body ? JSON.parse(request.body) : null,
      seen_key: request.headers["xx-relay-api-key"],
      seen_auth: request.headers.authorization,
    });
  });
}

const servers: LocalServer[] = [];
let clock: ReturnType<typeof useFakeClock> | undefined;
afterEach(async () => {
  clock?.restore();
  clock = undefined;
  await Promise.all(servers.splice(0).map((s) => s.close()));
});
async function serve(status: () => number | "reset" | "hang") {
  const server = await echoServer(status);
  servers.push(server);
  return server;
}

const addPhonePath = "/cdm/client/{client_id}/customer/{ccid}/add_phone/{phone_number}";
const relayPath = { client_id: "relay_developer", ccid: person.ccid };

describe("the secrets test", () => {
  it("Relay: ApiErrors (400, 404, 500) echoing the request, and every hook, carry no secret or personal data", async () => {
    let status = 400;
    const server = await serve(() => status);
    const log = recorder();
    const relay = createRelayCdmClient({ apiKey: secrets.apiKey, baseUrl: server.url, hooks: log.hooks });
    const calls = [
      () =>
        relay.POST("/cdm/client/{client_id}/onboard", {
          params: { path: { client_id: relayPath.client_id } },
          body: {
            product_group_id: "default",
            launched_by: { lb_name: person.email, lb_source: "crm" },
            customer: {
              ccid: person.ccid,
              first_name: person.firstName,
              last_name: person.lastName,
              date_of_birth: person.dateOfBirth,
              ssn_last4: person.ssnLast4,
              notification_channels: [{ channel_addr: person.phone, consent_type: "written" }],
            },
          },
        }),
      () =>
        relay.PUT(addPhonePath, {
          params: { path: { ...relayPath, phone_number: person.phone } },
          body: { consent_type: "express", phone_type: "mobile" },
        }),
      () => relay.GET("/cdm/client/{client_id}/customer/{ccid}", { params: { path: relayPath } }),
    ];
    const errors: unknown[] = [];
    for (status of [400, 404, 500]) {
      for (const call of calls) errors.push(await unwrap(call()).catch((e: unknown) => e));
    }
    expect(errors).toHaveLength(9);
    for (const error of errors) expect(error).toBeInstanceOf(ApiError);
    // The server did receive the data, and echoed it back.
    expect(server.requests[0]?.body).toContain(person.ssnLast4);
    expect(JSON.stringify((errors[0] as ApiError).body)).toContain(person.dateOfBirth);

    expectNothingLeaks([...errors.flatMap(printed), ...log.printed()]);
    // The detector itself works: the raw echo it was spared does hold the data.
    expect(() => expectNothingLeaks([JSON.stringify((errors[0] as ApiError).body)])).toThrow();
  });

  it("Relay: retried 503s, a NetworkError and a TimeoutError carry no secret or personal data", async () => {
    let answer: number | "reset" | "hang" = 503;
    const server = await serve(() => answer);
    const log = recorder();
    const relay = createRelayCdmClient({
      apiKey: secrets.apiKey,
      baseUrl: server.url,
      hooks: log.hooks,
      retry: { maxAttempts: 2, baseDelayMs: 0 },
      timeoutMs: 5_000,
    });
    const addPhone = () =>
      relay.PUT(addPhonePath, { params: { path: { ...relayPath, phone_number: person.phone } }, body: { consent_type: "express" } });

    const unavailable = await unwrap(addPhone()).catch((e: unknown) => e);
    expect(unavailable).toMatchObject({ name: "ApiError", status: 503 });
    answer = "reset";
    const network = await addPhone().catch((e: unknown) => e);
    expect(network).toBeInstanceOf(NetworkError);

    answer = "hang";
    clock = useFakeClock();
    const call = observe(addPhone());
    await until(() => server.requests.length === 5);
    await clock.advance(5_000);
    await until(() => call.settled);
    expect(call.error).toBeInstanceOf(TimeoutError);

    expect(log.events.filter((e) => (e as { reason?: string }).reason !== undefined)).toHaveLength(2); // one retry each
    expectNothingLeaks([...[unavailable, network, call.error].flatMap(printed), ...log.printed()]);
  });

  it("HiiRelevate: a fixed bearer token and personal data stay out of ApiErrors and hooks", async () => {
    const server = await serve(() => 400);
    const log = recorder();
    const hii = createHiiRelevateClient({ token: secrets.bearerToken, baseUrl: server.url, hooks: log.hooks, throwOnError: true });
    const errors = [
      await hii
        .POST("/customers", {
          body: {
            displayName: `${person.firstName} ${person.lastName}`,
            email: [{ value: person.email }],
            phoneNumber: [{ value: person.phone }],
            socialSecurityNumber: person.ssn,
            birthdate: person.dateOfBirth,
          },
        })
        .catch((e: unknown) => e),
      await hii.GET("/customers/{customerId}", { params: { path: { customerId: person.customerId } } }).catch((e: unknown) => e),
    ];
    for (const error of errors) expect(error).toBeInstanceOf(ApiError);
    expect(server.requests[0]?.headers.authorization).toBe(`Bearer ${secrets.bearerToken}`);
    expectNothingLeaks([...errors.flatMap(printed), ...log.printed()]);
  });

  it("HiiRelevate: a token from clientCredentials is scrubbed wherever the API echoes it", async () => {
    const tokenServer = await startLocalServer((_request, res) => sendJson(res, 200, { access_token: secrets.issuedToken, expires_in: 3600 }));
    servers.push(tokenServer);
    const server = await serve(() => 404);
    const log = recorder();
    const hii = createHiiRelevateClient({
      token: clientCredentials({ tokenUrl: `${tokenServer.url}/token`, clientId: "cx", clientSecret: secrets.clientSecret }),
      baseUrl: server.url,
      hooks: log.hooks,
    });
    const error = await unwrap(hii.GET("/customers/{customerId}", { params: { path: { customerId: person.customerId } } })).catch(
      (e: unknown) => e,
    );
    expect((error as ApiError).body).toMatchObject({ seen_auth: `Bearer ${secrets.issuedToken}` });
    expect(JSON.parse(JSON.stringify(error)).body).toMatchObject({ seen_auth: "Bearer [redacted]" });
    expectNothingLeaks([...printed(error), ...log.printed()]);
  });

  it("a failing token endpoint gives a TokenRequestError without the client secret", async () => {
    const refusing = await startLocalServer((request, res) =>
      sendJson(res, 401, { error: "invalid_client", error_description: `bad secret ${secrets.clientSecret} in ${request.body}` }),
    );
    servers.push(refusing);
    const closed = await startLocalServer(() => undefined);
    await closed.close();
    const api = await serve(() => 200);
    const errors: unknown[] = [];
    for (const tokenUrl of [`${refusing.url}/token`, `${closed.url}/token`]) {
      const log = recorder();
      const hii = createHiiRelevateClient({
        token: clientCredentials({ tokenUrl, clientId: "cx", clientSecret: secrets.clientSecret }),
        baseUrl: api.url,
        hooks: log.hooks,
      });
      errors.push(await hii.GET("/customers/{customerId}", { params: { path: { customerId: person.customerId } } }).catch((e: unknown) => e));
      expectNothingLeaks(log.printed());
    }
    for (const error of errors) expect(error).toBeInstanceOf(TokenRequestError);
    expect((errors[0] as TokenRequestError).status).toBe(401);
    expect(api.requests).toHaveLength(0);
    expectNothingLeaks(errors.flatMap(printed));
  });

  it("Relay: personal values of the body that the server repeats in free text", async () => {
    const server = await startLocalServer((request, res) => {
      const { customer } = JSON.parse(request.body) as { customer: Record<string, string> };
      sendJson(res, 409, { message: `customer ${customer.ccid} (${customer.first_name} ${customer.last_name}) already exists` });
    });
    servers.push(server);
    const log = recorder();
    const relay = createRelayCdmClient({ apiKey: secrets.apiKey, baseUrl: server.url, hooks: log.hooks });
    const error = await unwrap(
      relay.POST("/cdm/client/{client_id}/load-customer-record", {
        params: { path: { client_id: relayPath.client_id } },
        body: { product_group_id: "default", customer: { ccid: person.ccid, first_name: person.firstName, last_name: person.lastName } },
      }),
    ).catch((e: unknown) => e);
    expect(error).toMatchObject({ status: 409 });
    expectNothingLeaks([...printed(error), ...log.printed()]);
  });
});

describe("redacted forms", () => {
  it("keep the raw body for programs, off the enumerable surface", async () => {
    const server = await serve(() => 400);
    const relay = createRelayCdmClient({ apiKey: secrets.apiKey, baseUrl: server.url, throwOnError: true });
    const error = (await relay
      .PUT(addPhonePath, { params: { path: { ...relayPath, phone_number: person.phone } }, body: { consent_type: "express" } })
      .catch((e: unknown) => e)) as ApiError<{ path: string; seen_key: string }>;
    expect(error.body.path).toBe(`/cdm/client/relay_developer/customer/${person.ccid}/add_phone/${person.phone}`);
    expect(error.body.seen_key).toBe(secrets.apiKey);
    for (const key of ["body", "response"]) {
      expect(Object.getOwnPropertyDescriptor(error, key)?.enumerable).toBe(false);
    }
    expect(Object.keys(error)).not.toContain("body");
    expect(inspect(error, { depth: 10 })).not.toContain("seen_key");
  });

  it("mask a personal path segment whatever characters it holds", async () => {
    const server = await serve(() => 404);
    const log = recorder();
    const relay = createRelayCdmClient({ apiKey: secrets.apiKey, baseUrl: server.url, hooks: log.hooks });
    const ccid = "BAK/11984 007#?x"; // percent-encoded in the URL, partly decoded for display
    const error = await unwrap(relay.GET("/cdm/client/{client_id}/customer/{ccid}", { params: { path: { ...relayPath, ccid } } })).catch(
      (e: unknown) => e,
    );
    expect(server.requests[0]?.url).toBe(`/cdm/client/relay_developer/customer/${encodeURIComponent(ccid)}`);
    const url = `${server.url}/cdm/client/relay_developer/customer/[redacted]`;
    expect(log.events.slice(0, 2)).toEqual([expect.objectContaining({ url }), expect.objectContaining({ url, status: 404 })]);
    for (const text of [...printed(error), ...log.printed()]) expect(text).not.toContain("11984");
  });

  it("keep the operation, the status and the non-personal data", async () => {
    const server = await serve(() => 400);
    const log = recorder();
    const relay = createRelayCdmClient({ apiKey: secrets.apiKey, baseUrl: server.url, hooks: log.hooks });
    const result = await relay.POST("/cdm/client/{client_id}/onboard", {
      params: { path: { client_id: relayPath.client_id } },
      body: { product_group_id: "default", customer: { ccid: person.ccid, last_name: person.lastName } },
    });
    const error = await unwrap(result).catch((e: unknown) => e as ApiError);
    expect(error.message).toBe("POST /cdm/client/{client_id}/onboard answered 400");
    expect(JSON.parse(JSON.stringify(error))).toEqual({
      name: "ApiError",
      message: "POST /cdm/client/{client_id}/onboard answered 400",
      status: 400,
      operation: { method: "POST", path: "/cdm/client/{client_id}/onboard" },
      retryable: false,
      body: {
        message: "cannot process POST /cdm/client/relay_developer/onboard",
        path: "/cdm/client/relay_developer/onboard",
        request: { product_group_id: "default", customer: { ccid: "[redacted]", last_name: "[redacted]" } },
        seen_key: "[redacted]",
      },
    });
    const inspected = inspect(error, { depth: 10 });
    for (const part of ["ApiError", "status: 400", "POST /cdm/client/{client_id}/onboard answered 400"]) expect(inspected).toContain(part);

    const phone = await unwrap(
      relay.PUT(addPhonePath, { params: { path: { ...relayPath, phone_number: person.phone } }, body: { consent_type: "express" } }),
    ).catch((e: unknown) => e as ApiError);
    expect(JSON.parse(JSON.stringify(phone)).body.path).toBe("/cdm/client/relay_developer/customer/[redacted]/add_phone/[redacted]");
    const url = `${server.url}/cdm/client/relay_developer/customer/[redacted]/add_phone/[redacted]`;
    expect(log.events).toContainEqual({
      operation: `PUT ${addPhonePath}`,
      url,
      headers: expect.objectContaining({ "xx-relay-api-key": "[redacted]", "x-client": expect.stringMatching(/^@cx-openapi\/relay-cdm\//) }),
    });
    expect(log.lines).toContain(`→ PUT ${addPhonePath} ${url}`);
    expect(log.lines).toContain(`✖ PUT ${addPhonePath} answered 400`);
  });
});
