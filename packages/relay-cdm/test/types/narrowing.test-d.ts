// Compile-time proof that results narrow by status for EVERY operation: after
// `if (result.status === S)`, `data`/`error` have the spec's body types for S (TypeScript narrows a
// discriminated union to exactly `Extract<Union, { status: S }>`, which is what is checked here).
import type { Equal } from "@cx-openapi/devkit/type-tests";
import { expectTypeOf } from "vitest";
import type { StatusResult } from "@cx-openapi/runtime";
import {
  createRelayCdmClient,
  type Customer,
  type MessageResponse,
  type OnboardCustomerResponse,
} from "../../src/index.js";
import type { operations } from "../../src/generated/schema.js";

type Statuses<Op> = Op extends { responses: infer R } ? keyof R & number : never;

/** What each operation's 200 carries, written out from the spec by hand. */
interface SuccessBodies {
  onboardCustomer: OnboardCustomerResponse;
  loadCustomerRecord: undefined; // no body documented (DECISIONS.md D17)
  getCustomer: Customer;
  deactivateCustomer: MessageResponse;
  addCustomerPhone: MessageResponse;
  removeCustomerPhone: MessageResponse;
  moveCustomerProductGroup: MessageResponse;
}
expectTypeOf<keyof SuccessBodies>().toEqualTypeOf<keyof operations>();

type Narrowed = {
  [Id in keyof operations]: {
    [S in Statuses<operations[Id]>]: S extends 200
      ? Equal<Extract<StatusResult<operations[Id]>, { status: S }>["data"], SuccessBodies[Id]>
      : // Relay documents no error bodies: each error status narrows to `unknown` and no data.
        Equal<
          Extract<StatusResult<operations[Id]>, { status: S }>,
          { status: S; data?: never; error: unknown; response: Response }
        >;
  };
};
expectTypeOf<{ [Id in keyof operations]: Narrowed[Id][keyof Narrowed[Id]] }[keyof operations]>().toEqualTypeOf<true>();

const relay = createRelayCdmClient({ apiKey: "key", baseUrl: "http://127.0.0.1:4010" });
export async function controlFlow() {
  const result = await relay.GET("/cdm/client/{client_id}/customer/{ccid}", {
    params: { path: { client_id: "c", ccid: "x" } },
  });
  if (result.status === 200) expectTypeOf(result.data).branded.toEqualTypeOf<Customer>();
  if (result.status === 404) expectTypeOf(result.data).toEqualTypeOf<undefined>();
  // @ts-expect-error getCustomer declares no 204
  if (result.status === 204) return;
}
