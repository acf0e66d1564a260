// The curl samples and `Prefer` examples the reference pages show, run for real: each curl sample
// with sh and curl against the API's static mock (Prism, from the e2e global setup), and each listed
// `Prefer` header against the same mock, which must answer with that very example.
import { execFile } from "node:child_process";
import { promisify } from "node:util";
import { describe, expect, inject, it } from "vitest";
import { loadApis } from "../../lib/apis.js";
import { curlCommand, sampleRequest } from "../../lib/curl-samples.js";
import { preferExamples } from "../../lib/docs-site.js";
import { deref, listOperations, loadSpec } from "../../lib/openapi.js";

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

describe.each(apis)("$api.name docs samples against the static mock", ({ api, doc }) => {
  const operations = listOperations(doc);

  it("every curl sample is a request the spec allows: the mock answers its default 2xx, with no violation", async () => {
    const mockUrl = inject("mockUrls")[api.name]!;
    // The static mock keeps no state, so the samples may run side by side.
    const problems = await Promise.all(
      operations.map(async (op) => {
        const { status, headers } = await runSample(curlCommand(sampleRequest(doc, op), mockUrl));
        const expected = Object.keys(op.responses)
          .filter((s) => /^2\d\d$/.test(s))
          .sort()[0];
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
    const mockUrl = inject("mockUrls")[api.name]!;
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
