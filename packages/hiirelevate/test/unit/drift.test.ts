// The drift reporter (@cx-openapi/hiirelevate/drift) on the HiiRelevate client: a personal field's
// enum value is never reported, a missing required field is, and neither the bearer token nor a
// personal value shows in an event.
import { describe, expect, it } from "vitest";
import { createHiiRelevateClient } from "../../src/index.js";
import { driftEvidence, driftReporter, type DriftEvent } from "../../src/drift.js";
import { expectNothingLeaks, person, secrets } from "@cx-openapi/devkit/testing";

const path = "/customers/{customerId}";
const call = { params: { path: { customerId: person.customerId } } };

/** A HiiRelevate client whose every call is answered with `status` and `body`, reporting drift. */
function hiiAnswering(status: number, body: unknown) {
  const events: DriftEvent[] = [];
  const evidence = driftEvidence();
  const hii = createHiiRelevateClient({
    baseUrl: "http://127.0.0.1:9",
    token: secrets.bearerToken,
    retry: false,
    fetch: async () => new Response(JSON.stringify(body), { status, headers: { "content-type": "application/json" } }),
  });
  hii.use(driftReporter({ onDeviation: (event) => events.push(event), evidence }));
  return { hii, events, evidence };
}

describe("the drift reporter of the HiiRelevate client", () => {
  it("reports a value outside the enum of a personal (x-pii) field only as such, never the value", async () => {
    const body = { id: person.customerId, displayName: person.firstName, gender: "nonbinary-spectrum" };
    const { hii, events, evidence } = hiiAnswering(200, body);
    await hii.GET(path, call);
    expect(events).toEqual([
      {
        api: "hiirelevate",
        specVersion: "0.1.0",
        operation: { operationId: "getCustomer", method: "GET", path },
        status: 200,
        rule: "enum",
        pointer: "/gender",
        observed: { type: "string", format: "text" },
        piiField: true,
      },
    ]);
    expectNothingLeaks([JSON.stringify(events), evidence.toJsonLines()], ["nonbinary-spectrum", person.customerId]);
  });

  it("reports a required field the body leaves out, at the field's pointer", async () => {
    const { hii, events } = hiiAnswering(404, { message: "no such customer" });
    const result = await hii.GET(path, call);
    expect(result.status).toBe(404);
    expect(events).toEqual([
      expect.objectContaining({ status: 404, rule: "required", pointer: "/statusCode", observed: { type: "missing" } }),
    ]);
  });

  it("puts neither the bearer token nor a personal value in any event or evidence line", async () => {
    const body = {
      id: 7,
      displayName: [person.firstName],
      email: [{ value: person.email, primary: "yes" }],
      phoneNumber: [{ value: Number(person.phone) }],
      gender: secrets.bearerToken,
      socialSecurityNumber: { ssn: person.ssn },
    };
    const { hii, events, evidence } = hiiAnswering(200, body);
    await hii.GET(path, call);
    expect(events.length).toBeGreaterThan(3);
    expect(events.filter((event) => "value" in event.observed)).toEqual([]);
    expectNothingLeaks([JSON.stringify(events), evidence.toJsonLines()]);
  });
});
