// What a deviating vendor is made of (deviating-vendor.ts): its routes, the deviations it makes on
// purpose, how it tells a credential and words an error, and the personal values it answers with.

/** The ways a vendor's answers break the spec on purpose. */
export type DeviationKind =
  /** An enum value the spec does not list. */
  | "new-enum-value"
  /** `null` where the spec says string. */
  | "null-for-string"
  /** A number where the spec says string. */
  | "number-for-string"
  /** A value past a bound that is too tight (a string over its maxLength). */
  | "past-bound"
  /** A status the operation does not declare, with a JSON body. */
  | "undeclared-status"
  /** A field the schema requires, left out. */
  | "required-missing"
  /** A JSON body where the spec declares none. */
  | "undeclared-body"
  /** A 503 with `Retry-After` on every Nth call of one operation (a fault, as the fault profile records it). */
  | "unavailable";

/** One deviation, as the drift checker (`checkExchange` of @cx-openapi/spec/drift) reports it. */
export interface VendorDeviation {
  operationId: string;
  /** Upper case, as in a drift event. */
  method: string;
  /** The operation's path template. */
  path: string;
  status: number;
  /** The JSON Schema keyword that fails, or `undeclared-status`, `unexpected-body`. */
  rule: string;
  /** A JSON pointer with array indices written `*` and undeclared keys `{key}`; "" for the whole body. */
  pointer: string;
  kind: DeviationKind;
  /** The field is tagged `x-pii`: the checker flags it for review and never quotes its value. */
  piiField: boolean;
  /** Only every Nth call of the operation deviates this way; absent: every call. */
  every?: number;
}

/** A deviation every call of its operation makes. */
export function deviation(
  operationId: string,
  method: string,
  path: string,
  status: number,
  rule: string,
  pointer: string,
  kind: DeviationKind,
  piiField = false,
): VendorDeviation {
  return { operationId, method, path, status, rule, pointer, kind, piiField };
}

/** A request as a route sees it: the path parameters (decoded), the query and the body. */
export interface VendorRequest {
  params: Readonly<Record<string, string>>;
  query: URLSearchParams;
  /** The body as text ("" when there is none). */
  text: string;
  /** The JSON body, parsed; undefined when there is none or it is not JSON. */
  body: unknown;
}

/** An answer: a status, a JSON body (none when undefined) and extra headers. */
export interface VendorAnswer {
  status: number;
  body?: unknown;
  headers?: Readonly<Record<string, string>>;
}

/** One operation of the spec, or (without operationId) a route beside them such as a token endpoint. */
export interface VendorRoute {
  operationId?: string;
  method: string;
  /** A path template: `{name}` matches one path segment. */
  path: string;
  /** Answered without a credential (the spec's `security: []`, a token endpoint). */
  open?: boolean;
  answer(request: VendorRequest): VendorAnswer;
}

/** What makes one API's deviating vendor. */
export interface VendorDefinition {
  routes: readonly VendorRoute[];
  /** The deviations every call of their operation makes (the 503 fault is added from `unavailable`). */
  deviations: readonly VendorDeviation[];
  /** The operation that answers 503 with `Retry-After` on every `every`th call. */
  unavailable: { operationId: string; every: number; retryAfterSeconds: number };
  /** Whether the headers carry a credential of the API's kind: any value is accepted. */
  authorized(headers: Readonly<Record<string, string | string[] | undefined>>): boolean;
  /** The API's error body for a status (conforming wherever the status is declared). */
  error(status: number, message: string): unknown;
}

/**
 * The personal values the vendors answer with where an operation does not echo the request's own.
 * They only ever stand in fields the spec tags `x-pii`, so a recorder that replaces those leaves none.
 */
export const vendorPerson = Object.freeze({
  firstName: "Marisol",
  middleName: "Quenby",
  lastName: "Vanterpool",
  displayName: "Marisol Q. Vanterpool",
  dateOfBirth: "1958-03-14",
  ssn: "078-05-1120",
  ssnDigits: "078051120",
  phone: "6105550142",
  email: "marisol.vanterpool@example.org",
  accountId: "ACCT-55-2290",
  streetAddress: "88 Larchmont Terrace",
  city: "Wayne",
  postalCode: "19087-4410",
});

/** Every personal value the vendors answer with of their own, for tests that check none leaks. */
export const personalValues: readonly string[] = Object.freeze(Object.values(vendorPerson));

/** The object under `key` of a value, or an empty one. */
export function objectAt(value: unknown, key: string): Record<string, unknown> {
  const found = isObject(value) ? value[key] : undefined;
  return isObject(found) ? found : {};
}

/** The objects of the array under `key` of a value (anything else left out). */
export function objectsAt(value: unknown, key: string): Record<string, unknown>[] {
  const found = isObject(value) ? value[key] : undefined;
  return Array.isArray(found) ? found.filter(isObject) : [];
}

export function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

/** The fields of `source` whose JSON type is the one named, others left out: an echo stays in its schema. */
export function pick(
  source: Record<string, unknown>,
  fields: Readonly<Record<string, "string" | "number" | "boolean">>,
): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [name, type] of Object.entries(fields)) if (typeof source[name] === type) out[name] = source[name];
  return out;
}
