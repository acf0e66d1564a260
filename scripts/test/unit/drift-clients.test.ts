// The loop from an application's own traffic: each client, with its drift option on, calls the
// deviating vendor of its API on 127.0.0.1; every deviation the vendor makes is reported, the
// proposal widens the spec for each but the personal ones (which it asks a reviewer about), and the
// same calls checked against the patched spec deviate only where the proposal asked. No event,
// evidence record or overlay holds a personal value, sent or received, or the credential.
import { createHiiRelevateClient } from "@cx-openapi/hiirelevate";
import { driftEvidence as hiiEvidence, driftReporter as hiiDrift } from "@cx-openapi/hiirelevate/drift";
import { createRelayCdmClient } from "@cx-openapi/relay-cdm";
import { driftEvidence, driftReporter as relayDrift } from "@cx-openapi/relay-cdm/drift";
import { personalValues, startDeviatingVendor, type DeviatingVendor } from "@cx-openapi/devkit/testing";
import { compileDriftApi, getOperation, loadSpec, type ApiName, type OpenApiDoc } from "@cx-openapi/spec";
import { createDriftReporter, type DriftEvent, type DriftReporter } from "@cx-openapi/spec/drift";
import { afterAll, describe, expect, it } from "vitest";
import { getApi } from "../../lib/apis.js";
import { applyOverlay } from "../../lib/drift-propose/overlay.js";
import { propose } from "../../lib/drift-propose/propose.js";

type Call = [method: string, path: string, init?: Record<string, unknown>];
const key = "k3y-rehearsal-0001";
const customer = { client_id: "relay_developer", ccid: "BAK-11984-007" };

/** What an application calls, per API: every deviating operation, the one that fails every 5th call five times. */
const calls: Record<ApiName, (doc: OpenApiDoc) => Call[]> = {
  "relay-cdm": (doc) => [
    ...Array.from(
      { length: 5 },
      (): Call => ["GET", "/cdm/client/{client_id}/customer/{ccid}", { params: { path: customer } }],
    ),
    ["DELETE", "/cdm/client/{client_id}/customer/{ccid}", { params: { path: customer } }],
    [
      "PUT",
      "/cdm/client/{client_id}/customer/{ccid}/remove_phone/{phone_number}",
      { params: { path: { ...customer, phone_number: "6105551212" } } },
    ],
    [
      "POST",
      "/cdm/client/{client_id}/load-customer-record",
      { params: { path: customer }, body: requestExample(doc, "loadCustomerRecord") },
    ],
  ],
  hiirelevate: (doc) => [
    ...Array.from(
      { length: 5 },
      (): Call => ["GET", "/customers/{customerId}", { params: { path: { customerId: "c-1" } } }],
    ),
    ["POST", "/customers/find", { body: requestExample(doc, "findCustomer") }],
    ["DELETE", "/customers/{customerId}", { params: { path: { customerId: "c-1" } } }],
    ["POST", "/segments", { body: requestExample(doc, "createSegment") }],
    ["GET", "/health"],
  ],
};

function requestExample(doc: OpenApiDoc, operationId: string): unknown {
  const media = getOperation(doc, operationId).requestBody?.content["application/json"] as {
    examples?: Record<string, { value?: unknown }>;
  };
  return Object.values(media.examples ?? {})[0]?.value;
}

interface Client {
  use(middleware: DriftReporter): void;
}
function clientOf(api: ApiName, baseUrl: string): Client {
  return api === "relay-cdm"
    ? createRelayCdmClient({ apiKey: key, baseUrl, retry: false })
    : createHiiRelevateClient({ token: key, baseUrl, retry: false });
}

async function send(client: Client, list: Call[]): Promise<void> {
  const methods = client as unknown as Record<string, (path: string, init?: unknown) => Promise<unknown>>;
  for (const [method, path, init] of list) await methods[method]!(path, init);
}

const vendors: DeviatingVendor[] = [];
afterAll(() => Promise.all(vendors.map((vendor) => vendor.stop())));

describe.each(["relay-cdm", "hiirelevate"] as const)("%s: a client's drift reports, proposed and checked", (api) => {
  it("reports every deviation, widens all but the personal ones, and leaves only those on the patched spec", async () => {
    const vendor = await startDeviatingVendor(api);
    vendors.push(vendor);
    const doc = loadSpec(getApi(api).bundleJson);
    const evidence = (api === "relay-cdm" ? driftEvidence : hiiEvidence)();
    const events: DriftEvent[] = [];
    const client = clientOf(api, vendor.url);
    client.use((api === "relay-cdm" ? relayDrift : hiiDrift)({ evidence, onDeviation: (event) => events.push(event) }));
    await send(client, calls[api](doc));

    const seen = (e: {
      operation?: { operationId: string };
      operationId?: string;
      status: number;
      rule: string;
      pointer: string;
    }) => `${e.operation?.operationId ?? e.operationId} ${e.status} ${e.rule} ${e.pointer}`;
    expect(new Set(events.map(seen))).toEqual(new Set(vendor.deviations.map(seen)));

    const records = evidence.records();
    const proposal = propose({ doc, api, files: [{ file: "app.jsonl", records }] });
    const personal = vendor.deviations.filter((d) => d.piiField).map((d) => d.pointer);
    const asked = proposal.review.map((item) => item.pointer);
    expect(asked.sort()).toEqual(personal.sort());
    const widened = new Set(proposal.actions.flatMap((a) => a["x-evidence"].map(seen)));
    for (const d of vendor.deviations) if (!asked.includes(d.pointer)) expect(widened, seen(d)).toContain(seen(d));

    const patched = (await applyOverlay(doc as never, proposal.overlay!)) as OpenApiDoc;
    const after: DriftEvent[] = [];
    const again = clientOf(api, vendor.url);
    again.use(createDriftReporter(compileDriftApi(patched, api), { onDeviation: (event) => after.push(event) }));
    await send(again, calls[api](doc));
    expect(after.map((e) => e.pointer).filter((p) => !asked.includes(p))).toEqual([]);

    const written = JSON.stringify([events, records, proposal]);
    for (const value of [...personalValues, key, "BAK-11984-007", "6105551212"]) expect(written).not.toContain(value);
  });
});
