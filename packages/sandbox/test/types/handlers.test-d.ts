// The handlers are typed by the generated `operations`: a reply the spec does not allow is a type
// error, so a spec change that a handler no longer fits fails `pnpm typecheck`.
import type { operations as Hii } from "@cx-openapi/hiirelevate";
import type { operations as Relay } from "@cx-openapi/relay-cdm";
import type { ReplyOf } from "../../src/types.js";
import type { Handler } from "../../src/types.js";
import type { SandboxState } from "../../src/state.js";

export const fits: ReplyOf<Relay["getCustomer"]> = { status: 200, body: { ccid: "X", first_name: "Ada" } };
export const documentedError: ReplyOf<Relay["getCustomer"]> = { status: 404, body: { message: "not found" } };
export const created: ReplyOf<Hii["createCustomer"]> = {
  status: 201,
  body: { id: "00000000-0000-4000-8000-000000000001" },
};

// @ts-expect-error 201 is not a status getCustomer declares.
export const undeclaredStatus: ReplyOf<Relay["getCustomer"]> = { status: 201, body: {} };
// @ts-expect-error first_name is a string in the spec.
export const wrongType: ReplyOf<Relay["getCustomer"]> = { status: 200, body: { first_name: 5 } };
// @ts-expect-error load-customer-record's 200 has no body.
export const undeclaredBody: ReplyOf<Relay["loadCustomerRecord"]> = { status: 200, body: { message: "x" } };
// @ts-expect-error NestJS errors carry statusCode and message.
export const wrongErrorShape: ReplyOf<Hii["getCustomer"]> = { status: 404, body: { detail: "x" } };

// The input side: a handler reads only the path parameters and body the spec defines.
export const reads: Handler<Relay["onboardCustomer"], SandboxState> = ({ path, body }) => ({
  status: 200,
  body: { message: `${path.client_id} ${body.customer.ccid} ${body.product_group_id}` },
});
export const wrongPath: Handler<Relay["getCustomer"], SandboxState> = ({ path }) => ({
  status: 404,
  // @ts-expect-error getCustomer has no ccid_typo path parameter.
  body: path.ccid_typo,
});
