// `pnpm proxy --evidence <file>`: what the deviation proxy's exchanges become in the drift evidence
// format (cx-drift/1), the same records the clients' drift reporters write, with no body, header or
// personal value.
import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { parseEvidenceRecord } from "@cx-openapi/spec/drift";
import { loadSpec } from "@cx-openapi/spec";
import { getApi } from "../../lib/apis.js";
import { proxyEvidence } from "../../lib/proxy-evidence.js";
import { expectNothingLeaks, person, secrets, useTempFiles } from "@cx-openapi/devkit/testing";

const { file } = useTempFiles("cx-openapi-proxy-evidence-");
const relay = getApi("relay-cdm");
const customerPath = `/cdm/client/relay_developer/customer/${person.ccid}`;

describe("the deviation proxy's evidence", () => {
  it("records each exchange of an operation, its response checked as the clients check it, and request violations", () => {
    const evidence = proxyEvidence(loadSpec(relay.bundleJson), "relay-cdm");
    const body = JSON.stringify({ first_name: person.firstName, notification_channels: [{ consent_type: "verbal" }] });
    const ok = JSON.stringify({ first_name: person.firstName });
    const exchange = { method: "GET", path: customerPath, contentType: "application/json", violations: [] };
    evidence.record({ ...exchange, status: 200, body });
    evidence.record({ ...exchange, status: 200, body: ok });
    evidence.record({
      method: "POST",
      path: "/cdm/client/relay_developer/onboard",
      status: 400,
      contentType: "application/json",
      body: JSON.stringify({ message: `bad ${secrets.apiKey}` }),
      violations: [{ location: ["request", "body", "customer", "ccid"], code: "required", message: person.ccid }],
    });
    evidence.record({ ...exchange, path: "/no/such/route", status: 404, body: "" });
    const out = file("evidence.jsonl");
    evidence.write(out);
    const lines = readFileSync(out, "utf8").trimEnd().split("\n");
    const records = lines.map((line) => parseEvidenceRecord(JSON.parse(line)));
    expect(records).toEqual([
      expect.objectContaining({ kind: "totals", operationId: "getCustomer", exchanges: 2, checked: 2, deviating: 1 }),
      expect.objectContaining({
        kind: "deviation",
        operationId: "getCustomer",
        side: "response",
        rule: "enum",
        pointer: "/notification_channels/*/consent_type",
        observed: { type: "string", format: "text", value: "verbal" },
      }),
      expect.objectContaining({ kind: "totals", operationId: "onboardCustomer", exchanges: 1, deviating: 1 }),
      expect.objectContaining({
        kind: "deviation",
        operationId: "onboardCustomer",
        side: "request",
        rule: "required",
        pointer: "/body/customer/ccid",
        observed: {},
      }),
    ]);
    expectNothingLeaks(lines);
  });
});
