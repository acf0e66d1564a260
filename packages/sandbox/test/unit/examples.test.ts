// The example data every sandbox starts from: each request the spec's own examples describe answers
// on day one, in process, over HTTP and through the MSW handlers; `empty` starts blank; every
// HiiRelevate tenant starts from the same example data, on its own copy; reset returns to it.
import { dirname } from "node:path";
import { bundleFile } from "@cx-openapi/devkit/repo";
import { apiNames, getOperation, listOperations, type ApiName, type Operation } from "@cx-openapi/spec";
import { getResponse } from "msw";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { exampleRequests, mediaExamples } from "../../src/example-calls.js";
import { launchSandbox, type Launched } from "../../src/launch.js";
import { sandboxHandlers } from "../../src/msw.js";
import { createSandbox } from "../../src/sandbox.js";
import type { SandboxRequest } from "../../src/types.js";
import { loadSpecs, inProcess } from "../helpers.js";

/** A credential of each API: the sandbox accepts any Relay key and any plain bearer token. */
const credentials: Record<ApiName, Record<string, string>> = {
  "relay-cdm": { "xx-relay-api-key": "day-one" },
  hiirelevate: { authorization: "Bearer day-one" },
};

/**
 * A create of a name the example data already holds answers as a second create does on the real
 * service; every other example request answers the operation's documented success.
 */
const secondCreate: Record<string, number> = {
  loadCustomerRecord: 409,
  createConsent: 400,
  createSegment: 400,
  createSegmentValue: 400,
};

const lowestSuccess = (op: Operation) =>
  Number(
    Object.keys(op.responses)
      .filter((status) => /^2\d\d$/.test(status))
      .sort()[0],
  );

/** Every API's example requests, each with its credential and the status it must get. */
const cases = apiNames.flatMap((api) =>
  exampleRequests(loadSpecs()[api]).map(({ operationId, request }) => ({
    api,
    operationId,
    request: { ...request, headers: { ...request.headers, ...credentials[api] } },
    expected: secondCreate[operationId] ?? lowestSuccess(getOperation(loadSpecs()[api], operationId)),
  })),
);

/** Each request in a namespace of its own: a fresh copy of the start data, whatever ran before. */
const alone = (request: SandboxRequest, operationId: string): SandboxRequest => ({
  ...request,
  headers: { ...request.headers, "x-sandbox-namespace": `day-one-${operationId}` },
});

/** A request's fetch init. */
const initOf = ({ method, headers, body }: SandboxRequest): RequestInit => ({
  method,
  headers: headers as Record<string, string>,
  body: body ?? null,
});

describe("the example data, on day one", () => {
  it("covers every operation of both APIs", () => {
    for (const api of apiNames)
      expect(cases.filter((c) => c.api === api).map((c) => c.operationId)).toHaveLength(
        listOperations(loadSpecs()[api]).length,
      );
  });

  it("in process: every example request answers its documented success, checked against the spec", () => {
    const sandbox = inProcess();
    const outcomes = cases.map(({ api, operationId, request }) => {
      const answer = sandbox.handle(api, alone(request, operationId));
      return `${operationId} ${answer.status} ${answer.status >= 300 ? JSON.stringify(answer.body) : ""}`.trim();
    });
    expect(outcomes).toEqual(cases.map((c) => expect.stringMatching(new RegExp(`^${c.operationId} ${c.expected}\\b`))));
  });

  it("through the MSW handlers: the same answers", async () => {
    const base = { "relay-cdm": "http://127.0.0.1:1", hiirelevate: "http://127.0.0.1:2" };
    const { handlers } = sandboxHandlers({ specs: loadSpecs(), baseUrls: base });
    for (const { api, operationId, request, expected } of cases) {
      const single = alone(request, operationId);
      const answer = await getResponse(handlers, new Request(`${base[api]}${single.path}`, initOf(single)));
      expect(`${operationId} ${answer?.status}`).toBe(`${operationId} ${expected}`);
    }
  });

  it("the example person answers retrieve exactly as the spec's retrieve example shows", () => {
    const relay = loadSpecs()["relay-cdm"];
    const get = exampleRequests(relay).find((r) => r.operationId === "getCustomer")!.request;
    const answer = inProcess().handle("relay-cdm", { ...get, headers: credentials["relay-cdm"] });
    const [example] = mediaExamples(relay, getOperation(relay, "getCustomer").responses["200"]!.content);
    expect(answer.body).toEqual(example!.value);
  });
});

describe("reset", () => {
  it("returns to the example data: a deactivated example person is back", () => {
    const sandbox = inProcess();
    const get = exampleRequests(loadSpecs()["relay-cdm"]).find((r) => r.operationId === "getCustomer")!.request;
    const call = { ...get, headers: credentials["relay-cdm"] };
    expect(sandbox.handle("relay-cdm", { ...call, method: "DELETE" }).status).toBe(200);
    expect(sandbox.handle("relay-cdm", call).status).toBe(404);
    sandbox.reset();
    expect(sandbox.handle("relay-cdm", call).status).toBe(200);
  });
});

describe("the example data over HTTP (cx-sandbox's launch, in-process gate)", () => {
  let launched: Launched | undefined;
  beforeAll(async () => {
    launched = await launchSandbox({
      gate: "in-process",
      ports: { "relay-cdm": 0, hiirelevate: 0 },
      specDir: dirname(bundleFile("relay-cdm")),
    });
  });
  afterAll(() => launched?.running.stop());

  it("every example request answers its documented success", async () => {
    const outcomes: string[] = [];
    for (const { api, operationId, request } of cases) {
      const single = alone(request, operationId);
      const answer = await fetch(`${launched!.running.urls[api]}${single.path}`, initOf(single));
      outcomes.push(`${operationId} ${answer.status}`);
    }
    expect(outcomes).toEqual(cases.map((c) => `${c.operationId} ${c.expected}`));
  });
});

/** The example customer's GET, for a bearer token. */
function getExampleCustomer(token: string): SandboxRequest {
  const get = exampleRequests(loadSpecs().hiirelevate).find((r) => r.operationId === "getCustomer")!.request;
  return { ...get, headers: { authorization: `Bearer ${token}` } };
}

describe("HiiRelevate tenants and the example data", () => {
  it("every tenant starts from the example data, on a copy of its own: a change in one is not seen by another", () => {
    const sandbox = inProcess();
    const get = getExampleCustomer("tenant-a");
    expect(sandbox.handle("hiirelevate", get).status).toBe(200);
    expect(sandbox.handle("hiirelevate", { ...get, method: "DELETE" }).status).toBe(200);
    expect(sandbox.handle("hiirelevate", get).status).toBe(404);
    expect(sandbox.handle("hiirelevate", getExampleCustomer("tenant-b")).status).toBe(200);
  });

  it("a client of the token endpoint sees the example data too, and a reset brings back what a tenant deleted", () => {
    const sandbox = inProcess();
    const issued = sandbox.handle("hiirelevate", {
      method: "POST",
      path: "/oauth2/token",
      headers: { "content-type": "application/x-www-form-urlencoded" },
      body: "grant_type=client_credentials&client_id=my-app&client_secret=any",
    });
    const token = (issued.body as { access_token: string }).access_token;
    const get = getExampleCustomer(token);
    expect(sandbox.handle("hiirelevate", get).status).toBe(200);
    expect(sandbox.handle("hiirelevate", { ...get, method: "DELETE" }).status).toBe(200);
    const plain = getExampleCustomer("tenant-c");
    expect(sandbox.handle("hiirelevate", { ...plain, method: "DELETE" }).status).toBe(200);
    expect(sandbox.handle("hiirelevate", { method: "POST", path: "/__sandbox/reset", headers: {} }).status).toBe(204);
    expect(sandbox.handle("hiirelevate", plain).status).toBe(200);
  });

  it("a seed replaces the example data: a new tenant starts empty", () => {
    const sandbox = inProcess({ seed: { relayCdm: { clients: { shop: {} } } } });
    expect(sandbox.handle("hiirelevate", getExampleCustomer("tenant-d")).status).toBe(404);
  });
});

describe("empty", () => {
  it("starts blank: no example person, customer or tenant", () => {
    const sandbox = inProcess({ empty: true });
    const relayGet = exampleRequests(loadSpecs()["relay-cdm"]).find((r) => r.operationId === "getCustomer")!.request;
    expect(sandbox.handle("relay-cdm", { ...relayGet, headers: credentials["relay-cdm"] }).status).toBe(404);
    expect(sandbox.handle("hiirelevate", getExampleCustomer("tenant-e")).status).toBe(404);
    expect(sandbox.store.state.relayCdm.clients).toEqual({});
    expect(sandbox.store.state.hiirelevate.tenantTemplate).toBeUndefined();
  });

  it("in the MSW handlers too", async () => {
    const base = "http://127.0.0.1:3";
    const { handlers } = sandboxHandlers({ specs: loadSpecs(), baseUrls: { hiirelevate: base }, empty: true });
    const get = getExampleCustomer("tenant-f");
    expect((await getResponse(handlers, new Request(`${base}${get.path}`, initOf(get))))?.status).toBe(404);
  });

  it("and a seed exclude each other, named both", () => {
    expect(() => createSandbox({ specs: loadSpecs(), empty: true, seed: {} })).toThrow(/empty.*seed/);
  });
});
