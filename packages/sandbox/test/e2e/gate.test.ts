// The sandbox on the network behind `prism proxy`: answers pass the gate, a deliberately broken
// answer is caught (response path), a success answer to a request the spec forbids is caught
// (request path), invalid requests get the vendor's 400, and the front's own features (CORS,
// faults) sit outside the gate; the main journeys run as Arazzo workflows. One server for the whole
// file, on free ports, stopped at the end.
import { spawn, spawnSync } from "node:child_process";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { repoRoot } from "@cx-openapi/devkit/repo";
import { createRelayCdmClient, TimeoutError } from "@cx-openapi/relay-cdm";
import fc from "fast-check";
import { getOperation, listOperations } from "@cx-openapi/spec";
import type { Engine } from "../../src/engine.js";
import { exampleRequests } from "../../src/example-calls.js";
import { createSandbox } from "../../src/index.js";
import { relayHandlers } from "../../src/relay-cdm.js";
import type { Sandbox } from "../../src/sandbox.js";
import { serveSandbox, type RunningSandbox } from "../../src/server.js";
import { expectNoForwarding, nestedJson, startCanary, type Canary } from "@cx-openapi/devkit/testing";
import { requestOf, toRequest } from "../arbitrary.js";
import { hiiClientOf, loadSpecs, relayClientOf, specFiles } from "../helpers.js";

let sandbox: Sandbox;
let running: RunningSandbox;
let canary: Canary;
const gateEvents: string[] = [];
let relayUrl: string;
let hiiUrl: string;
const bodyLimitBytes = 64 * 1024;

beforeAll(async () => {
  sandbox = createSandbox({ specs: loadSpecs() });
  running = await serveSandbox({
    sandbox,
    specFiles,
    gate: "prism",
    limits: { bodyBytes: bodyLimitBytes },
    onGateEvent: (message) => gateEvents.push(message),
  });
  relayUrl = running.urls["relay-cdm"];
  hiiUrl = running.urls.hiirelevate;
  canary = await startCanary();
});
afterAll(async () => {
  await running?.stop();
  await canary?.close();
});

const key = { "xx-relay-api-key": "k", "content-type": "application/json" };
const onboardBody = (ccid: string, first_name = "Ada") =>
  JSON.stringify({ product_group_id: "default", customer: { ccid, first_name } });
const relayClient = () => relayClientOf(sandbox, "k", relayUrl, (input, init) => fetch(input, init));
const customer = (ccid: string) => ({ params: { path: { client_id: "c1", ccid } } });

describe("sandbox behind Prism: the contract gate", () => {
  it("onboard then retrieve returns the onboarded person, through the gate", async () => {
    const relay = relayClient();
    expect(
      (
        await relay.POST("/cdm/client/{client_id}/onboard", {
          params: { path: { client_id: "c1" } },
          body: { product_group_id: "default", customer: { ccid: "NEW-42", first_name: "Ada" } },
        })
      ).status,
    ).toBe(200);
    const retrieved = await relay.GET("/cdm/client/{client_id}/customer/{ccid}", customer("NEW-42"));
    expect(retrieved.data).toEqual({ ccid: "NEW-42", first_name: "Ada", notification_channels: [] });
    expect(retrieved.response.headers.get("sl-violations")).toBeNull();
  });

  it("HiiRelevate: client credentials against the sandbox's token endpoint, then create and get", async () => {
    const hii = hiiClientOf(sandbox, "shop", "secret", hiiUrl, (input, init) => fetch(input, init));
    const created = await hii.POST("/customers", {
      body: { displayName: "Ada", email: [{ value: "ada@example.com" }] },
    });
    expect(created.status).toBe(201);
    expect(
      (await hii.GET("/customers/{customerId}", { params: { path: { customerId: created.data!.id! } } })).data
        ?.displayName,
    ).toBe("Ada");
  });

  it("response path: a handler answer that breaks the spec becomes a 500 problem+json listing the violation", async () => {
    const original = relayHandlers.getCustomer;
    relayHandlers.getCustomer = () => ({ status: 200, body: { ccid: "X", first_name: 5 } }) as never;
    try {
      const response = await fetch(`${relayUrl}/cdm/client/c1/customer/X`, { headers: key });
      expect(response.status).toBe(500);
      expect(response.headers.get("content-type")).toBe("application/problem+json");
      const body = (await response.json()) as { title: string; validation: string[] };
      expect(body.title).toBe("The sandbox's response breaks the spec");
      expect(body.validation).toEqual(["response.body.first_name: Response body property first_name must be string"]);
    } finally {
      relayHandlers.getCustomer = original;
    }
  });

  it("response path: an undeclared status is caught too", async () => {
    const original = relayHandlers.getCustomer;
    relayHandlers.getCustomer = () => ({ status: 418, body: { message: "teapot" } }) as never;
    try {
      const response = await fetch(`${relayUrl}/cdm/client/c1/customer/X`, { headers: key });
      expect(response.status).toBe(500);
      expect(JSON.stringify(await response.json())).toContain("Unable to match the returned status code");
    } finally {
      relayHandlers.getCustomer = original;
    }
  });

  it("request path: an invalid request reaches the sandbox and gets the vendor's 400, named by field; Prism's own view stays in sl-violations", async () => {
    const response = await fetch(`${relayUrl}/cdm/client/c1/onboard`, {
      method: "POST",
      headers: key,
      body: JSON.stringify({ customer: { ccid: "x".repeat(101) } }),
    });
    expect(response.status).toBe(400);
    expect(await response.json()).toEqual({
      message: "product_group_id is required; customer.ccid must NOT have more than 100 characters",
    });
    expect(response.headers.get("sl-violations")).toContain("product_group_id");

    const hii = await fetch(`${hiiUrl}/customers/not-a-uuid`, { headers: { authorization: "Bearer t" } });
    expect(hii.status).toBe(400);
    expect(await hii.json()).toEqual({
      statusCode: 400,
      message: ['customerId must match format "uuid"'],
      error: "Bad Request",
    });
  });

  it("request path: a sandbox that accepted a request the spec forbids is caught", async () => {
    const original = sandbox.engines["relay-cdm"];
    const lax: Engine = {
      ...original,
      handle: () => ({ status: 200, headers: { "content-type": "application/json" }, body: { message: "Accepted" } }),
    };
    sandbox.engines["relay-cdm"] = lax;
    try {
      const response = await fetch(`${relayUrl}/cdm/client/c1/onboard`, {
        method: "POST",
        headers: key,
        body: JSON.stringify({ customer: {} }),
      });
      expect(response.status).toBe(500);
      const body = (await response.json()) as { title: string; validation: string[] };
      expect(body.title).toBe("The sandbox accepted a request the spec forbids");
      expect(body.validation.join("\n")).toContain("product_group_id");
    } finally {
      sandbox.engines["relay-cdm"] = original;
    }
  });
});

describe("sandbox behind Prism: bad input gets a vendor-shaped 4xx, never a 5xx", () => {
  const post = (body: string, headers: Record<string, string> = key) =>
    fetch(`${relayUrl}/cdm/client/c1/onboard`, { method: "POST", headers, body });

  it.each([
    ["malformed JSON", () => post("{bad"), 400, /^the request body is not valid JSON/],
    ["a null body", () => post("null"), 400, /^\(body\) must be object/],
    [
      "a body over the size limit",
      () => post(JSON.stringify({ pad: "x".repeat(bodyLimitBytes) })),
      413,
      /larger than the limit of 65536 bytes/,
    ],
    [
      "a wrong content type",
      () => post(onboardBody("CT-1"), { ...key, "content-type": "text/plain" }),
      400,
      /^Content-Type must be application\/json/,
    ],
    ["an unknown route", () => fetch(`${relayUrl}/cdm/nowhere`, { headers: key }), 404, /^Cannot GET \/cdm\/nowhere$/],
    [
      "a bad percent-encoding",
      () => fetch(`${relayUrl}/cdm/client/c1/customer/%E0%A4%A`, { headers: key }),
      400,
      /not validly percent-encoded/,
    ],
  ])("%s", async (_name, send, status, message) => {
    const response = await send();
    expect(response.status).toBe(status);
    const body = (await response.json()) as { message: string };
    expect(body.message).toMatch(message);
  });

  it("HiiRelevate: malformed JSON and an unknown route in the NestJS shape", async () => {
    const bad = await fetch(`${hiiUrl}/customers`, {
      method: "POST",
      headers: { authorization: "Bearer t", "content-type": "application/json" },
      body: "{",
    });
    expect(bad.status).toBe(400);
    expect(await bad.json()).toMatchObject({ statusCode: 400, error: "Bad Request" });
    const unknown = await fetch(`${hiiUrl}/nowhere`);
    expect(await unknown.json()).toEqual({ statusCode: 404, message: "Cannot GET /nowhere", error: "Not Found" });
  });
});

describe("sandbox behind Prism: hostile targets, deep or long bodies, and a Prism that exits", () => {
  it("no request target reaches another host: the canary gets nothing, credentials and all", async () => {
    await expectNoForwarding(relayUrl, canary, { headers: key, refused: (status) => status === 400 });
    await expectNoForwarding(hiiUrl, canary, { headers: { authorization: "Bearer t" }, refused: (s) => s === 400 });
  });

  it("a body nested 5,000 levels deep gets the documented 400, and Prism stays up", async () => {
    const deep = await fetch(`${relayUrl}/cdm/client/c1/onboard`, {
      method: "POST",
      headers: key,
      body: `{"product_group_id":"default","customer":{"ccid":"D","extra":${nestedJson(5000)}}}`,
    });
    expect(deep.status).toBe(400);
    const next = await fetch(`${relayUrl}/cdm/client/c1/onboard`, {
      method: "POST",
      headers: key,
      body: onboardBody("D-2"),
    });
    expect(next.status).toBe(200);
  });

  it("many violations still get the documented 400, listing the first 20 (not a 500 from Prism's cut header)", async () => {
    const channels = Array.from({ length: 200 }, () => ({ channel_addr: "1", consent_type: "nope" }));
    const answer = await fetch(`${relayUrl}/cdm/client/c1/onboard`, {
      method: "POST",
      headers: key,
      body: JSON.stringify({ product_group_id: "default", customer: { ccid: "V", notification_channels: channels } }),
    });
    expect(answer.status).toBe(400);
    expect(((await answer.json()) as { message: string }).message.split("; ")).toHaveLength(20);
  });

  it("a Prism that exits is logged and restarted; meanwhile the API answers 503 with Retry-After", async () => {
    const [prism] = prismsServing("relay-cdm.json");
    expect(prism).toBeDefined();
    process.kill(prism!, "SIGKILL");
    const statuses = new Set<number>();
    const deadline = Date.now() + 10_000;
    for (;;) {
      const answer = await fetch(`${relayUrl}/cdm/client/c1/customer/D-2`, { headers: key });
      statuses.add(answer.status);
      if (answer.status === 503) expect(answer.headers.get("retry-after")).toBe("1");
      if (answer.status === 200 || Date.now() > deadline) break;
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    expect([...statuses].every((status) => status === 200 || status === 503)).toBe(true);
    expect(statuses.has(200)).toBe(true);
    expect(gateEvents.join("\n")).toMatch(
      /relay-cdm: Prism exited \(signal SIGKILL\); restarting it\nrelay-cdm: Prism is back/,
    );
  });
});

/** The process ids of the Prism children of this process that serve a spec file of this name. */
function prismsServing(specName: string): number[] {
  const ps = spawnSync("ps", ["-o", "pid=,args=", "--ppid", String(process.pid)], { encoding: "utf8" });
  return ps.stdout
    .split("\n")
    .filter((line) => line.includes("prism") && line.includes(specName))
    .map((line) => Number(line.trim().split(/\s+/)[0]));
}

describe("sandbox behind Prism: 100 concurrent writes", () => {
  it("to 100 different customers: every one is stored", async () => {
    const results = await Promise.all(
      Array.from({ length: 100 }, (_, i) =>
        fetch(`${relayUrl}/cdm/client/bulk/onboard`, {
          method: "POST",
          headers: key,
          body: onboardBody(`BULK-${i}`, `N${i}`),
        }),
      ),
    );
    expect(results.map((r) => r.status)).toEqual(Array(100).fill(200));
    const stored = sandbox.store.state.relayCdm.clients.bulk!.customers;
    expect(Object.keys(stored).sort()).toEqual(Array.from({ length: 100 }, (_, i) => `BULK-${i}`).sort());
    expect(Object.values(stored).every((p) => p.customer.first_name === `N${p.customer.ccid.slice(5)}`)).toBe(true);
  });

  it("to the same customer: each write applied whole, in some serial order, none lost (the 50-number limit splits them exactly)", async () => {
    await fetch(`${relayUrl}/cdm/client/same/onboard`, { method: "POST", headers: key, body: onboardBody("SAME") });
    const numbers = Array.from({ length: 100 }, (_, i) => `610555${String(i).padStart(4, "0")}`);
    const results = await Promise.all(
      numbers.map((n) =>
        fetch(`${relayUrl}/cdm/client/same/customer/SAME/add_phone/${n}`, { method: "PUT", headers: key }),
      ),
    );
    const accepted = numbers.filter((_, i) => results[i]!.status === 200);
    expect(results.filter((r) => r.status === 409)).toHaveLength(50);
    expect(accepted).toHaveLength(50);
    const stored = sandbox.store.state.relayCdm.clients.same!.customers.SAME!.customer.notification_channels.map(
      (c) => c.channel_addr,
    );
    expect(stored.sort()).toEqual(accepted.sort());
  });
});

describe("sandbox front: outside the gate", () => {
  it("CORS: a preflight from another origin is allowed with the clients' headers, and answers carry the origin", async () => {
    const preflight = await fetch(`${relayUrl}/cdm/client/c1/customer/NEW-42`, {
      method: "OPTIONS",
      headers: {
        origin: "http://localhost:5173",
        "access-control-request-method": "GET",
        "access-control-request-headers": "xx-relay-api-key",
      },
    });
    expect(preflight.status).toBe(204);
    expect(preflight.headers.get("access-control-allow-origin")).toBe("http://localhost:5173");
    expect(preflight.headers.get("access-control-allow-headers")).toBe("xx-relay-api-key");
    const answer = await fetch(`${relayUrl}/cdm/client/c1/customer/NEW-42`, {
      headers: { ...key, origin: "http://localhost:5173" },
    });
    expect(answer.headers.get("access-control-allow-origin")).toBe("http://localhost:5173");
  });

  it("faults: a per-call 503 with Retry-After, in the API's error shape", async () => {
    const response = await fetch(`${relayUrl}/cdm/client/c1/customer/NEW-42`, {
      headers: { ...key, "x-sandbox-fault-status": "503", "x-sandbox-retry-after": "1" },
    });
    expect(response.status).toBe(503);
    expect(response.headers.get("retry-after")).toBe("1");
    expect(await response.json()).toEqual({ message: "fault injected by the sandbox (status 503)" });
  });

  it("faults: a global rule used up once lets the client's retry succeed", async () => {
    const put = await fetch(`${relayUrl}/__sandbox/faults`, {
      method: "PUT",
      body: JSON.stringify([{ path: "/customer/NEW-42", status: 503, retryAfter: 0, times: 1 }]),
    });
    expect(put.status).toBe(204);
    const relay = relayClientOf(sandbox, "k", relayUrl, (input, init) => fetch(input, init));
    const retrieved = await relay.GET("/cdm/client/{client_id}/customer/{ccid}", customer("NEW-42"));
    expect(retrieved.status).toBe(200);
    expect(await (await fetch(`${relayUrl}/__sandbox/faults`)).json()).toEqual([]);
  });

  it("faults: a delay longer than the client's timeout exercises it; a bad rule is refused naming the field", async () => {
    const relay = createRelayCdmClient({ apiKey: "k", baseUrl: relayUrl, timeoutMs: 200, retry: false });
    await expect(
      relay.GET("/cdm/client/{client_id}/customer/{ccid}", {
        ...customer("NEW-42"),
        headers: { "x-sandbox-delay-ms": "2000" },
      }),
    ).rejects.toThrow(TimeoutError);
    const bad = await fetch(`${relayUrl}/__sandbox/faults`, { method: "PUT", body: JSON.stringify([{ status: 42 }]) });
    expect(bad.status).toBe(400);
    expect(await bad.json()).toEqual({ message: "[0].status must be a whole number from 400 to 599" });
  });

  it("faults: a reset connection drops the socket without an answer", async () => {
    await expect(
      fetch(`${relayUrl}/cdm/client/c1/customer/NEW-42`, { headers: { ...key, "x-sandbox-fault": "reset" } }),
    ).rejects.toThrow("fetch failed");
  });

  it("overrides are answered behind the gate: one that breaks the spec is caught by Prism", async () => {
    const overrides = [
      { match: { operationId: "getCustomer" }, response: { status: 200, body: { first_name: 5 } }, times: 1 },
    ];
    expect(
      (await fetch(`${relayUrl}/__sandbox/overrides`, { method: "PUT", body: JSON.stringify(overrides) })).status,
    ).toBe(204);
    const answer = await fetch(`${relayUrl}/cdm/client/c1/customer/NEW-42`, { headers: key });
    expect(answer.status).toBe(500);
    expect(JSON.stringify(await answer.json())).toContain("first_name");
  });
});

describe("sandbox behind Prism: a sample of the generated valid requests", () => {
  it("never gets a 5xx: Prism finds nothing wrong with the answers (5 per operation)", async () => {
    for (const api of ["relay-cdm", "hiirelevate"] as const) {
      const doc = sandbox.engines[api].spec;
      for (const operation of listOperations(doc)) {
        const samples = fc.sample(requestOf(doc, operation), { numRuns: 5, seed: 42 });
        for (const generated of samples) {
          const request = toRequest(api, operation, generated);
          const response = await fetch(`${running.urls[api]}${request.path}`, {
            method: request.method,
            headers: request.headers as Record<string, string>,
            body: request.body ?? null,
          });
          const text = await response.text();
          expect(response.status, `${operation.operationId} ${request.path}: ${text}`).toBeLessThan(500);
        }
      }
    }
  });
});

describe("sandbox behind Prism: the example data", () => {
  it("every example request answers its documented success, and Prism finds nothing wrong with the answers", async () => {
    const credentials = { "relay-cdm": { "xx-relay-api-key": "k" }, hiirelevate: { authorization: "Bearer gate" } };
    // A create of a name the example data holds answers as a second create does.
    const secondCreate: Record<string, number> = {
      loadCustomerRecord: 409,
      createConsent: 400,
      createSegment: 400,
      createSegmentValue: 400,
    };
    const outcomes: string[] = [];
    const expected: string[] = [];
    for (const api of ["relay-cdm", "hiirelevate"] as const) {
      const doc = sandbox.engines[api].spec;
      for (const { operationId, request } of exampleRequests(doc)) {
        const success = Object.keys(getOperation(doc, operationId).responses)
          .filter((s) => /^2/.test(s))
          .sort()[0];
        expected.push(`${operationId} ${secondCreate[operationId] ?? success} violations: null`);
        // A namespace each: every request meets the start data, whatever the others changed.
        const headers = { ...request.headers, ...credentials[api], "x-sandbox-namespace": `gate-${operationId}` };
        const response = await fetch(`${running.urls[api]}${request.path}`, {
          method: request.method,
          headers: headers as Record<string, string>,
          body: request.body ?? null,
        });
        outcomes.push(`${operationId} ${response.status} violations: ${response.headers.get("sl-violations")}`);
      }
    }
    expect(outcomes).toEqual(expected);
  });
});

const workflows = ["relay-cdm", "hiirelevate"].map((api) =>
  join(repoRoot, "openapi", api, "workflows", "customer-journey.arazzo.yaml"),
);

function respect(args: string[], timeoutMs = 60_000): Promise<{ code: number | null; output: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(join(repoRoot, "node_modules/.bin/redocly"), ["respect", ...args], {
      cwd: repoRoot,
      env: { ...process.env, REDOCLY_TELEMETRY: "off", REDOCLY_SUPPRESS_UPDATE_NOTICE: "true" },
      stdio: ["ignore", "pipe", "pipe"],
    });
    let output = "";
    child.stdout.on("data", (c: Buffer) => (output += c.toString()));
    child.stderr.on("data", (c: Buffer) => (output += c.toString()));
    const timer = setTimeout(() => child.kill("SIGKILL"), timeoutMs);
    child.once("error", reject);
    child.once("exit", (code) => {
      clearTimeout(timer);
      resolve({ code, output });
    });
  });
}

describe("sandbox behind Prism: the Arazzo workflows (openapi/<api>/workflows/, redocly respect)", () => {
  it("both journeys pass twice in a row on the same sandbox, every step and check, with no reset between", async () => {
    // respect runs its files one after the other, so each journey meets what its previous run left.
    const { code, output } = await respect([
      ...workflows,
      ...workflows,
      "--server",
      `relayCdm=${running.urls["relay-cdm"]}`,
      "--server",
      `hiirelevate=${running.urls.hiirelevate}`,
    ]);
    expect(code, output).toBe(0);
    expect(output.match(/Steps: 9 passed, 9 total/g), output).toHaveLength(2);
    expect(output.match(/Steps: 12 passed, 12 total/g), output).toHaveLength(2);
    expect(output).not.toContain("✗");
  }, 90_000);
});
