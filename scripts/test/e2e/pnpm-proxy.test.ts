// `pnpm proxy` started as a user does, in front of a vendor on 127.0.0.1 that breaks the spec, and
// stopped with Ctrl-C (SIGINT to the process group), after which it prints its summary, writes the
// drift evidence (--evidence) and the recordings (--record), exits 0 with no error line and leaves
// nothing behind. One run serves both cases: it checks against a patched spec (--spec), as after
// `pnpm drift:propose`. What the proxy does with traffic is packages/sandbox/test/e2e/deviation-proxy.test.ts's.
// The other long-running commands are stopped in their own tests: `pnpm start` on Ctrl-C
// (pnpm-start.test.ts), `pnpm sandbox` on SIGTERM (pnpm-sandbox.test.ts), `pnpm mock` on Ctrl-C (the
// contract tier's global setup, scripts/test/setup/mocks.ts). All stop through stopOnSignal (scripts/lib/cli.ts).
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { cleanEnv } from "../../lib/process.js";
import { getApi } from "../../lib/apis.js";
import { freePort } from "@cx-openapi/spec";
import {
  descendants,
  expectCleanStop,
  expectNothingLeaks,
  killTree,
  person,
  sendJson,
  startLocalServer,
  startReady,
  type Started,
} from "@cx-openapi/devkit/testing";

let command: Started | undefined;
const scratch = mkdtempSync(join(tmpdir(), "cx-openapi-pnpm-proxy-"));
const report = join(scratch, "proxy-report.jsonl");
const evidence = join(scratch, "drift.jsonl");
const recording = join(scratch, "recording");
const patchedSpec = join(scratch, "relay-cdm.patched.json");
const apiKey = "proxy-test-key";
let prisms = 0;
afterAll(() => {
  // Only if the test failed half-way: never leave the command or its Prism running.
  killTree(command?.child);
  rmSync(scratch, { recursive: true, force: true });
});

/** The bundle as `drift:propose --out` could leave it: onboarding may answer 503, and the version says so. */
function writePatchedSpec(): void {
  const spec = JSON.parse(readFileSync(getApi("relay-cdm").bundleJson, "utf8"));
  spec.info.version = "0.1.1-patched";
  spec.paths["/cdm/client/{client_id}/onboard"].post.responses["503"] = {
    description: "Busy.",
    content: { "application/json": { schema: { $ref: "#/components/schemas/MessageResponse" } } },
  };
  writeFileSync(patchedSpec, JSON.stringify(spec));
}

beforeAll(async () => {
  writePatchedSpec();
  const port = await freePort();
  // The vendor on 127.0.0.1: its customer has a number where the spec says string; onboarding is busy.
  const vendor = await startLocalServer((request, response) => {
    if (request.method === "POST")
      return void response
        .writeHead(503, { "content-type": "application/json", "retry-after": "7" })
        .end(JSON.stringify({ message: `busy onboarding ${person.ccid}` }));
    sendJson(response, 200, {
      ccid: person.ccid,
      first_name: 42,
      notification_channels: [{ channel_type: "sms", channel_addr: person.phone }],
    });
  });
  try {
    const args = ["proxy", "--api", "relay-cdm", "--target", vendor.url, "--port", String(port), "--report", report];
    const more = ["--evidence", evidence, "--record", recording, "--spec", patchedSpec];
    command = await startReady([...args, ...more], { env: cleanEnv() });
    expect(command.output()).toContain(`http://127.0.0.1:${port}`);
    prisms = descendants(command.child.pid!).filter((p) => p.args.includes("prism")).length;
    const base = `http://127.0.0.1:${port}/cdm/client/c1`;
    const headers = { "xx-relay-api-key": apiKey, "content-type": "application/json" };
    const customer = await fetch(`${base}/customer/${person.ccid}`, { headers });
    expect(customer.status).toBe(200);
    const body = { product_group_id: "default", customer: { ccid: person.ccid, first_name: person.firstName } };
    const onboard = await fetch(`${base}/onboard?api_key=${apiKey}`, {
      method: "POST",
      headers,
      body: JSON.stringify(body),
    });
    expect(onboard.status).toBe(503);
    await expectCleanStop(command, "SIGINT");
  } finally {
    await vendor.close();
  }
});

describe("pnpm proxy", () => {
  it("runs one Prism proxy; on Ctrl-C it prints its summary, writes the drift evidence and exits 0 with no error line", () => {
    expect(prisms).toBe(1);
    // The 503 is the patched spec's: only the customer's number broke it.
    expect(command!.output()).toContain(`1 of 2 exchanges broke the spec; report: ${report}`);
    const text = readFileSync(evidence, "utf8");
    const records = text
      .trim()
      .split("\n")
      .map((line) => JSON.parse(line));
    expect(records.every((r) => r.format === "cx-drift/1")).toBe(true);
    expect(records).toContainEqual(
      expect.objectContaining({ kind: "totals", operationId: "getCustomer", exchanges: 1, deviating: 1 }),
    );
    expect(records).toContainEqual(
      expect.objectContaining({ kind: "deviation", operationId: "getCustomer", rule: "type" }),
    );
    expect(records).toContainEqual(
      expect.objectContaining({ kind: "totals", operationId: "onboardCustomer", exchanges: 1, deviating: 0 }),
    );
    expectNothingLeaks([text], [person.ccid, person.phone, apiKey]);
  });

  it("with --record and --spec, records each exchange against that spec, personal values faked, no credential, and the fault profile", () => {
    expect(command!.output()).toContain(`recordings (cx-recording/1): 2 in ${recording}`);
    const read = (file: string) => readFileSync(join(recording, file), "utf8");
    expect(readdirSync(recording).sort()).toEqual(["faults.json", "getCustomer", "onboardCustomer"]);
    const [got, onboard] = ["getCustomer/0001-200.json", "onboardCustomer/0001-503.json"].map((f) =>
      JSON.parse(read(f)),
    );
    expect(got).toMatchObject({ format: "cx-recording/1", specVersion: "0.1.1-patched", operationId: "getCustomer" });
    expect(got.durationMs).toEqual(expect.any(Number));
    const ccid = got.request.pathParameters.ccid;
    expect(got.response.body.ccid).toBe(ccid);
    expect(onboard.request).toMatchObject({ contentType: "application/json", body: { customer: { ccid } } });
    expect(onboard.request.query).toBeUndefined();
    expect(onboard.response).toEqual({
      status: 503,
      contentType: "application/json",
      retryAfter: "7",
      body: { message: `busy onboarding ${ccid}` },
    });
    expect(JSON.parse(read("faults.json"))).toContainEqual(
      expect.objectContaining({ operationId: "onboardCustomer", status: 503, probability: 1, retryAfter: 7 }),
    );
    const texts = [read("faults.json"), read("getCustomer/0001-200.json"), read("onboardCustomer/0001-503.json")];
    expectNothingLeaks(texts, [person.ccid, person.phone, person.firstName, apiKey]);
    expect(texts.join("\n")).not.toContain("xx-relay-api-key");
  });
});
