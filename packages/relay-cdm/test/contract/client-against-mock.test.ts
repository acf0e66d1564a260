// Contract tests of the Relay CDM client against Prism serving the bundled spec, through the
// shared suites of @cx-openapi/devkit: every response is validated against the spec and recorded for
// the coverage matrix, and every request constraint the generator derives from the spec is sent
// broken. What is Relay's own: its typed calls, its API key, its environments.
import { describe, expect, expectTypeOf, it } from "vitest";
import {
  createContract,
  describeOperations,
  describePathEncoding,
  describeRequestConstraints,
  type SuccessCalls,
} from "@cx-openapi/devkit";
import {
  createRelayCdmClient,
  environments,
  type Customer,
  type MessageResponse,
  type OnboardCustomerResponse,
} from "../../src/index.js";

const apiKey = "test-key";
const clientId = "relay_developer";
const ccid = "BAK-11984-007";
const phoneNumber = "6105551212";

const contract = createContract({
  api: "relay-cdm",
  secret: apiKey,
  createClient: (baseUrl, fetch) => createRelayCdmClient({ apiKey, baseUrl, fetch }),
});
const { client, doc } = contract;

/** One typed call per operation; `prefer` picks the Prism example. A new operation fails the suite until it gets one. */
const successCalls: SuccessCalls = {
  onboardCustomer: async (prefer) => {
    const { data, response } = await client.POST("/cdm/client/{client_id}/onboard", {
      params: { path: { client_id: clientId } },
      body: {
        product_group_id: "default",
        customer: { ccid, notification_channels: [{ channel_addr: phoneNumber, consent_type: "written" }] },
      },
      headers: { Prefer: prefer },
    });
    expectTypeOf(data).branded.toEqualTypeOf<OnboardCustomerResponse | undefined>();
    return { data, response };
  },
  loadCustomerRecord: async (prefer) => {
    const { data, response } = await client.POST("/cdm/client/{client_id}/load-customer-record", {
      params: { path: { client_id: clientId } },
      body: { product_group_id: "default", customer: { ccid, first_name: "Roger" } },
      headers: { Prefer: prefer },
    });
    expectTypeOf(data).toEqualTypeOf<undefined>();
    return { data, response };
  },
  getCustomer: async (prefer) => {
    const { data, response } = await client.GET("/cdm/client/{client_id}/customer/{ccid}", {
      params: { path: { client_id: clientId, ccid } },
      headers: { Prefer: prefer },
    });
    expectTypeOf(data).branded.toEqualTypeOf<Customer | undefined>();
    return { data, response };
  },
  deactivateCustomer: async (prefer) => {
    const { data, response } = await client.DELETE("/cdm/client/{client_id}/customer/{ccid}", {
      params: { path: { client_id: clientId, ccid } },
      headers: { Prefer: prefer },
    });
    expectTypeOf(data).toEqualTypeOf<MessageResponse | undefined>();
    return { data, response };
  },
  addCustomerPhone: async (prefer) => {
    const { data, response } = await client.PUT("/cdm/client/{client_id}/customer/{ccid}/add_phone/{phone_number}", {
      params: { path: { client_id: clientId, ccid, phone_number: phoneNumber } },
      body: { consent_type: "express", phone_type: "mobile" },
      headers: { Prefer: prefer },
    });
    expectTypeOf(data).toEqualTypeOf<MessageResponse | undefined>();
    return { data, response };
  },
  removeCustomerPhone: async (prefer) => {
    const { data, response } = await client.PUT("/cdm/client/{client_id}/customer/{ccid}/remove_phone/{phone_number}", {
      params: { path: { client_id: clientId, ccid, phone_number: phoneNumber } },
      headers: { Prefer: prefer },
    });
    expectTypeOf(data).toEqualTypeOf<MessageResponse | undefined>();
    return { data, response };
  },
  moveCustomerProductGroup: async (prefer) => {
    const { data, response } = await client.PUT("/cdm/client/{client_id}/customer/{ccid}/move/{product_group_id}", {
      params: { path: { client_id: clientId, ccid, product_group_id: "default" } },
      headers: { Prefer: prefer },
    });
    expectTypeOf(data).toEqualTypeOf<MessageResponse | undefined>();
    return { data, response };
  },
};

describeOperations(contract, successCalls);
describeRequestConstraints(contract);
describePathEncoding(contract, [
  {
    operationId: "getCustomer",
    name: "ccid",
    call: (local, raw) =>
      local.GET("/cdm/client/{client_id}/customer/{ccid}", { params: { path: { client_id: clientId, ccid: raw } } }),
    path: (encoded) => `/cdm/client/${clientId}/customer/${encoded}`,
  },
]);

describe("relay-cdm environments", () => {
  it.each(Object.keys(environments) as (keyof typeof environments)[])(
    "%s targets a server of the spec without calling it",
    async (environment) => {
      const urls: string[] = [];
      // A stub fetch: the vendor host is never contacted.
      const stub = async (request: Request) => {
        urls.push(request.url);
        return new Response("{}", { status: 200, headers: { "content-type": "application/json" } });
      };
      const target = createRelayCdmClient({ apiKey, environment, fetch: stub });
      await target.PUT("/cdm/client/{client_id}/customer/{ccid}/move/{product_group_id}", {
        params: { path: { client_id: clientId, ccid, product_group_id: "default" } },
      });
      const servers = ((doc.servers ?? []) as { url: string }[]).map((s) => s.url);
      expect(servers).toContain(environments[environment]);
      expect(urls).toEqual([`${environments[environment]}/cdm/client/${clientId}/customer/${ccid}/move/default`]);
    },
  );
});
