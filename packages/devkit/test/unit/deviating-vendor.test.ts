// The deviating vendors, driven over HTTP on 127.0.0.1 and judged by the drift checker: every
// deviation they list is reported and nothing else, the other answers follow the spec, the 503
// fault comes on every 5th call, and the personal values they answer with never reach an event.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { clientCredentials } from "@cx-openapi/runtime";
import { compileDriftApi, createValidator, listOperations, loadSpec, type ApiName } from "@cx-openapi/spec";
import { checkExchange, type DriftApi, type DriftEvent } from "@cx-openapi/spec/drift";
import {
  expectNothingLeaks,
  person,
  personalValues,
  secrets,
  startDeviatingVendor,
  type DeviatingVendor,
  type VendorDeviation,
} from "@cx-openapi/devkit/testing";
import { bundleFile } from "../../src/repo.js";

interface Call {
  operationId: string;
  method: string;
  path: string;
  /** The concrete target. */
  target: string;
  body?: unknown;
}

const customerId = person.customerId;
const relayBase = `/cdm/client/relay_developer`;
const relayCustomer = `${relayBase}/customer/${person.ccid}`;

/** One call per operation, each a request the spec accepts, carrying the test's own personal values. */
const calls: Record<ApiName, Call[]> = {
  "relay-cdm": [
    {
      operationId: "onboardCustomer",
      method: "POST",
      path: "/cdm/client/{client_id}/onboard",
      target: `${relayBase}/onboard`,
      body: {
        product_group_id: "default",
        customer: {
          ccid: person.ccid,
          first_name: person.firstName,
          last_name: person.lastName,
          date_of_birth: person.dateOfBirth,
          ssn_last4: person.ssnLast4,
          notification_channels: [{ channel_addr: person.phone, consent_type: "written", phone_type: "landline" }],
        },
      },
    },
    {
      operationId: "loadCustomerRecord",
      method: "POST",
      path: "/cdm/client/{client_id}/load-customer-record",
      target: `${relayBase}/load-customer-record`,
      body: { product_group_id: "default", customer: { ccid: person.ccid } },
    },
    {
      operationId: "getCustomer",
      method: "GET",
      path: "/cdm/client/{client_id}/customer/{ccid}",
      target: relayCustomer,
    },
    {
      operationId: "deactivateCustomer",
      method: "DELETE",
      path: "/cdm/client/{client_id}/customer/{ccid}",
      target: relayCustomer,
    },
    {
      operationId: "addCustomerPhone",
      method: "PUT",
      path: "/cdm/client/{client_id}/customer/{ccid}/add_phone/{phone_number}",
      target: `${relayCustomer}/add_phone/${person.phone}`,
      body: { consent_type: "written", phone_type: "mobile" },
    },
    {
      operationId: "removeCustomerPhone",
      method: "PUT",
      path: "/cdm/client/{client_id}/customer/{ccid}/remove_phone/{phone_number}",
      target: `${relayCustomer}/remove_phone/${person.phone}`,
      body: {},
    },
    {
      operationId: "moveCustomerProductGroup",
      method: "PUT",
      path: "/cdm/client/{client_id}/customer/{ccid}/move/{product_group_id}",
      target: `${relayCustomer}/move/gold`,
    },
  ],
  hiirelevate: [
    { operationId: "getHealth", method: "GET", path: "/health", target: "/health" },
    { operationId: "getCustomer", method: "GET", path: "/customers/{customerId}", target: `/customers/${customerId}` },
    {
      operationId: "deleteCustomer",
      method: "DELETE",
      path: "/customers/{customerId}",
      target: `/customers/${customerId}`,
    },
    {
      operationId: "updateCustomer",
      method: "PATCH",
      path: "/customers/{customerId}",
      target: `/customers/${customerId}`,
      body: { displayName: `${person.firstName} ${person.lastName}` },
    },
    {
      operationId: "findCustomer",
      method: "POST",
      path: "/customers/find",
      target: "/customers/find",
      body: { email: person.email, phoneNumber: person.phone, socialSecurityNumber: person.ssn },
    },
    {
      operationId: "createCustomer",
      method: "POST",
      path: "/customers",
      target: "/customers",
      body: {
        displayName: `${person.firstName} ${person.lastName}`,
        email: [{ value: person.email, primary: true }],
        phoneNumber: [{ value: person.phone }],
        birthdate: person.dateOfBirth,
        socialSecurityNumber: person.ssn,
        gender: "other",
        consents: [{ version: 2, url: "https://example.com/terms/v2", availableFrom: "2025-01-01" }],
      },
    },
    {
      operationId: "createConsent",
      method: "POST",
      path: "/consents",
      target: "/consents",
      body: {
        name: "terms",
        description: "Terms",
        isRequired: true,
        url: "https://example.com/t",
        availableFrom: "2025-01-01",
      },
    },
    {
      operationId: "createConsentVersion",
      method: "POST",
      path: "/consents/{consentBaseId}/versions",
      target: "/consents/terms/versions",
      body: {
        name: "terms",
        description: "Terms",
        isRequired: true,
        url: "https://example.com/t",
        availableFrom: "2025-02-01",
      },
    },
    {
      operationId: "addCustomerConsents",
      method: "POST",
      path: "/customers/{customerId}/consents",
      target: `/customers/${customerId}/consents`,
      body: ["terms"],
    },
    {
      operationId: "setCustomerChannelChoices",
      method: "POST",
      path: "/customers/{customerId}/channel-choices",
      target: `/customers/${customerId}/channel-choices`,
      body: [{ optIn: true, channelId: "sms" }],
    },
    {
      operationId: "createSegment",
      method: "POST",
      path: "/segments",
      target: "/segments",
      body: { name: "tier", daysValid: 30, allowMultiple: false },
    },
    {
      operationId: "createSegmentValue",
      method: "POST",
      path: "/segments/{segmentName}/values",
      target: "/segments/tier/values",
      body: { name: "gold", index: 1 },
    },
    {
      operationId: "addCustomerSegment",
      method: "POST",
      path: "/customers/{customerId}/segments",
      target: `/customers/${customerId}/segments`,
      body: { segment: "tier", segmentValue: "gold" },
    },
    {
      operationId: "updateCustomerSegment",
      method: "PUT",
      path: "/customers/{customerId}/segments",
      target: `/customers/${customerId}/segments`,
      body: {
        oldSegment: { segment: "tier", segmentValue: "gold" },
        newSegment: { segment: "tier", segmentValue: "silver" },
      },
    },
    {
      operationId: "registerCustomerDevice",
      method: "POST",
      path: "/customers/{customerId}/devices",
      target: `/customers/${customerId}/devices`,
      body: { deviceOs: "ios", deviceUid: "device-1", token: "push-token-1" },
    },
    {
      operationId: "handlePubsubPush",
      method: "POST",
      path: "/pubsub/channels",
      target: "/pubsub/channels",
      body: {
        subscription: "projects/p/subscriptions/s",
        message: { data: "e30=", messageId: "m1", attributes: { tenantId: "t1", userId: "u1", correlationId: "c1" } },
      },
    },
  ],
};

const credentials: Record<ApiName, Record<string, string>> = {
  "relay-cdm": { "xx-relay-api-key": secrets.apiKey },
  hiirelevate: { authorization: `Bearer ${secrets.bearerToken}` },
};

/** The request's personal values each vendor echoes. */
const echoed: Record<ApiName, string[]> = {
  "relay-cdm": [person.ccid, person.phone],
  hiirelevate: [person.customerId, person.email, person.phone, person.ssn, person.dateOfBirth],
};
/** An operation that needs a credential and answers the same to every call. */
const secured: Record<ApiName, string> = { "relay-cdm": "addCustomerPhone", hiirelevate: "updateCustomer" };

interface Exchange {
  call: Call;
  status: number;
  headers: Headers;
  text: string;
  events: DriftEvent[];
}

/** The key a deviation and an event share: what the drift checker reports of it. */
const keyOf = (d: Pick<VendorDeviation, "operationId" | "status" | "rule" | "pointer" | "piiField">) =>
  `${d.operationId} ${d.status} ${d.rule} ${d.pointer || "(body)"}${d.piiField ? " x-pii" : ""}`;
const eventKey = (e: DriftEvent) => keyOf({ ...e, operationId: e.operation.operationId });

describe.each(["relay-cdm", "hiirelevate"] as const)("the deviating %s vendor", (api) => {
  const doc = loadSpec(bundleFile(api));
  let drift: DriftApi;
  let vendor: DeviatingVendor;
  const exchange = async (call: Call, headers = credentials[api]): Promise<Exchange> => {
    const answer = await fetch(`${vendor.url}${call.target}`, {
      method: call.method,
      headers: { ...headers, ...(call.body === undefined ? {} : { "content-type": "application/json" }) },
      ...(call.body === undefined ? {} : { body: JSON.stringify(call.body) }),
    });
    const text = await answer.text();
    const outcome = checkExchange(drift, {
      method: call.method,
      path: call.path,
      status: answer.status,
      contentType: answer.headers.get("content-type"),
      body: text,
      secrets: Object.values(secrets),
    });
    return { call, status: answer.status, headers: answer.headers, text, events: outcome?.events ?? [] };
  };
  let once: Exchange[];
  /** What the vendor logged of those first calls (other tests, in any order, call it again). */
  let answered: (string | undefined)[];

  beforeAll(async () => {
    drift = compileDriftApi(doc, api);
    vendor = await startDeviatingVendor(api);
    once = [];
    for (const call of calls[api]) once.push(await exchange(call));
    answered = vendor.calls.map((c) => c.operationId);
  });
  afterAll(() => vendor?.stop());

  it("answers every operation of the spec", () => {
    expect(calls[api].map((c) => c.operationId).sort()).toEqual(
      listOperations(doc)
        .map((op) => op.operationId)
        .sort(),
    );
    expect(answered).toEqual(calls[api].map((c) => c.operationId));
  });

  it("makes every deviation it lists, as the drift checker reports it, and no other", () => {
    const steady = vendor.deviations.filter((d) => d.every === undefined);
    expect(new Set(steady.map((d) => d.kind)).size).toBeGreaterThanOrEqual(5);
    const events = once.flatMap((e) => e.events);
    expect(events.map(eventKey).sort()).toEqual(steady.map(keyOf).sort());
    // A new value of an enum that is not x-pii is quoted, for the reviewer to add.
    for (const event of events.filter((e) => e.rule === "enum" && !e.piiField))
      expect(event.observed.value).toBeTypeOf("string");
    for (const d of vendor.deviations) {
      const operation = listOperations(doc).find((op) => op.operationId === d.operationId)!;
      expect([d.method, d.path]).toEqual([operation.method.toUpperCase(), operation.path]);
    }
  });

  it("flags its x-pii deviation for review and never quotes its value", () => {
    const pii = once.flatMap((e) => e.events).filter((e) => e.piiField);
    expect(pii.map(eventKey)).toEqual(vendor.deviations.filter((d) => d.piiField).map(keyOf));
    expect(pii.length).toBe(1);
    for (const event of pii) expect(event.observed.value).toBeUndefined();
  });

  it("answers the other operations as the spec says", () => {
    const validator = createValidator(doc);
    const deviating = new Set(vendor.deviations.map((d) => d.operationId));
    const conforming = once.filter((e) => !deviating.has(e.call.operationId));
    expect(conforming.length).toBeGreaterThanOrEqual(3);
    for (const e of conforming) {
      const body = e.text === "" ? undefined : JSON.parse(e.text);
      const contentType = e.headers.get("content-type") ?? undefined;
      const result = validator.validateResponse({
        operationId: e.call.operationId,
        status: e.status,
        contentType,
        body,
      });
      expect(result, `${e.call.operationId} answered ${e.status}`).toEqual({ valid: true, errors: [] });
    }
  });

  it("answers 503 with Retry-After: 2 on every 5th call of one operation, as it lists", async () => {
    const fault = vendor.deviations.find((d) => d.kind === "unavailable")!;
    expect(fault).toMatchObject({ status: 503, rule: "undeclared-status", every: 5 });
    const call = calls[api].find((c) => c.operationId === fault.operationId)!;
    const statuses: number[] = [];
    let fifth: Exchange | undefined;
    // The first call was made in beforeAll: calls 2 to 10.
    for (let n = 2; n <= 10; n++) {
      const e = await exchange(call);
      statuses.push(e.status);
      if (n === 5) fifth = e;
    }
    const steady = once.find((e) => e.call === call)!.status;
    expect(statuses).toEqual([steady, steady, steady, 503, steady, steady, steady, steady, 503]);
    expect(fifth!.headers.get("retry-after")).toBe("2");
    expect(JSON.parse(fifth!.text)).toBeTypeOf("object");
    expect(fifth!.events.map(eventKey)).toEqual([keyOf(fault)]);
  });

  it("answers with personal values, its own and the request's, and no event quotes one", () => {
    const answers = once.map((e) => e.text).join("\n");
    expect(personalValues.filter((value) => answers.includes(value)).length).toBeGreaterThanOrEqual(8);
    for (const value of echoed[api]) expect(answers).toContain(value);
    const events = once.flatMap((e) => e.events).map((event) => JSON.stringify(event));
    expectNothingLeaks(events, [...personalValues, ...Object.values(person), ...Object.values(secrets)]);
  });

  it("accepts any credential of the API's kind, and refuses a call without one", async () => {
    const call = calls[api].find((c) => c.operationId === secured[api])!;
    const other = api === "relay-cdm" ? { "xx-relay-api-key": "any-key" } : { authorization: "Bearer any-token" };
    expect((await exchange(call, {})).status).toBe(401);
    expect((await exchange(call, other)).status).toBe(once.find((e) => e.call === call)!.status);
  });

  it("refuses a body that is not JSON, and one over 1 MiB, in the API's error shape", async () => {
    const call = calls[api].find((c) => c.operationId === secured[api])!;
    const send = (body: string) =>
      fetch(`${vendor.url}${call.target}`, {
        method: call.method,
        headers: { ...credentials[api], "content-type": "application/json" },
        body,
      });
    const notJson = await send("{");
    expect(notJson.status).toBe(400);
    expect(await notJson.json()).toHaveProperty("message");
    expect((await send(`"${"x".repeat(1024 * 1024)}"`)).status).toBe(413);
  });
});

describe("the deviating HiiRelevate vendor's token endpoint", () => {
  it("issues a token to any client id and secret, as the client's clientCredentials asks for one", async () => {
    const vendor = await startDeviatingVendor("hiirelevate");
    try {
      const token = clientCredentials({
        tokenUrl: `${vendor.url}/oauth2/token`,
        clientId: "rehearsal",
        clientSecret: secrets.clientSecret,
        audience: "https://hiiretail.com",
      });
      const issued = await token();
      expect(issued).toMatch(/^rehearsal-/);
      const answer = await fetch(`${vendor.url}/customers/${customerId}`, {
        headers: { authorization: `Bearer ${issued}` },
      });
      expect(answer.status).toBe(200);
    } finally {
      await vendor.stop();
    }
  });
});
