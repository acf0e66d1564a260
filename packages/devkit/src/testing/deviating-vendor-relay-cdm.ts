// A Relay CDM vendor that breaks the spec on purpose (deviating-vendor.ts). Relay's responses
// require no field (every schema is tolerant, DECISIONS.md D25), so instead of a missing required
// field it answers a body where the spec declares none (create's 200, D17).
import {
  deviation,
  objectAt,
  objectsAt,
  vendorPerson as person,
  type VendorDefinition,
  type VendorDeviation,
  type VendorRoute,
} from "./deviating-vendor-types.js";

const customerPath = "/cdm/client/{client_id}/customer/{ccid}";
const paths = {
  onboard: "/cdm/client/{client_id}/onboard",
  load: "/cdm/client/{client_id}/load-customer-record",
  customer: customerPath,
  addPhone: `${customerPath}/add_phone/{phone_number}`,
  removePhone: `${customerPath}/remove_phone/{phone_number}`,
  move: `${customerPath}/move/{product_group_id}`,
};

const deviations: VendorDeviation[] = [
  deviation(
    "getCustomer",
    "GET",
    paths.customer,
    200,
    "enum",
    "/notification_channels/*/consent_type",
    "new-enum-value",
  ),
  deviation(
    "getCustomer",
    "GET",
    paths.customer,
    200,
    "maxLength",
    "/notification_channels/*/phone_type",
    "past-bound",
  ),
  deviation("getCustomer", "GET", paths.customer, 200, "type", "/ext/{key}", "number-for-string"),
  // The whole SSN in the field for its last four digits: an x-pii field, flagged and never quoted.
  deviation("getCustomer", "GET", paths.customer, 200, "maxLength", "/ssn_last4", "past-bound", true),
  deviation("deactivateCustomer", "DELETE", paths.customer, 200, "type", "/message", "null-for-string"),
  deviation("removeCustomerPhone", "PUT", paths.removePhone, 422, "undeclared-status", "", "undeclared-status"),
  deviation("loadCustomerRecord", "POST", paths.load, 200, "unexpected-body", "", "undeclared-body"),
];

/** The stored customer: the path's ccid, fixed personal values, and the deviations of getCustomer. */
function customer(ccid: string): Record<string, unknown> {
  return {
    ccid,
    secondary_account_id: person.accountId,
    first_name: person.firstName,
    middle_name: person.middleName,
    last_name: person.lastName,
    date_of_birth: person.dateOfBirth,
    ssn_last4: person.ssnDigits,
    gender: "F",
    addresses: [
      {
        address1: person.streetAddress,
        city: person.city,
        state_province: "PA",
        postal_code: person.postalCode,
        country: "USA",
      },
    ],
    notification_channels: [
      { channel_type: "sms", channel_addr: person.phone, consent_type: "implied", phone_type: "mobile-voip" },
    ],
    ext: { member_since: 1999, membership_level: "gold" },
    // Not in the spec, and allowed: Relay's customer takes unknown fields (D25).
    product_group_id: "default",
  };
}

/** Onboarding's answer: the request's landline numbers, as Mobile Analysis reports them. */
function onboarded(body: unknown): Record<string, unknown> {
  const channels = objectsAt(objectAt(body, "customer"), "notification_channels");
  const landlines = channels.filter((c) => c.phone_type === "landline" && typeof c.channel_addr === "string");
  if (landlines.length === 0) return { message: "Accepted" };
  return {
    message: "Accepted",
    mobile_analysis_results: Object.fromEntries(landlines.map((c) => [c.channel_addr as string, "landline"])),
  };
}

const routes: VendorRoute[] = [
  { operationId: "onboardCustomer", method: "POST", path: paths.onboard, answer: (r) => ok(onboarded(r.body)) },
  { operationId: "loadCustomerRecord", method: "POST", path: paths.load, answer: () => ok({ message: "Created" }) },
  { operationId: "getCustomer", method: "GET", path: paths.customer, answer: (r) => ok(customer(r.params.ccid!)) },
  { operationId: "deactivateCustomer", method: "DELETE", path: paths.customer, answer: () => ok({ message: null }) },
  {
    operationId: "addCustomerPhone",
    method: "PUT",
    path: paths.addPhone,
    answer: () => ok({ message: "Phone number added" }),
  },
  {
    operationId: "removeCustomerPhone",
    method: "PUT",
    path: paths.removePhone,
    answer: () => ({ status: 422, body: { message: "The phone number is not on this customer" } }),
  },
  {
    operationId: "moveCustomerProductGroup",
    method: "PUT",
    path: paths.move,
    answer: () => ok({ message: "Customer moved" }),
  },
];

function ok(body: unknown) {
  return { status: 200, body };
}

export const relayCdmVendor: VendorDefinition = {
  routes,
  deviations,
  unavailable: { operationId: "getCustomer", every: 5, retryAfterSeconds: 2 },
  authorized: (headers) => typeof headers["xx-relay-api-key"] === "string" && headers["xx-relay-api-key"] !== "",
  error: (_status, message) => ({ message }),
};
