// `pnpm sandbox` started as a user does (here with the in-process gate, so without Prism: the gate
// through Prism is `pnpm start`'s, in pnpm-start.test.ts), the curl samples the reference pages show
// run against it with sh and curl (Relay's in a journey's order, HiiRelevate's with the examples'
// customer and consents seeded), and then stopped the way a service manager stops it: SIGTERM of
// pnpm, after which it exits 0 with no error line and leaves nothing behind. (Against the static
// mock, `pnpm mock`, the samples run in the contract tier: scripts/test/contract/pnpm-mock.test.ts.)
import {
  descendants,
  expectCleanStop,
  killTree,
  runCurlSample,
  startReady,
  type Started,
} from "@cx-openapi/devkit/testing";
import { plainTokenTenant } from "@cx-openapi/sandbox";
import { freePort, getOperation, listOperations, loadSpec, type Operation } from "@cx-openapi/spec";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { loadApis } from "../../lib/apis.js";
import { curlCommand, localCredential, sampleRequest } from "../../lib/curl-samples.js";
import { cleanEnv } from "../../lib/process.js";

const apis = loadApis().map((api) => ({ api, doc: loadSpec(api.bundleJson) }));

/** The status a server answers a valid request with by default: the lowest documented 2xx. */
const defaultSuccess = (op: Operation) =>
  Object.keys(op.responses)
    .filter((s) => /^2\d\d$/.test(s))
    .sort()[0];

/** `pnpm sandbox` on free ports: each API's URL. */
let sandbox: Started | undefined;
const urls: Record<string, string> = {};
beforeAll(async () => {
  const args = ["sandbox", "--gate", "in-process"];
  for (const { api } of apis) {
    const port = await freePort();
    urls[api.name] = `http://127.0.0.1:${port}`;
    args.push(`--${api.name}-port`, String(port));
  }
  sandbox = await startReady(args, { env: cleanEnv() });
}, 120_000);
afterAll(() => killTree(sandbox?.child));

describe("pnpm sandbox", () => {
  it("serves every API on the ports it is given, without Prism", () => {
    for (const url of Object.values(urls)) expect(sandbox!.output()).toContain(url);
    expect(descendants(sandbox!.child.pid!).filter((p) => p.args.includes("prism"))).toHaveLength(0);
  });
});

/** The order a reader would run them in: what creates a person first, what removes it last. */
const relayJourney = [
  "loadCustomerRecord",
  "onboardCustomer",
  "getCustomer",
  "addCustomerPhone",
  "removeCustomerPhone",
  "moveCustomerProductGroup",
  "deactivateCustomer",
];

describe("the curl samples against the stateful sandbox", () => {
  it("relay-cdm: run in a journey's order, each answers its documented 2xx, and retrieve returns the person loaded", async () => {
    const { doc } = apis.find(({ api }) => api.name === "relay-cdm")!;
    const operations = listOperations(doc);
    expect([...relayJourney].sort(), "the journey runs every operation").toEqual(
      operations.map((op) => op.operationId).sort(),
    );
    const url = urls["relay-cdm"]!;
    for (const operationId of relayJourney) {
      const op = operations.find((o) => o.operationId === operationId)!;
      const request = sampleRequest(doc, op);
      const { status, body } = await runCurlSample(curlCommand(request, url));
      expect(status, `${operationId}: ${body}`).toBe(Number(defaultSuccess(op)));
      if (operationId === "getCustomer") {
        const loaded = sampleRequest(doc, operations.find((o) => o.operationId === "loadCustomerRecord")!).body as {
          customer: { ccid: string; first_name: string };
        };
        expect(JSON.parse(body)).toMatchObject({ ccid: loaded.customer.ccid, first_name: loaded.customer.first_name });
      }
    }
  });

  it("hiirelevate: with the examples' customer and consents seeded, every sample answers its documented 2xx (one needs a membership no sample makes)", async () => {
    const { doc } = apis.find(({ api }) => api.name === "hiirelevate")!;
    const url = urls.hiirelevate!;
    // The customer and consents the examples name, seeded for the tenant of the samples' token.
    const customerId = decodeURIComponent(
      /\/customers\/([^/]+)$/.exec(sampleRequest(doc, getOperation(doc, "getCustomer")).target)![1]!,
    );
    const consentIds = sampleRequest(doc, getOperation(doc, "addCustomerConsents")).body as string[];
    const consent = sampleRequest(doc, getOperation(doc, "createConsent")).body as Record<string, unknown>;
    const created = sampleRequest(doc, getOperation(doc, "createCustomer")).body as Record<string, unknown>;
    const seeded = await fetch(`${url}/__sandbox/seed`, {
      method: "PUT",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({
        hiirelevate: {
          tenants: {
            [plainTokenTenant(localCredential)]: {
              customers: [{ ...created, id: customerId }],
              consents: consentIds.map((name) => ({ ...consent, name })),
            },
          },
        },
      }),
    });
    expect(seeded.status, await seeded.text()).toBe(204);
    // Creations first, deletions last, so what the samples read exists where the sandbox can know it.
    const rank = (method: string) => ({ post: 0, get: 1, put: 2, patch: 2, delete: 3 })[method] ?? 1;
    const operations = listOperations(doc).sort((a, b) => rank(a.method) - rank(b.method));
    const outcomes: string[] = [];
    for (const op of operations) {
      const { status, body } = await runCurlSample(curlCommand(sampleRequest(doc, op), url));
      if (String(status) !== defaultSuccess(op)) outcomes.push(`${op.operationId}: ${status} ${body.slice(0, 200)}`);
    }
    // Its example moves the customer from "silver", a segment value no other sample creates.
    expect(outcomes).toEqual([expect.stringMatching(/^updateCustomerSegment: 404 .*loyalty-tier=silver not found/)]);
  });
});

// Last: the samples above use the running command.
describe("pnpm sandbox, stopped", () => {
  it("stops on SIGTERM of pnpm with exit 0 and no error line", async () => {
    await expectCleanStop(sandbox!, "SIGTERM");
    for (const url of Object.values(urls)) await expect(fetch(url)).rejects.toThrow();
  });
});
