// Contract tests of the Relay CDM client against Prism serving the bundled spec. Every response
// that reaches a test is validated against the spec by our own validator and recorded for the
// coverage matrix; every request constraint the generator derives from the spec is sent broken.
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, describe, expect, expectTypeOf, inject, it } from "vitest";
import {
  createValidator,
  deref,
  getApi,
  isObject,
  listOperations,
  loadSpec,
  matchOperation,
  recordCoverage,
  requestViolations,
  type MediaType,
  type ViolationCase,
} from "@cx-openapi/devkit";
import {
  apiKeyHeader,
  createRelayCdmClient,
  environments,
  type Customer,
  type MessageResponse,
  type OnboardCustomerResponse,
  type RelayCdmClient,
} from "../src/index.js";

const api = getApi("relay-cdm");
const doc = loadSpec(api.bundleJson);
const validator = createValidator(doc);
const operations = listOperations(doc);
const mockUrl = inject("mockUrls")[api.name] as string;
const coverageFile = inject("coverageFile");

const apiKey = "test-key";
const clientId = "relay_developer";
const ccid = "BAK-11984-007";
const phoneNumber = "6105551212";

/**
 * The fetch every client of this suite uses: refuses any host but loopback, and validates each
 * response against the spec (an undeclared status or a body off-schema throws, failing the test).
 */
function checkedFetch(baseUrl: string, { record = true } = {}): (request: Request) => Promise<Response> {
  const basePath = new URL(baseUrl).pathname.replace(/\/$/, "");
  return async (request) => {
    const url = new URL(request.url);
    if (url.hostname !== "127.0.0.1" && url.hostname !== "localhost") {
      throw new Error(`Refusing to call ${url.origin}: tests only talk to local servers`);
    }
    const response = await fetch(request);
    const match = matchOperation(doc, request.method, url.pathname.slice(basePath.length));
    if (!match) throw new Error(`${request.method} ${url.pathname} matches no operation of the spec`);
    const text = await response.clone().text();
    const result = validator.validateResponse({
      operationId: match.operation.operationId,
      status: response.status,
      contentType: response.headers.get("content-type") ?? undefined,
      body: text === "" ? undefined : parseJson(text),
    });
    if (record) recordCoverage(coverageFile, { api: api.name, operationId: match.operation.operationId, status: response.status });
    if (!result.valid) throw new Error(`The response breaks the spec:\n${result.errors.join("\n")}`);
    return response;
  };
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return text;
  }
}

const client = createRelayCdmClient({ apiKey, baseUrl: mockUrl, fetch: checkedFetch(mockUrl) });

/** The named examples of an operation's 200 JSON response, from the spec. */
function successExamples(operationId: string): [string, unknown][] {
  const operation = operations.find((op) => op.operationId === operationId);
  const media = operation?.responses["200"]?.content?.["application/json"] as MediaType | undefined;
  return Object.entries(media?.examples ?? {}).map(([name, example]) => [name, deref<{ value?: unknown }>(doc, example).value]);
}

/** Asserts every field of the example, one by one (so a failure names the field), then the whole. */
function expectFieldByField(actual: unknown, expected: unknown, path = "data"): void {
  if (isObject(expected)) {
    expect(isObject(actual), `${path} is an object`).toBe(true);
    for (const [key, value] of Object.entries(expected)) expectFieldByField((actual as Record<string, unknown>)[key], value, `${path}.${key}`);
    expect(Object.keys(actual as object).sort(), `${path} has exactly the example's fields`).toEqual(Object.keys(expected).sort());
  } else if (Array.isArray(expected)) {
    expect(Array.isArray(actual) && actual.length, `${path} length`).toBe(expected.length);
    expected.forEach((item, i) => expectFieldByField((actual as unknown[])[i], item, `${path}[${i}]`));
  } else {
    expect(actual, path).toEqual(expected);
  }
}

/** One typed call per operation; `prefer` picks the Prism example. A new operation fails the suite until it gets one. */
const successCalls: Record<string, (prefer: string) => Promise<{ data: unknown; response: Response }>> = {
  onboardCustomer: async (prefer) => {
    const { data, response } = await client.POST("/cdm/client/{client_id}/onboard", {
      params: { path: { client_id: clientId } },
      body: { product_group_id: "default", customer: { ccid, notification_channels: [{ channel_addr: phoneNumber, consent_type: "written" }] } },
      headers: { Prefer: prefer },
    });
    expectTypeOf(data).branded.toEqualTypeOf<OnboardCustomerResponse | undefined>();
    return { data, response };
  },
  loadCustomerRecord: async (prefer) => {
    const { data, response } = await client.POST("/cdm/client/{client_id}/load-customer-record", {
      params: { path: { client_id: clientId } },
      body: { product_group_id: "default", customer: { ccid, first_name: "Roger" } },
      headers: { Prefer: prefer },
    });
    expectTypeOf(data).toEqualTypeOf<unknown>();
    return { data, response };
  },
  getCustomer: async (prefer) => {
    const { data, response } = await client.GET("/cdm/client/{client_id}/customer/{ccid}", {
      params: { path: { client_id: clientId, ccid } },
      headers: { Prefer: prefer },
    });
    expectTypeOf(data).branded.toEqualTypeOf<Customer | undefined>();
    return { data, response };
  },
  deactivateCustomer: async (prefer) => {
    const { data, response } = await client.DELETE("/cdm/client/{client_id}/customer/{ccid}", {
      params: { path: { client_id: clientId, ccid } },
      headers: { Prefer: prefer },
    });
    expectTypeOf(data).toEqualTypeOf<MessageResponse | undefined>();
    return { data, response };
  },
  addCustomerPhone: async (prefer) => {
    const { data, response } = await client.PUT("/cdm/client/{client_id}/customer/{ccid}/add_phone/{phone_number}", {
      params: { path: { client_id: clientId, ccid, phone_number: phoneNumber } },
      body: { consent_type: "express", phone_type: "mobile" },
      headers: { Prefer: prefer },
    });
    expectTypeOf(data).toEqualTypeOf<MessageResponse | undefined>();
    return { data, response };
  },
  removeCustomerPhone: async (prefer) => {
    const { data, response } = await client.PUT("/cdm/client/{client_id}/customer/{ccid}/remove_phone/{phone_number}", {
      params: { path: { client_id: clientId, ccid, phone_number: phoneNumber } },
      headers: { Prefer: prefer },
    });
    expectTypeOf(data).toEqualTypeOf<MessageResponse | undefined>();
    return { data, response };
  },
  moveCustomerProductGroup: async (prefer) => {
    const { data, response } = await client.PUT("/cdm/client/{client_id}/customer/{ccid}/move/{product_group_id}", {
      params: { path: { client_id: clientId, ccid, product_group_id: "default" } },
      headers: { Prefer: prefer },
    });
    expectTypeOf(data).toEqualTypeOf<MessageResponse | undefined>();
    return { data, response };
  },
};

/** The client's generic `request`, for requests built at run time (they cannot be typed statically). */
type UntypedRequest = (method: string, path: string, init: Record<string, unknown>) => Promise<{ data?: unknown; error?: unknown; response: Response }>;

function send(target: RelayCdmClient, c: { method: string; path: string; pathParams: Record<string, string>; query: Record<string, string>; body?: unknown }, headers: Record<string, string | null> = {}) {
  const init: Record<string, unknown> = { params: { path: c.pathParams, query: c.query }, headers };
  if ("body" in c) init.body = c.body;
  return (target.request as unknown as UntypedRequest)(c.method, c.path, init);
}

interface Violation {
  location?: string[];
  code?: string;
  message?: string;
}

function violationsOf(response: Response): Violation[] {
  const header = response.headers.get("sl-violations");
  return header ? (JSON.parse(header) as Violation[]) : [];
}

/** Whether a reported violation is about the case's field: at its location, or at its parent and naming it. */
function namesField(v: Violation, c: ViolationCase): boolean {
  const location = (v.location ?? []).filter((s, i) => !(i === 0 && s === "request")).map(String);
  const same = (a: string[], b: string[]) => a.length === b.length && a.every((s, i) => s === b[i]);
  const name = c.at[c.at.length - 1] ?? "";
  return same(location, c.at) || (same(location, c.at.slice(0, -1)) && (v.message ?? "").toLowerCase().includes(name.toLowerCase()));
}

describe("relay-cdm contract against Prism", () => {
  it("has a typed success call for every operation of the spec", () => {
    expect(Object.keys(successCalls).sort()).toEqual(operations.map((op) => op.operationId).sort());
  });

  describe.each(operations.map((op) => [op.operationId] as const))("%s", (operationId) => {
    const examples = successExamples(operationId);

    it("declares at least one 200 example", () => {
      expect(examples.length).toBeGreaterThan(0);
    });

    it.each(examples)("returns the %s example, field by field", async (name, example) => {
      const call = successCalls[operationId];
      if (!call) throw new Error(`no success call for ${operationId}`);
      const { data, response } = await call(`example=${name}`);
      expect(response.status).toBe(200);
      expectFieldByField(data, example);
    });

    it("answers 401 without the API key", async () => {
      const { baseline, operation } = requestViolations(doc, operationId);
      const { response } = await send(client, { ...operation, ...baseline }, { [apiKeyHeader]: null });
      expect(response.status).toBe(401);
    });

    it.each(Object.keys(operations.find((op) => op.operationId === operationId)?.responses ?? {}).filter((s) => /^\d+$/.test(s)))(
      "serves the declared %s response within the spec",
      async (status) => {
        const { baseline, operation } = requestViolations(doc, operationId);
        const { response } = await send(client, { ...operation, ...baseline }, { Prefer: `code=${status}` });
        expect(response.status).toBe(Number(status));
      },
    );
  });
});

/** A path parameter sent empty: the URL then reads as if the parameter were missing (see the case's note). */
const emptySegment = (c: ViolationCase) => c.location === "path" && c.pathParams[c.at[1] ?? ""] === "";

describe("relay-cdm request constraints: each generated violation is rejected", () => {
  for (const op of operations) {
    const { cases, untestable, baseline, operation } = requestViolations(doc, op.operationId);

    describe(op.operationId, () => {
      it("accepts the valid baseline request every case starts from", async () => {
        const { response } = await send(client, { ...operation, ...baseline });
        expect(response.status).toBe(200);
      });

      it.each(cases.filter((c) => !emptySegment(c)).map((c) => [c.title, c] as const))("%s", async (_title, c) => {
        const { response } = await send(client, c);
        const violations = violationsOf(response);
        const detail = `status ${response.status}, sl-violations ${JSON.stringify(violations)}`;
        expect(response.status >= 400 && response.status < 500, `a 4xx for ${c.field}; got ${detail}`).toBe(true);
        expect(
          violations.some((v) => namesField(v, c) && c.codes.includes(v.code ?? "")),
          `a ${c.codes.join("/")} violation naming ${c.at.join(".")}; got ${detail}`,
        ).toBe(true);
      });

      // Cases that HTTP cannot carry as such (an empty path segment): the request must still be
      // refused, either by the client before sending or by the server naming the parameter.
      it.each(cases.filter(emptySegment).map((c) => [c.title, c] as const))("%s", async (_title, c) => {
        const name = c.at[c.at.length - 1] ?? "";
        let response: Response;
        try {
          ({ response } = await send(client, c));
        } catch (error) {
          expect(String(error), "the client's refusal names the parameter").toContain(name);
          // The server must refuse it too, when a raw request gets through.
          const url = `${mockUrl}${c.path.replace(/\{([^}]+)\}/g, (_m, p: string) => encodeURIComponent(c.pathParams[p] ?? ""))}`;
          const init: RequestInit = { method: c.method.toUpperCase(), headers: { [apiKeyHeader]: apiKey, "content-type": "application/json" } };
          if ("body" in c) init.body = JSON.stringify(c.body);
          response = await checkedFetch(mockUrl)(new Request(url, init));
        }
        const violations = violationsOf(response);
        expect(response.status, `sl-violations ${JSON.stringify(violations)}`).toBeGreaterThanOrEqual(400);
        expect(response.status).toBeLessThan(500);
        expect(violations.some((v) => namesField(v, c) && c.codes.includes(v.code ?? "")), JSON.stringify(violations)).toBe(true);
      });

      it(`lists the ${untestable.length} constraint(s) HTTP cannot break, with a reason`, () => {
        for (const u of untestable) {
          expect(u.reason).not.toBe("");
          console.info(`untestable through HTTP: ${u.operationId} ${u.location} ${u.field} ${u.rule}: ${u.reason}`);
        }
      });
    });
  }
});

describe("relay-cdm path parameters with reserved characters", () => {
  let server: Server;
  let baseUrl: string;
  const seen: string[] = [];
  const customer = successExamples("getCustomer")[0]?.[1];

  beforeAll(async () => {
    server = createServer((req, res) => {
      seen.push(req.url ?? "");
      res.writeHead(200, { "content-type": "application/json" }).end(JSON.stringify(customer));
    });
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });

  afterAll(async () => {
    server.closeAllConnections();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  });

  it.each([
    ["a space", "BAK 007", "BAK%20007"],
    ["a plus", "BAK+007", "BAK%2B007"],
    ["a slash", "BAK/007", "BAK%2F007"],
    ["a hash", "BAK#007", "BAK%23007"],
    ["a question mark", "BAK?007", "BAK%3F007"],
    ["all of them", "a b+c/d#e?f", "a%20b%2Bc%2Fd%23e%3Ff"],
  ])("sends a ccid holding %s percent-encoded", async (_label, raw, encoded) => {
    // Its responses are validated but not counted as coverage: this server is not the mock.
    const local = createRelayCdmClient({ apiKey, baseUrl, fetch: checkedFetch(baseUrl, { record: false }) });
    seen.length = 0;
    const { response } = await local.GET("/cdm/client/{client_id}/customer/{ccid}", { params: { path: { client_id: clientId, ccid: raw } } });
    expect(response.status).toBe(200);
    expect(seen).toEqual([`/cdm/client/${clientId}/customer/${encoded}`]);
  });
});

describe("relay-cdm environments", () => {
  it.each(Object.keys(environments) as (keyof typeof environments)[])("%s targets a server of the spec without calling it", async (environment) => {
    const urls: string[] = [];
    // A stub fetch: the vendor host is never contacted.
    const stub = async (request: Request) => {
      urls.push(request.url);
      return new Response("{}", { status: 200, headers: { "content-type": "application/json" } });
    };
    const target = createRelayCdmClient({ apiKey, environment, fetch: stub });
    await target.PUT("/cdm/client/{client_id}/customer/{ccid}/move/{product_group_id}", {
      params: { path: { client_id: clientId, ccid, product_group_id: "default" } },
    });
    const servers = ((doc.servers ?? []) as { url: string }[]).map((s) => s.url);
    expect(servers).toContain(environments[environment]);
    expect(urls).toEqual([`${environments[environment]}/cdm/client/${clientId}/customer/${ccid}/move/default`]);
  });
});
