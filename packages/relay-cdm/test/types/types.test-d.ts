// Compile-time tests, checked by `tsc` in `pnpm test`: each @ts-expect-error must meet an error,
// so a spec or client change that loosens a type makes the type check fail.
import { expectTypeOf } from "vitest";
import {
  createRelayCdmClient,
  unwrap,
  type Customer,
  type CustomerInput,
  type MessageResponse,
  type OnboardCustomerRequest,
  type OnboardCustomerResponse,
} from "../../src/index.js";

const client = createRelayCdmClient({ apiKey: "key", environment: "staging" });
const clientId = "relay_developer";
const ccid = "BAK-11984-007";

// `branded` compares intersections (allOf) structurally rather than by identity.
export async function wellTyped() {
  const onboarded = await client.POST("/cdm/client/{client_id}/onboard", {
    params: { path: { client_id: clientId } },
    body: { product_group_id: "default", customer: { ccid } },
  });
  expectTypeOf(onboarded.data).branded.toEqualTypeOf<OnboardCustomerResponse | undefined>();

  const fetched = await client.GET("/cdm/client/{client_id}/customer/{ccid}", {
    params: { path: { client_id: clientId, ccid } },
  });
  expectTypeOf(fetched.data).branded.toEqualTypeOf<Customer | undefined>();

  const moved = await client.PUT("/cdm/client/{client_id}/customer/{ccid}/move/{product_group_id}", {
    params: { path: { client_id: clientId, ccid, product_group_id: "default" } },
  });
  expectTypeOf(moved.data).toEqualTypeOf<MessageResponse | undefined>();
}

export const missingRequiredField: OnboardCustomerRequest = {
  product_group_id: "default",
  // @ts-expect-error customer.ccid is required
  customer: { first_name: "Roger" },
};

// @ts-expect-error customer is required
export const missingCustomer: OnboardCustomerRequest = { product_group_id: "default" };

export const wrongEnumValue: CustomerInput = {
  ccid,
  // @ts-expect-error consent_type must be written, express or stop
  notification_channels: [{ channel_addr: "6105551212", consent_type: "verbal" }],
};

export const missingChannelAddress: CustomerInput = {
  ccid,
  // @ts-expect-error channel_addr is required on an input channel
  notification_channels: [{ consent_type: "written" }],
};

export async function missingPathParameter() {
  await client.GET("/cdm/client/{client_id}/customer/{ccid}", {
    // @ts-expect-error ccid is a required path parameter
    params: { path: { client_id: clientId } },
  });
}

export async function unknownPath() {
  // @ts-expect-error no such path in the spec
  await client.GET("/cdm/client/{client_id}/customers", { params: { path: { client_id: clientId } } });
}

export async function wrongMethod() {
  // @ts-expect-error onboarding is POST only
  await client.GET("/cdm/client/{client_id}/onboard", { params: { path: { client_id: clientId } } });
}

export async function wrongAddPhoneEnum() {
  await client.PUT("/cdm/client/{client_id}/customer/{ccid}/add_phone/{phone_number}", {
    params: { path: { client_id: clientId, ccid, phone_number: "6105551212" } },
    // @ts-expect-error phone_type must be mobile, landline or unknown
    body: { phone_type: "cell" },
  });
}

// @ts-expect-error environment must be production or staging
createRelayCdmClient({ apiKey: "key", environment: "dev" });
// @ts-expect-error environment and baseUrl exclude each other
createRelayCdmClient({ apiKey: "key", environment: "staging", baseUrl: "http://127.0.0.1:4010" });

// `data` follows `parseAs`, as in openapi-fetch; results stay narrowed by status.
export async function parsedAs() {
  const init = { params: { path: { client_id: clientId, ccid } } } as const;
  const path = "/cdm/client/{client_id}/customer/{ccid}";
  const text = await client.GET(path, { ...init, parseAs: "text" });
  if (text.status === 200) expectTypeOf(text.data).toEqualTypeOf<string>();
  if (text.status === 404) expectTypeOf(text.error).toEqualTypeOf<unknown>();
  expectTypeOf((await client.GET(path, { ...init, parseAs: "blob" })).data).toEqualTypeOf<Blob | undefined>();
  expectTypeOf((await client.GET(path, { ...init, parseAs: "arrayBuffer" })).data).toEqualTypeOf<
    ArrayBuffer | undefined
  >();
  expectTypeOf((await client.GET(path, { ...init, parseAs: "stream" })).data).toEqualTypeOf<
    ReadableStream<Uint8Array> | null | undefined
  >();
  const json = await client.GET(path, { ...init, parseAs: "json" });
  if (json.status === 200) expectTypeOf(json.data).branded.toEqualTypeOf<Customer>();
  const asked = await client.request("get", path, { ...init, parseAs: "text" });
  if (asked.status === 200) expectTypeOf(asked.data).toEqualTypeOf<string>();
  // With throwOnError only the 2xx remain, read as asked; unwrap gives the same.
  const throwing = createRelayCdmClient({ apiKey: "key", environment: "staging", throwOnError: true });
  expectTypeOf((await throwing.GET(path, { ...init, parseAs: "text" })).data).toEqualTypeOf<string>();
  expectTypeOf(await unwrap(client.GET(path, { ...init, parseAs: "blob" }))).toEqualTypeOf<Blob>();
  // @ts-expect-error parseAs is one of json, text, blob, arrayBuffer, stream
  await client.GET(path, { ...init, parseAs: "xml" });
}
