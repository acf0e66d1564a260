// The docs' curl samples and try-it pages (the same requests: the examples' ids, the local
// credential) answer from a sandbox that has just started, as `pnpm start` serves it: the example
// data is there on day one. A create of a name the example data holds answers as a second create.
import { createSandbox } from "@cx-openapi/sandbox";
import { apiNames, listOperations, loadSpec, type ApiName, type OpenApiDoc } from "@cx-openapi/spec";
import { describe, expect, it } from "vitest";
import { loadApis } from "../../lib/apis.js";
import { sampleRequest } from "../../lib/curl-samples.js";

const specs = Object.fromEntries(loadApis().map((api) => [api.name, loadSpec(api.bundleJson)])) as Record<
  ApiName,
  OpenApiDoc
>;
const secondCreate: Record<string, number> = {
  loadCustomerRecord: 409,
  createConsent: 400,
  createSegment: 400,
  createSegmentValue: 400,
};

describe("the docs' samples against a sandbox on day one", () => {
  it.each(apiNames)("%s: every sample answers its documented success", (api) => {
    const sandbox = createSandbox({ specs, checkResponses: true });
    const outcomes = listOperations(specs[api]).map((op) => {
      const sample = sampleRequest(specs[api], op);
      const [path, query] = sample.target.split("?");
      const answer = sandbox.handle(api, {
        method: sample.method,
        path: path!,
        query,
        // A namespace per sample: each starts from the start data, whatever the others changed.
        headers: {
          ...Object.fromEntries(sample.headers.map(([k, v]) => [k.toLowerCase(), v])),
          "x-sandbox-namespace": op.operationId,
        },
        body: sample.body === undefined ? undefined : JSON.stringify(sample.body),
      });
      return `${op.operationId} ${answer.status}`;
    });
    const expected = listOperations(specs[api]).map((op) => {
      const success = Object.keys(op.responses)
        .filter((status) => /^2\d\d$/.test(status))
        .sort()[0];
      return `${op.operationId} ${secondCreate[op.operationId] ?? success}`;
    });
    expect(outcomes).toEqual(expected);
  });
});
