// Compile-time proof that results narrow by status for EVERY operation: after
// `if (result.status === S)`, `result.error` has the spec's body type for S (TypeScript narrows a
// discriminated union to exactly `Extract<Union, { status: S }>`, which is what is checked here).
import type { Equal } from "@cx-openapi/devkit/type-tests";
import { expectTypeOf } from "vitest";
import type { StatusResult, SuccessResult } from "@cx-openapi/runtime";
import { createHiiRelevateClient, type CustomerDto, type ErrorResponse } from "../../src/index.js";
import type { operations, paths } from "../../src/generated/schema.js";

type Success = 200 | 201 | 202 | 204;
type Statuses<Op> = Op extends { responses: infer R } ? keyof R & number : never;

/** For each operation and each error status it declares: is the narrowed error exactly ErrorResponse? */
type ErrorsNarrow = {
  [Id in keyof operations]: {
    [S in Exclude<Statuses<operations[Id]>, Success>]: Equal<
      Extract<StatusResult<operations[Id]>, { status: S }>["error"],
      ErrorResponse
    >;
  };
};
expectTypeOf<
  { [Id in keyof operations]: ErrorsNarrow[Id][keyof ErrorsNarrow[Id]] }[keyof operations]
>().toEqualTypeOf<true>();

/** And each success status: `data` is CustomerDto for get and create, a list for find, undefined elsewhere (no body documented). */
type SuccessNarrows = {
  [Id in keyof operations]: {
    [S in Extract<Statuses<operations[Id]>, Success>]: Equal<
      Extract<StatusResult<operations[Id]>, { status: S }>["data"],
      Id extends "getCustomer" | "createCustomer" ? CustomerDto : Id extends "findCustomer" ? CustomerDto[] : undefined
    >;
  };
};
expectTypeOf<
  { [Id in keyof operations]: SuccessNarrows[Id][keyof SuccessNarrows[Id]] }[keyof operations]
>().toEqualTypeOf<true>();

// The same, through real control flow on two operations.
const hii = createHiiRelevateClient({ baseUrl: "http://127.0.0.1:4011", token: "token" });
export async function controlFlow() {
  const result = await hii.GET("/customers/{customerId}", { params: { path: { customerId: "id" } } });
  if (result.status === 404) {
    expectTypeOf(result.error).toEqualTypeOf<ErrorResponse>();
    expectTypeOf(result.data).toEqualTypeOf<undefined>();
  } else if (result.status === 200) {
    expectTypeOf(result.data).toEqualTypeOf<CustomerDto>();
    expectTypeOf(result.error).toEqualTypeOf<undefined>();
  }
  const created = await hii.POST("/segments", { body: { name: "loyalty", daysValid: 30, allowMultiple: false } });
  if (created.status === 400) expectTypeOf(created.error.message).toEqualTypeOf<string | string[]>();
  // @ts-expect-error createSegment declares no 404
  if (created.status === 404) return;
}

// With throwOnError, only the success members remain.
const throwing = createHiiRelevateClient({ baseUrl: "http://127.0.0.1:4011", token: "token", throwOnError: true });
export async function throwingClient() {
  const result = await throwing.GET("/customers/{customerId}", { params: { path: { customerId: "id" } } });
  expectTypeOf(result).toEqualTypeOf<SuccessResult<paths["/customers/{customerId}"]["get"]>>();
  expectTypeOf(result.data).toEqualTypeOf<CustomerDto>();
}
