// The curl samples and `Prefer` examples the reference pages show, run for real: each curl sample
// with sh and curl against the API's static mock, `pnpm mock` started here as the pages tell readers
// to, and each listed `Prefer` header against the same mock, which must answer with that very
// example; at the end, Ctrl-C stops `pnpm mock` cleanly (exit 0, no error line, no Prism left).
// Then the samples against the stateful sandbox.
import { execFile } from "node:child_process";
import { promisify } from "node:util";
import { launchSandbox, plainTokenTenant, type RunningSandbox } from "@cx-openapi/sandbox";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { bundleDir, loadApis } from "../../lib/apis.js";
import { curlCommand, localCredential, sampleRequest } from "../../lib/curl-samples.js";
import { preferExamples } from "../../lib/docs-document.js";
import { deref, freePort, getOperation, listOperations, loadSpec, type Operation } from "@cx-openapi/spec";
import { expectNoForwarding, startCanary } from "@cx-openapi/devkit/server-probes";
import { descendants, expectCleanStop, killTree, startReady, type Started } from "./processes.js";

const run = promisify(execFile);

const apis = loadApis().map((api) => ({ api, doc: loadSpec(api.bundleJson) }));

/** Splits `curl -i` output into its status, headers and body (the last response, after any 100 Continue). */
function parseCurlOutput(output: string): { status: number; headers: Map<string, string>; body: string } {
  const blocks = output.split(/\r?\n\r?\n/);
  let at = 0;
  while (/^HTTP\/[\d.]+ 100\b/.test(blocks[at] ?? "")) at += 1;
  const [head = "", ...rest] = blocks.slice(at);
  const [statusLine = "", ...headerLines] = head.split(/\r?\n/);
  const status = Number(/^HTTP\/[\d.]+ (\d{3})/.exec(statusLine)?.[1]);
  if (!status) throw new Error(`not a curl -i output:\n${output.slice(0, 300)}`);
  const headers = new Map(
    headerLines.map((line) => {
      const colon = line.indexOf(":");
      return [line.slice(0, colon).trim().toLowerCase(), line.slice(colon + 1).trim()] as [string, string];
    }),
  );
  return { status, headers, body: rest.join("\n\n") };
}

/** Runs a sample with sh, as a reader pasting it into a terminal would. */
async function runSample(sample: string): Promise<ReturnType<typeof parseCurlOutput>> {
  const { stdout } = await run("sh", ["-c", sample], { timeout: 10_000, maxBuffer: 1 << 20 });
  return parseCurlOutput(stdout);
}

/** The status a server answers a valid request with by default: the lowest documented 2xx. */
const defaultSuccess = (op: Operation) =>
  Object.keys(op.responses)
    .filter((s) => /^2\d\d$/.test(s))
    .sort()[0];

/** `pnpm mock`, on free ports: each API's URL. */
let mock: Started | undefined;
const mockUrls = new Map<string, string>();
beforeAll(async () => {
  const args = ["mock"];
  for (const { api } of apis) {
    const port = await freePort();
    mockUrls.set(api.name, `http://127.0.0.1:${port}`);
    args.push(`--${api.name}-port`, String(port));
  }
  mock = await startReady(args);
}, 120_000);
afterAll(() => killTree(mock?.child));

describe.each(apis)("$api.name docs samples against the static mock", ({ api, doc }) => {
  const operations = listOperations(doc);

  it("every curl sample is a request the spec allows: the mock answers its default 2xx, with no violation", async () => {
    const mockUrl = mockUrls.get(api.name)!;
    // The static mock keeps no state, so the samples may run side by side.
    const problems = await Promise.all(
      operations.map(async (op) => {
        const { status, headers } = await runSample(curlCommand(sampleRequest(doc, op), mockUrl));
        const expected = defaultSuccess(op);
        const violations = headers.get("sl-violations");
        return [
          ...(String(status) === expected ? [] : [`${op.operationId}: ${status}, not ${expected}`]),
          ...(violations ? [`${op.operationId}: sl-violations ${violations}`] : []),
        ];
      }),
    );
    expect(problems.flat()).toEqual([]);
  });

  it("every Prefer header the page lists answers with that example", async () => {
    const mockUrl = mockUrls.get(api.name)!;
    let checked = 0;
    for (const op of operations) {
      const request = sampleRequest(doc, op);
      for (const example of preferExamples(doc, op.operationId)) {
        const response = await fetch(`${mockUrl}${request.target}`, {
          method: request.method,
          headers: [...request.headers, ["Prefer", example.prefer]],
          ...(request.body === undefined ? {} : { body: JSON.stringify(request.body) }),
        });
        const media = Object.values(op.responses[example.status]?.content ?? {})[0];
        const expected = deref<{ value?: unknown }>(doc, media?.examples?.[example.name]).value;
        expect(response.status, `${op.operationId} Prefer: ${example.prefer}`).toBe(Number(example.status));
        expect(await response.json(), `${op.operationId} Prefer: ${example.prefer}`).toEqual(expected);
        checked += 1;
      }
    }
    expect(checked).toBeGreaterThan(0);
  });
});

describe("pnpm mock: Prism itself on each port", () => {
  it("forwards nothing: every target that names another host is refused or not found, and the canary gets nothing", async () => {
    const canary = await startCanary();
    try {
      for (const url of mockUrls.values())
        await expectNoForwarding(url, canary, { headers: { "xx-relay-api-key": "k" } });
    } finally {
      await canary.close();
    }
  });
});

describe("pnpm mock", () => {
  it("ran one Prism per API, and stops on Ctrl-C (SIGINT to the process group) with exit 0 and no error line", async () => {
    expect(descendants(mock!.child.pid!).filter((p) => p.args.includes("prism"))).toHaveLength(apis.length);
    await expectCleanStop(mock!, "SIGINT");
    for (const url of mockUrls.values()) await expect(fetch(url)).rejects.toThrow();
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
  let sandbox: RunningSandbox | undefined;
  beforeAll(async () => {
    // Free ports; the in-process gate runs the same checks as Prism's proxy, without its start-up.
    ({ running: sandbox } = await launchSandbox({
      specDir: bundleDir,
      ports: { "relay-cdm": 0, hiirelevate: 0 },
      gate: "in-process",
    }));
  });
  afterAll(() => sandbox?.stop());

  it("relay-cdm: run in a journey's order, each answers its documented 2xx, and retrieve returns the person loaded", async () => {
    const { doc } = apis.find(({ api }) => api.name === "relay-cdm")!;
    const operations = listOperations(doc);
    expect([...relayJourney].sort(), "the journey runs every operation").toEqual(
      operations.map((op) => op.operationId).sort(),
    );
    const url = sandbox!.urls["relay-cdm"];
    for (const operationId of relayJourney) {
      const op = operations.find((o) => o.operationId === operationId)!;
      const request = sampleRequest(doc, op);
      const { status, body } = await runSample(curlCommand(request, url));
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
    const url = sandbox!.urls.hiirelevate;
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
      const { status, body } = await runSample(curlCommand(sampleRequest(doc, op), url));
      if (String(status) !== defaultSuccess(op)) outcomes.push(`${op.operationId}: ${status} ${body.slice(0, 200)}`);
    }
    // Its example moves the customer from "silver", a segment value no other sample creates.
    expect(outcomes).toEqual([expect.stringMatching(/^updateCustomerSegment: 404 .*loyalty-tier=silver not found/)]);
  });
});
