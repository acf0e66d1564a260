// The curl samples and `Prefer` examples the reference pages show, run for real against the static
// mock the pages tell readers to start, `pnpm mock`, which the contract tier's global setup starts
// as a user does (scripts/test/setup/mocks.ts; it also checks that Ctrl-C stops it cleanly): each
// curl sample with sh and curl must get its default 2xx with no violation, and each listed `Prefer`
// header must answer with that very example; every declared error status answers a JSON body, never
// a bare `null` (what Prism sends for a response without an example). And Prism itself forwards nothing.
import { descendants, expectNoForwarding, runCurlSample, startCanary } from "@cx-openapi/devkit/testing";
import { deref, listOperations, loadSpec, type Operation } from "@cx-openapi/spec";
import { mocksReady } from "@cx-openapi/devkit";
import { beforeAll, describe, expect, inject, it } from "vitest";
import { loadApis } from "../../lib/apis.js";
import { curlCommand, type SampleRequest, sampleRequest } from "../../lib/curl-samples.js";
import { preferExamples } from "../../lib/docs-document.js";

const apis = loadApis().map((api) => ({ api, doc: loadSpec(api.bundleJson) }));
const mockUrls = inject("mockUrls");
beforeAll(() => mocksReady(), 120_000);

/** The status a server answers a valid request with by default: the lowest documented 2xx. */
const defaultSuccess = (op: Operation) =>
  Object.keys(op.responses)
    .filter((s) => /^2\d\d$/.test(s))
    .sort()[0];

describe.each(apis)("$api.name docs samples against the static mock", ({ api, doc }) => {
  const operations = listOperations(doc);

  it("every curl sample is a request the spec allows: the mock answers its default 2xx, with no violation", async () => {
    const mockUrl = mockUrls[api.name]!;
    // The static mock keeps no state, so the samples may run side by side.
    const problems = await Promise.all(
      operations.map(async (op) => {
        const { status, headers } = await runCurlSample(curlCommand(sampleRequest(doc, op), mockUrl));
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
    const mockUrl = mockUrls[api.name]!;
    let checked = 0;
    for (const op of operations) {
      const request = sampleRequest(doc, op);
      for (const example of preferExamples(doc, op.operationId)) {
        const response = await sendPreferring(mockUrl, request, example.prefer);
        const media = Object.values(op.responses[example.status]?.content ?? {})[0];
        const expected = deref<{ value?: unknown }>(doc, media?.examples?.[example.name]).value;
        expect(response.status, `${op.operationId} Prefer: ${example.prefer}`).toBe(Number(example.status));
        expect(await response.json(), `${op.operationId} Prefer: ${example.prefer}`).toEqual(expected);
        checked += 1;
      }
    }
    expect(checked).toBeGreaterThan(0);
  });

  it("every declared error status with a body answers JSON of its own, never a bare null", async () => {
    const mockUrl = mockUrls[api.name]!;
    const errors = operations.flatMap((op) =>
      Object.keys(op.responses)
        .filter((status) => /^[45]\d\d$/.test(status) && op.responses[status]?.content)
        .map((status) => ({ op, status })),
    );
    // The static mock keeps no state, so the calls may run side by side.
    const problems = await Promise.all(
      errors.map(async ({ op, status }) => {
        const response = await sendPreferring(mockUrl, sampleRequest(doc, op), `code=${status}`);
        const text = (await response.text()).trim();
        const ok = response.status === Number(status) && text !== "" && JSON.parse(text) !== null;
        return ok ? [] : [`${op.operationId} ${status}: answered ${response.status} ${JSON.stringify(text)}`];
      }),
    );
    expect(errors.length).toBeGreaterThan(0);
    expect(problems.flat()).toEqual([]);
  });
});

/** The sample request with a `Prefer` header, as the docs' Mock examples table tells a reader to send it. */
function sendPreferring(baseUrl: string, request: SampleRequest, prefer: string): Promise<Response> {
  return fetch(`${baseUrl}${request.target}`, {
    method: request.method,
    headers: [...request.headers, ["Prefer", prefer]],
    ...(request.body === undefined ? {} : { body: JSON.stringify(request.body) }),
  });
}

describe("pnpm mock", () => {
  it("runs one Prism per API", () => {
    expect(descendants(inject("mockCommandPid")).filter((p) => p.args.includes("prism"))).toHaveLength(apis.length);
  });

  it("forwards nothing: every target that names another host is refused or not found, and the canary gets nothing", async () => {
    const canary = await startCanary();
    try {
      for (const url of Object.values(mockUrls))
        await expectNoForwarding(url, canary, { headers: { "xx-relay-api-key": "k" } });
    } finally {
      await canary.close();
    }
  });
});
