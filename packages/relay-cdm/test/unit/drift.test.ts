// The drift reporter (@cx-openapi/relay-cdm/drift) on real calls of the Relay client: what it reports
// of a response that breaks the spec, what it never puts in an event, and that it never changes a
// call's result. A fetch stub answers most calls; a local server on 127.0.0.1 the streamed ones.
import { describe, expect, it } from "vitest";
import { createRelayCdmClient } from "../../src/index.js";
import { DriftError, driftEvidence, driftReporter, type DriftEvent } from "../../src/drift.js";
import { expectNothingLeaks, person, secrets, useServers } from "@cx-openapi/devkit/testing";

const { serve } = useServers();
const path = "/cdm/client/{client_id}/customer/{ccid}";
const operation = { operationId: "getCustomer", method: "GET", path };
const call = { params: { path: { client_id: "relay_developer", ccid: person.ccid } } };
const customer = {
  ccid: person.ccid,
  first_name: person.firstName,
  last_name: person.lastName,
  notification_channels: [{ channel_type: "sms", channel_addr: person.phone, consent_type: "written" }],
};

/** A fetch that answers every request with this status and body (JSON unless a string), and counts clones. */
function answer(status: number, body: unknown, headers: Record<string, string> = {}) {
  const seen = { clones: 0 };
  const fetch = async () => {
    const response = new Response(typeof body === "string" ? body : JSON.stringify(body), {
      status,
      headers: { "content-type": "application/json", ...headers },
    });
    const clone = response.clone.bind(response);
    response.clone = () => {
      seen.clones++;
      return clone();
    };
    return response;
  };
  return { fetch, seen };
}

/** A Relay client on a stub (or a local server), with a drift reporter that records its events. */
function relayWithDrift(
  target: { fetch?: (request: Request) => Promise<Response>; baseUrl?: string },
  options: Parameters<typeof driftReporter>[0] = {},
) {
  const events: DriftEvent[] = [];
  const evidence = driftEvidence();
  const relay = createRelayCdmClient({
    apiKey: secrets.apiKey,
    baseUrl: target.baseUrl ?? "http://127.0.0.1:9",
    retry: false,
    ...(target.fetch ? { fetch: target.fetch } : {}),
  });
  relay.use(driftReporter({ onDeviation: (event) => events.push(event), evidence, ...options }));
  return { relay, events, evidence };
}

describe("the drift reporter of the Relay client", () => {
  it("reports a value outside an enum with the value, the operation, the status and the pointer", async () => {
    const body = { ...customer, notification_channels: [{ channel_addr: person.phone, consent_type: "verbal" }] };
    const { relay, events } = relayWithDrift(answer(200, body));
    const result = await relay.GET(path, call);
    expect(result.status).toBe(200);
    expect(events).toEqual([
      {
        api: "relay-cdm",
        specVersion: "0.1.0",
        operation,
        status: 200,
        rule: "enum",
        pointer: "/notification_channels/*/consent_type",
        observed: { type: "string", format: "text", value: "verbal" },
        piiField: false,
      },
    ]);
  });

  it("reports null and a number where the spec says string, with the observed type and no value", async () => {
    const { relay, events } = relayWithDrift(answer(200, { ...customer, first_name: null, last_name: 42 }));
    await relay.GET(path, call);
    expect(events.map(({ rule, pointer, observed, piiField }) => ({ rule, pointer, observed, piiField }))).toEqual([
      { rule: "type", pointer: "/first_name", observed: { type: "null" }, piiField: true },
      { rule: "type", pointer: "/last_name", observed: { type: "integer" }, piiField: true },
    ]);
  });

  it("reports a status the operation does not declare", async () => {
    const { relay, events } = relayWithDrift(answer(418, { message: "short and stout" }));
    const result = await relay.GET(path, call);
    expect(result.status).toBe(418);
    expect(events).toEqual([expect.objectContaining({ status: 418, rule: "undeclared-status", pointer: "" })]);
  });

  it("reports nothing for a response that follows the spec, and counts it in the evidence", async () => {
    const { relay, events, evidence } = relayWithDrift(answer(200, customer));
    await relay.GET(path, call);
    await relay.GET(path, call);
    expect(events).toEqual([]);
    expect(evidence.records()).toEqual([
      expect.objectContaining({ kind: "totals", operationId: "getCustomer", exchanges: 2, checked: 2, deviating: 0 }),
    ]);
  });

  it("with sample 0 never validates: the response is not even cloned, the exchange still counted", async () => {
    const stub = answer(200, { ...customer, first_name: 42 });
    const { relay, events, evidence } = relayWithDrift(stub, { sample: 0 });
    for (let i = 0; i < 5; i++) await relay.GET(path, call);
    expect(events).toEqual([]);
    expect(stub.seen.clones).toBe(0);
    expect(evidence.records()).toEqual([expect.objectContaining({ kind: "totals", exchanges: 5, checked: 0 })]);
  });

  it("in throw mode fails the call with a DriftError carrying the events, and no value in its message", async () => {
    const { relay } = relayWithDrift(answer(200, { ...customer, first_name: 42 }), { mode: "throw" });
    const error = await relay.GET(path, call).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(DriftError);
    const drift = error as DriftError;
    expect(drift.events).toEqual([expect.objectContaining({ rule: "type", pointer: "/first_name" })]);
    expect(drift.message).toContain("GET /cdm/client/{client_id}/customer/{ccid} answered 200");
    expectNothingLeaks([drift.message, JSON.stringify(drift)]);
  });

  it("skips a body over its limit, declared or streamed, and counts it as skipped", async () => {
    const big = { ...customer, first_name: 42, middle_name: "x".repeat(2_000) };
    const length = String(Buffer.byteLength(JSON.stringify(big)));
    const declared = relayWithDrift(answer(200, big, { "content-length": length }), { maxBodyBytes: 1_024 });
    await declared.relay.GET(path, call);
    const server = await serve((_request, res) => {
      res.writeHead(200, { "content-type": "application/json" }); // no Content-Length: chunked
      res.write(JSON.stringify(big).slice(0, 1_000));
      res.end(JSON.stringify(big).slice(1_000));
    });
    const streamed = relayWithDrift({ baseUrl: server.url }, { maxBodyBytes: 1_024 });
    const result = await streamed.relay.GET(path, call);
    expect(result.status === 200 && result.data.middle_name).toBe(big.middle_name);
    for (const { events, evidence } of [declared, streamed]) {
      expect(events).toEqual([]);
      expect(evidence.records()).toEqual([expect.objectContaining({ kind: "totals", checked: 0, skipped: 1 })]);
    }
  });

  it("leaves the call's result as it is, byte for byte, whether the body follows the spec or not", async () => {
    const bodies = [JSON.stringify(customer), JSON.stringify({ ...customer, first_name: 42, extra: "é ✓" })];
    const server = await serve((request, res) => {
      res.writeHead(200, { "content-type": "application/json" });
      res.end(bodies[Number(request.url.includes("second"))]);
    });
    const plain = createRelayCdmClient({ apiKey: secrets.apiKey, baseUrl: server.url });
    const { relay, events } = relayWithDrift({ baseUrl: server.url });
    for (const ccid of ["first", "second"]) {
      const init = { params: { path: { client_id: "relay_developer", ccid } } };
      const [withDrift, without] = [await relay.GET(path, init), await plain.GET(path, init)];
      expect(withDrift.data).toEqual(without.data);
      const text = await relay.GET(path, { ...init, parseAs: "text" });
      expect(text.data).toBe(bodies[Number(ccid === "second")]);
    }
    expect(events.map((event) => event.rule)).toEqual(["type", "type"]);
  });

  it("never fails a call in report mode, even when onDeviation throws or the body is not JSON", async () => {
    const { relay } = relayWithDrift(answer(404, "<html>not json</html>"), {
      onDeviation: () => {
        throw new Error("a broken logger");
      },
    });
    const result = await relay.GET(path, call);
    expect(result.status).toBe(404);
  });

  it("writes a key the spec does not declare (a map's key: a phone number) as {key} in a pointer", async () => {
    const { relay, events } = relayWithDrift(
      answer(200, { message: "Accepted", mobile_analysis_results: { [person.phone]: 7 } }),
    );
    await relay.POST("/cdm/client/{client_id}/onboard", {
      params: { path: { client_id: "relay_developer" } },
      body: { product_group_id: "default", customer: { ccid: person.ccid } },
    });
    expect(events).toEqual([
      expect.objectContaining({ rule: "type", pointer: "/mobile_analysis_results/{key}", piiField: true }),
    ]);
    expectNothingLeaks([JSON.stringify(events)]);
  });

  it("puts no credential, no personal value and no other body value in any event or evidence line", async () => {
    const hostile = {
      ccid: person.ccid,
      first_name: person.firstName.repeat(20),
      last_name: [person.lastName],
      date_of_birth: person.dateOfBirth,
      ssn_last4: { value: person.ssnLast4 },
      notification_channels: [
        { channel_addr: person.phone, consent_type: secrets.apiKey },
        { channel_addr: 6105559876, consent_type: "verbal", phone_type: 7 },
      ],
      addresses: [{ address1: 12, city: person.email }],
    };
    const { relay, events, evidence } = relayWithDrift(answer(200, hostile));
    await relay.GET(path, call);
    expect(events.length).toBeGreaterThan(4);
    // The one value an event may carry: a non-personal enum value that is no credential.
    expect(events.filter((event) => "value" in event.observed).map((event) => event.observed.value)).toEqual([
      "verbal",
    ]);
    const texts = [JSON.stringify(events), evidence.toJsonLines()];
    expectNothingLeaks(texts);
    expectNothingLeaks(texts, [person.firstName.repeat(20)]);
  });
});
