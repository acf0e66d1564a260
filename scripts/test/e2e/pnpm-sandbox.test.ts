// `pnpm sandbox` started as a user does (here with the in-process gate, so without Prism: the gate
// through Prism is `pnpm start`'s, in pnpm-start.test.ts), the curl samples the reference pages show
// run against it with sh and curl on the example data it starts from, and then stopped the way a
// service manager stops it: SIGTERM of pnpm, after which it exits 0 with no error line and leaves
// nothing behind. (Against the static mock, `pnpm mock`, the samples run in the contract tier:
// scripts/test/contract/pnpm-mock.test.ts.)
import {
  descendants,
  expectCleanStop,
  killTree,
  runCurlSample,
  startReady,
  type Started,
} from "@cx-openapi/devkit/testing";
import { freePort, listOperations, loadSpec, type Operation } from "@cx-openapi/spec";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { loadApis } from "../../lib/apis.js";
import { curlCommand, sampleRequest } from "../../lib/curl-samples.js";
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

/** A create of a name the example data holds answers as a second create does. */
const secondCreate: Record<string, number> = {
  loadCustomerRecord: 409,
  createConsent: 400,
  createSegment: 400,
  createSegmentValue: 400,
};

describe("the curl samples against the stateful sandbox, on day one", () => {
  it.each(apis.map(({ api }) => api.name))(
    "%s: each sample, run on the start data (a namespace each), answers its documented success",
    async (name) => {
      const { doc } = apis.find(({ api }) => api.name === name)!;
      const outcomes: string[] = [];
      const expected: string[] = [];
      for (const op of listOperations(doc)) {
        const request = sampleRequest(doc, op);
        request.headers.push(["x-sandbox-namespace", op.operationId]);
        const { status, body } = await runCurlSample(curlCommand(request, urls[name]!));
        outcomes.push(`${op.operationId} ${status}`);
        expected.push(`${op.operationId} ${secondCreate[op.operationId] ?? defaultSuccess(op)}`);
        if (op.operationId === "getCustomer")
          expect(body, "the example record is served").toContain(exampleId(request));
      }
      expect(outcomes).toEqual(expected);
    },
  );
});

/** The id a getCustomer sample asks for: the last segment of its path. */
const exampleId = (request: { target: string }) => decodeURIComponent(request.target.split("/").at(-1)!);

// Last: the samples above use the running command.
describe("pnpm sandbox, stopped", () => {
  it("stops on SIGTERM of pnpm with exit 0 and no error line", async () => {
    await expectCleanStop(sandbox!, "SIGTERM");
    for (const url of Object.values(urls)) await expect(fetch(url)).rejects.toThrow();
  });
});
