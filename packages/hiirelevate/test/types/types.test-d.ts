// Compile-time tests, checked by `tsc` in `pnpm test`: each @ts-expect-error must meet an error,
// so a spec or client change that loosens a type makes the type check fail.
import { expectTypeOf } from "vitest";
import {
  clientCredentials,
  createHiiRelevateClient,
  type CreateCustomerDto,
  type CustomerDto,
  type DeviceDto,
  type UpdateCustomerSegmentDto,
} from "../../src/index.js";

const client = createHiiRelevateClient({
  baseUrl: "http://127.0.0.1:4011",
  token: clientCredentials({
    tokenUrl: "https://auth.retailsvc.dev/oauth2/token",
    clientId: "id",
    clientSecret: "secret",
  }),
});
const customerId = "3fa85f64-5717-4562-b3fc-2c963f66afa6";

export async function wellTyped() {
  const fetched = await client.GET("/customers/{customerId}", { params: { path: { customerId } } });
  expectTypeOf(fetched.data).branded.toEqualTypeOf<CustomerDto | undefined>();

  const created = await client.POST("/customers", {
    body: { displayName: "Example Customer", email: [{ value: "example@gmail.com" }] },
  });
  // The created customer, with its id (an inferred body, DECISIONS.md D9).
  expectTypeOf(created.data).branded.toEqualTypeOf<CustomerDto | undefined>();

  await client.GET("/health");
}

// @ts-expect-error displayName is required
export const missingDisplayName: CreateCustomerDto = { email: [{ value: "example@gmail.com" }] };

export const wrongGender: CreateCustomerDto = {
  displayName: "Example Customer",
  email: [{ value: "example@gmail.com" }],
  // @ts-expect-error gender must be male, female or other
  gender: "unknown",
};

// @ts-expect-error token is required on a device
export const missingDeviceToken: DeviceDto = { deviceOs: "android", deviceUid: "uid-1" };

export const missingSegmentValue: UpdateCustomerSegmentDto = {
  // @ts-expect-error segmentValue is required in both halves
  oldSegment: { segment: "loyalty" },
  newSegment: { segment: "loyalty", segmentValue: "gold" },
};

export async function missingPathParameter() {
  // @ts-expect-error customerId is a required path parameter
  await client.DELETE("/customers/{customerId}", { params: { path: {} } });
}

export async function unknownPath() {
  // @ts-expect-error no such path in the spec
  await client.GET("/customers", {});
}

export async function consentsAreStrings() {
  await client.POST("/customers/{customerId}/consents", {
    params: { path: { customerId } },
    // @ts-expect-error the body is an array of strings
    body: [1, 2],
  });
}

// @ts-expect-error token must be a string or a provider
createHiiRelevateClient({ baseUrl: "http://127.0.0.1:4011", token: 42 });
