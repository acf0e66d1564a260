// The secrets test through the Relay client: its API key and the personal data its spec tags
// (x-pii) go through every error path and every hook, and appear in no string the library produces.
import { afterEach, describe, expect, it } from "vitest";
import { ApiError, createRelayCdmClient, NetworkError, TimeoutError, unwrap } from "../../src/index.js";
import {
  observe,
  until,
  useFakeClock,
  expectNothingLeaks,
  person,
  printed,
  recorder,
  secrets,
  useServers,
  sendJson,
} from "@cx-openapi/devkit/testing";

const { serve, echo } = useServers();
let clock: ReturnType<typeof useFakeClock> | undefined;
afterEach(() => {
  clock?.restore();
  clock = undefined;
});

const addPhonePath = "/cdm/client/{client_id}/customer/{ccid}/add_phone/{phone_number}";
const relayPath = { client_id: "relay_developer", ccid: person.ccid };

describe("the secrets test (Relay)", () => {
  it("Relay: ApiErrors (400, 404, 500) echoing the request, and every hook, carry no secret or personal data", async () => {
    let status = 400;
    const server = await echo(() => status);
    const log = recorder();
    const relay = createRelayCdmClient({ apiKey: secrets.apiKey, baseUrl: server.url, hooks: log.hooks });
    const calls = [
      () =>
        relay.POST("/cdm/client/{client_id}/onboard", {
          params: { path: { client_id: relayPath.client_id } },
          body: {
            product_group_id: "default",
            launched_by: { lb_name: person.email, lb_source: "crm" },
            customer: {
              ccid: person.ccid,
              first_name: person.firstName,
              last_name: person.lastName,
              date_of_birth: person.dateOfBirth,
              ssn_last4: person.ssnLast4,
              notification_channels: [{ channel_addr: person.phone, consent_type: "written" }],
            },
          },
        }),
      () =>
        relay.PUT(addPhonePath, {
          params: { path: { ...relayPath, phone_number: person.phone } },
          body: { consent_type: "express", phone_type: "mobile" },
        }),
      () => relay.GET("/cdm/client/{client_id}/customer/{ccid}", { params: { path: relayPath } }),
    ];
    const errors: unknown[] = [];
    for (status of [400, 404, 500]) {
      for (const call of calls) errors.push(await unwrap(call()).catch((e: unknown) => e));
    }
    expect(errors).toHaveLength(9);
    for (const error of errors) expect(error).toBeInstanceOf(ApiError);
    // The server did receive the data, and echoed it back.
    expect(server.requests[0]?.body).toContain(person.ssnLast4);
    expect(JSON.stringify((errors[0] as ApiError).body)).toContain(person.dateOfBirth);

    expectNothingLeaks([...errors.flatMap(printed), ...log.printed()]);
    // The detector itself works: the raw echo it was spared does hold the data.
    expect(() => expectNothingLeaks([JSON.stringify((errors[0] as ApiError).body)])).toThrow();
  });

  it("Relay: retried 503s, a NetworkError and a TimeoutError carry no secret or personal data", async () => {
    let answer: number | "reset" | "hang" = 503;
    const server = await echo(() => answer);
    const log = recorder();
    const relay = createRelayCdmClient({
      apiKey: secrets.apiKey,
      baseUrl: server.url,
      hooks: log.hooks,
      retry: { maxAttempts: 2, baseDelayMs: 0 },
      timeoutMs: 5_000,
    });
    const addPhone = () =>
      relay.PUT(addPhonePath, {
        params: { path: { ...relayPath, phone_number: person.phone } },
        body: { consent_type: "express" },
      });

    const unavailable = await unwrap(addPhone()).catch((e: unknown) => e);
    expect(unavailable).toMatchObject({ name: "ApiError", status: 503 });
    answer = "reset";
    const network = await addPhone().catch((e: unknown) => e);
    expect(network).toBeInstanceOf(NetworkError);

    answer = "hang";
    clock = useFakeClock();
    const call = observe(addPhone());
    await until(() => server.requests.length === 5);
    await clock.advance(5_000);
    await until(() => call.settled);
    expect(call.error).toBeInstanceOf(TimeoutError);

    expect(log.events.filter((e) => (e as { reason?: string }).reason !== undefined)).toHaveLength(2); // one retry each
    expectNothingLeaks([...[unavailable, network, call.error].flatMap(printed), ...log.printed()]);
  });

  it("Relay: personal values of the body that the server repeats in free text", async () => {
    const server = await serve((request, res) => {
      const { customer } = JSON.parse(request.body) as { customer: Record<string, string> };
      sendJson(res, 409, {
        message: `customer ${customer.ccid} (${customer.first_name} ${customer.last_name}) already exists`,
      });
    });
    const log = recorder();
    const relay = createRelayCdmClient({ apiKey: secrets.apiKey, baseUrl: server.url, hooks: log.hooks });
    const error = await unwrap(
      relay.POST("/cdm/client/{client_id}/load-customer-record", {
        params: { path: { client_id: relayPath.client_id } },
        body: {
          product_group_id: "default",
          customer: { ccid: person.ccid, first_name: person.firstName, last_name: person.lastName },
        },
      }),
    ).catch((e: unknown) => e);
    expect(error).toMatchObject({ status: 409 });
    expectNothingLeaks([...printed(error), ...log.printed()]);
  });
});
