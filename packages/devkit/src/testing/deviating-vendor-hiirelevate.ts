// A HiiRelevate vendor that breaks the spec on purpose (deviating-vendor.ts), with Hii Retail's
// OAuth2 token endpoint beside it for clients that fetch their token (`clientCredentials`). The
// spec's only enum in a response is `gender`, an x-pii field, and no response field has a bound: its
// new enum value is the x-pii deviation, and the bound is replaced by a body where none is declared
// (the health check's).
import { randomUUID } from "node:crypto";
import {
  deviation,
  isObject,
  objectsAt,
  pick,
  vendorPerson as person,
  type VendorAnswer,
  type VendorDefinition,
  type VendorDeviation,
  type VendorRequest,
  type VendorRoute,
} from "./deviating-vendor-types.js";

const customerPath = "/customers/{customerId}";

const deviations: VendorDeviation[] = [
  // A gender the spec does not list, in an x-pii field: flagged for review, never quoted.
  deviation("getCustomer", "GET", customerPath, 200, "enum", "/gender", "new-enum-value", true),
  // Epoch milliseconds where the spec has a date string.
  deviation("getCustomer", "GET", customerPath, 200, "type", "/createdDate", "number-for-string"),
  deviation("findCustomer", "POST", "/customers/find", 201, "type", "/*/currency", "null-for-string"),
  deviation("deleteCustomer", "DELETE", customerPath, 404, "required", "/statusCode", "required-missing"),
  deviation("createSegment", "POST", "/segments", 409, "undeclared-status", "", "undeclared-status"),
  deviation("getHealth", "GET", "/health", 200, "unexpected-body", "", "undeclared-body"),
];

/** A stored customer that conforms, with fixed personal values. */
function customer(id: string): Record<string, unknown> {
  return {
    id,
    email: [{ primary: true, type: "home", value: person.email }],
    phoneNumber: [{ primary: true, type: "mobile", value: person.phone }],
    socialSecurityNumber: person.ssn,
    identifiers: [person.accountId],
    displayName: person.displayName,
    birthdate: person.dateOfBirth,
    addresses: [
      {
        primary: true,
        type: "home",
        streetAddress: person.streetAddress,
        city: person.city,
        postalCode: person.postalCode,
        country: "US",
        region: "PA",
      },
    ],
    gender: "female",
    currency: "USD",
    businessUnitId: "bu-rehearsal",
    consents: [consent],
    status: "active",
    createdBy: "crm-import",
    createdDate: "2024-12-06T10:00:00.000Z",
    channelChoices: [{ optIn: true, channelId: "email" }],
  };
}

const consent = {
  version: 1,
  url: "https://example.com/terms/v1",
  availableFrom: "2024-01-01",
  status: "accepted",
  createdBy: "crm-import",
  createdDate: "2024-01-01",
};

const contactFields = { primary: "boolean", type: "string", value: "string" } as const;
const addressFields = {
  primary: "boolean",
  type: "string",
  streetAddress: "string",
  city: "string",
  postalCode: "string",
  country: "string",
  region: "string",
} as const;
const consentFields = {
  version: "number",
  url: "string",
  availableFrom: "string",
  status: "string",
  createdBy: "string",
  createdDate: "string",
  modifiedBy: "string",
  modifiedDate: "string",
} as const;
const profileFields = {
  socialSecurityNumber: "string",
  displayName: "string",
  birthdate: "string",
  currency: "string",
  businessUnitId: "string",
} as const;

/** A created customer: the request's profile echoed, each field only if its type fits the response. */
function created(body: unknown): Record<string, unknown> {
  const profile = isObject(body) ? body : {};
  const identifiers = Array.isArray(profile.identifiers)
    ? profile.identifiers.filter((i) => typeof i === "string")
    : [];
  const gender = ["male", "female", "other"].includes(profile.gender as string) ? { gender: profile.gender } : {};
  return {
    id: randomUUID(),
    ...pick(profile, profileFields),
    email: objectsAt(profile, "email").map((e) => pick(e, contactFields)),
    phoneNumber: objectsAt(profile, "phoneNumber").map((p) => pick(p, contactFields)),
    identifiers,
    addresses: objectsAt(profile, "addresses").map((a) => pick(a, addressFields)),
    ...gender,
    consents: objectsAt(profile, "consents").map((c) => pick(c, consentFields)),
    channelChoices: objectsAt(profile, "channelChoices").map((c) => pick(c, { optIn: "boolean", channelId: "string" })),
    status: "active",
    createdBy: "api",
    createdDate: new Date().toISOString(),
  };
}

/** The customers a search finds: one, with the email, phone number and SSN searched for. */
function found(body: unknown): Record<string, unknown>[] {
  const query = isObject(body) ? body : {};
  const match = customer(randomUUID());
  if (typeof query.email === "string") match.email = [{ primary: true, type: "home", value: query.email }];
  if (typeof query.phoneNumber === "string")
    match.phoneNumber = [{ primary: true, type: "mobile", value: query.phoneNumber }];
  if (typeof query.socialSecurityNumber === "string") match.socialSecurityNumber = query.socialSecurityNumber;
  return [{ ...match, currency: null }];
}

/** Hii Retail's token endpoint: any client id and secret, the client-credentials grant only. */
function issueToken(request: VendorRequest): VendorAnswer {
  const form = new URLSearchParams(request.text);
  if (form.get("grant_type") !== "client_credentials")
    return { status: 400, body: { error: "unsupported_grant_type", error_description: "use client_credentials" } };
  return {
    status: 200,
    headers: { "cache-control": "no-store" },
    body: { access_token: `rehearsal-${randomUUID()}`, token_type: "Bearer", expires_in: 3600 },
  };
}

const empty = (status: number) => (): VendorAnswer => ({ status });
const route = (operationId: string, method: string, path: string, answer: VendorRoute["answer"]): VendorRoute => ({
  operationId,
  method,
  path,
  answer,
});

const routes: VendorRoute[] = [
  { operationId: "getHealth", method: "GET", path: "/health", open: true, answer: () => ok({ status: "ok" }) },
  route("getCustomer", "GET", customerPath, (r) =>
    ok({ ...customer(r.params.customerId!), gender: "nonbinary", createdDate: 1733480000000 }),
  ),
  route("deleteCustomer", "DELETE", customerPath, () => ({
    status: 404,
    body: { message: "Customer not found", error: "Not Found" },
  })),
  route("updateCustomer", "PATCH", customerPath, empty(200)),
  route("findCustomer", "POST", "/customers/find", (r) => ({ status: 201, body: found(r.body) })),
  route("createCustomer", "POST", "/customers", (r) => ({ status: 201, body: created(r.body) })),
  route("createConsent", "POST", "/consents", empty(201)),
  route("createConsentVersion", "POST", "/consents/{consentBaseId}/versions", empty(201)),
  route("addCustomerConsents", "POST", `${customerPath}/consents`, empty(201)),
  route("setCustomerChannelChoices", "POST", `${customerPath}/channel-choices`, empty(201)),
  route("createSegment", "POST", "/segments", () => ({
    status: 409,
    body: { statusCode: 409, message: "Segment already exists", error: "Conflict" },
  })),
  route("createSegmentValue", "POST", "/segments/{segmentName}/values", empty(201)),
  route("addCustomerSegment", "POST", `${customerPath}/segments`, empty(201)),
  route("updateCustomerSegment", "PUT", `${customerPath}/segments`, empty(200)),
  route("registerCustomerDevice", "POST", `${customerPath}/devices`, empty(201)),
  route("handlePubsubPush", "POST", "/pubsub/channels", empty(201)),
  { method: "POST", path: "/oauth2/token", open: true, answer: issueToken },
];

function ok(body: unknown): VendorAnswer {
  return { status: 200, body };
}

const reasons: Readonly<Record<number, string>> = {
  400: "Bad Request",
  401: "Unauthorized",
  404: "Not Found",
  413: "Payload Too Large",
  500: "Internal Server Error",
  503: "Service Unavailable",
};

export const hiirelevateVendor: VendorDefinition = {
  routes,
  deviations,
  unavailable: { operationId: "getCustomer", every: 5, retryAfterSeconds: 2 },
  authorized: (headers) => /^Bearer \S+/i.test(String(headers.authorization ?? "")),
  error: (status, message) => ({ statusCode: status, message, error: reasons[status] ?? "Error" }),
};
