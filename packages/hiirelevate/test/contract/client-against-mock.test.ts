// Contract tests of the HiiRelevate client against Prism serving the bundled spec, through the
// shared suites of @cx-openapi/devkit: every response is validated against the spec and recorded for
// the coverage matrix, and every request constraint the generator derives from the spec is sent
// broken. What is HiiRelevate's own: its typed calls, its bearer token, what Prism makes of it.
import { describe, expect, expectTypeOf, it } from "vitest";
import {
  createContract,
  describeOperations,
  describePathEncoding,
  describeRequestConstraints,
  type SuccessCalls,
} from "@cx-openapi/devkit";
import { createHiiRelevateClient, type CustomerDto } from "../../src/index.js";

const token = "test-token";
const customerId = "00000000-0000-4000-8000-000000000001";
const segmentName = "loyalty-tier";
const consentBaseId = "consent-0001";

const contract = createContract({
  api: "hiirelevate",
  secret: token,
  createClient: (baseUrl, fetch) => createHiiRelevateClient({ baseUrl, token, fetch }),
});
const { client } = contract;
// Health needs no token (security: []); the suites call public operations without one.
const anonymous = contract.clientWith(null);

const consent = {
  name: "Marketing communication",
  description: "I agree to receive offers.",
  isRequired: false,
  url: "https://example.com/consents/v1",
  availableFrom: "2024-01-01",
};
const loyalty = { segment: segmentName, segmentValue: "gold" };

/** One typed call per operation; `prefer` is the Prism `Prefer` header. A new operation fails the suite until it gets one. */
const successCalls: SuccessCalls = {
  getHealth: async (prefer) => {
    const result = await anonymous.GET("/health", { headers: { Prefer: prefer } });
    expectTypeOf(result.data).toEqualTypeOf<undefined>();
    return result;
  },
  getCustomer: async (prefer) => {
    const result = await client.GET("/customers/{customerId}", {
      params: { path: { customerId } },
      headers: { Prefer: prefer },
    });
    expectTypeOf(result.data).branded.toEqualTypeOf<CustomerDto | undefined>();
    return result;
  },
  deleteCustomer: async (prefer) => {
    const result = await client.DELETE("/customers/{customerId}", {
      params: { path: { customerId } },
      headers: { Prefer: prefer },
    });
    expectTypeOf(result.data).toEqualTypeOf<undefined>();
    return result;
  },
  updateCustomer: async (prefer) => {
    const body = {
      phoneNumber: [{ primary: true, type: "work", value: "+461111111111" }],
      addresses: [{ city: "Stockholm", country: "SE" }],
    };
    const result = await client.PATCH("/customers/{customerId}", {
      params: { path: { customerId } },
      body,
      headers: { Prefer: prefer },
    });
    expectTypeOf(result.data).toEqualTypeOf<undefined>();
    return result;
  },
  findCustomer: async (prefer) => {
    const body = { email: "example@gmail.com", phoneNumber: "+461111111111", socialSecurityNumber: "19000101-0000" };
    const result = await client.POST("/customers/find", { body, headers: { Prefer: prefer } });
    expectTypeOf(result.data).branded.toEqualTypeOf<CustomerDto[] | undefined>();
    return result;
  },
  createCustomer: async (prefer) => {
    const body = {
      displayName: "Example Customer",
      email: [{ value: "example@gmail.com" }],
      gender: "other" as const,
      birthdate: "1990-01-01",
    };
    const result = await client.POST("/customers", { body, headers: { Prefer: prefer } });
    expectTypeOf(result.data).branded.toEqualTypeOf<CustomerDto | undefined>();
    return result;
  },
  createConsent: async (prefer) => {
    const result = await client.POST("/consents", { body: consent, headers: { Prefer: prefer } });
    expectTypeOf(result.data).toEqualTypeOf<undefined>();
    return result;
  },
  createConsentVersion: async (prefer) => {
    const params = { path: { consentBaseId } };
    const result = await client.POST("/consents/{consentBaseId}/versions", {
      params,
      body: consent,
      headers: { Prefer: prefer },
    });
    expectTypeOf(result.data).toEqualTypeOf<undefined>();
    return result;
  },
  addCustomerConsents: async (prefer) => {
    const params = { path: { customerId } };
    const result = await client.POST("/customers/{customerId}/consents", {
      params,
      body: [consentBaseId],
      headers: { Prefer: prefer },
    });
    expectTypeOf(result.data).toEqualTypeOf<undefined>();
    return result;
  },
  setCustomerChannelChoices: async (prefer) => {
    const choices = [{ optIn: true, channelId: "email-newsletter" }];
    const result = await client.POST("/customers/{customerId}/channel-choices", {
      params: { path: { customerId } },
      body: choices,
      headers: { Prefer: prefer },
    });
    expectTypeOf(result.data).toEqualTypeOf<undefined>();
    return result;
  },
  createSegment: async (prefer) => {
    const result = await client.POST("/segments", {
      body: { name: segmentName, daysValid: 365, allowMultiple: false },
      headers: { Prefer: prefer },
    });
    expectTypeOf(result.data).toEqualTypeOf<undefined>();
    return result;
  },
  createSegmentValue: async (prefer) => {
    const params = { path: { segmentName } };
    const result = await client.POST("/segments/{segmentName}/values", {
      params,
      body: { name: "gold", index: 1 },
      headers: { Prefer: prefer },
    });
    expectTypeOf(result.data).toEqualTypeOf<undefined>();
    return result;
  },
  addCustomerSegment: async (prefer) => {
    const body = { ...loyalty, expires: "2025-12-31" };
    const result = await client.POST("/customers/{customerId}/segments", {
      params: { path: { customerId } },
      body,
      headers: { Prefer: prefer },
    });
    expectTypeOf(result.data).toEqualTypeOf<undefined>();
    return result;
  },
  updateCustomerSegment: async (prefer) => {
    const body = { oldSegment: { ...loyalty, segmentValue: "silver" }, newSegment: loyalty };
    const result = await client.PUT("/customers/{customerId}/segments", {
      params: { path: { customerId } },
      body,
      headers: { Prefer: prefer },
    });
    expectTypeOf(result.data).toEqualTypeOf<undefined>();
    return result;
  },
  registerCustomerDevice: async (prefer) => {
    const body = { deviceOs: "android", deviceUid: "device-0000-example", token: "example-push-token-0000" };
    const result = await client.POST("/customers/{customerId}/devices", {
      params: { path: { customerId } },
      body,
      headers: { Prefer: prefer },
    });
    expectTypeOf(result.data).toEqualTypeOf<undefined>();
    return result;
  },
  handlePubsubPush: async (prefer) => {
    const attributes = { tenantId: "example-tenant", userId: "example-user", correlationId: "c0de" };
    const message = { data: "eyJjaGFubmVsSWQiOiJlbWFpbCJ9", messageId: "1234567890123456", attributes };
    const body = { subscription: "projects/p/subscriptions/s", message };
    const result = await client.POST("/pubsub/channels", { body, headers: { Prefer: prefer } });
    expectTypeOf(result.data).toEqualTypeOf<undefined>();
    return result;
  },
};

// A Basic credential, the scheme without a token, a token without the scheme.
describeOperations(contract, successCalls, { malformedCredentials: ["Basic dXNlcjpwYXNz", "Bearer", token] });
describeRequestConstraints(contract);
describePathEncoding(contract, [
  {
    operationId: "getCustomer",
    name: "customerId",
    call: (local, raw) => local.GET("/customers/{customerId}", { params: { path: { customerId: raw } } }),
    path: (encoded) => `/customers/${encoded}`,
  },
  {
    operationId: "createSegmentValue",
    name: "segmentName",
    call: (local, raw) =>
      local.POST("/segments/{segmentName}/values", {
        params: { path: { segmentName: raw } },
        body: { name: "gold", index: 1 },
      }),
    path: (encoded) => `/segments/${encoded}/values`,
  },
]);

// Pinned so that a Prism upgrade that changes them is noticed: the suites above rely on them.
describe("hiirelevate bearer tokens at the mock", () => {
  const getCustomer = (target: typeof client) =>
    target.GET("/customers/{customerId}", { params: { path: { customerId } } });

  it("accepts any token after `Bearer `: Prism checks the form of the header, not the token", async () => {
    const { response } = await getCustomer(contract.clientWith("Bearer not-a-jwt"));
    expect(response.status).toBe(200);
  });

  it("refuses a lower-case `bearer` scheme, although HTTP auth schemes are case-insensitive", async () => {
    const { response } = await getCustomer(contract.clientWith(`bearer ${token}`));
    expect(response.status).toBe(401);
  });

  it("answers the public health check whether or not the client sends its token", async () => {
    const { response } = await client.GET("/health");
    expect(response.status).toBe(200);
  });
});
