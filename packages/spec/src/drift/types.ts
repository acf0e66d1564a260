// The shapes drift checking works on: an API's responses as a table of precompiled validators
// (what `pnpm gen` writes for each API, or compileDriftApi makes at run time), and the events a
// check reports. No Node built-ins and no imports outside this folder: the clients' drift entries
// carry a copy of it.

/** One error of a validator, as Ajv reports it (its message left out). */
export interface ValidatorError {
  instancePath: string;
  keyword: string;
  params: Record<string, unknown>;
}

/** A validator function as Ajv's standalone code makes it: true when valid, else `errors` set. */
export interface CompiledValidator {
  (data: unknown): boolean;
  errors?: readonly ValidatorError[] | null;
}

/** A declared response of an operation: its media types, and the validator of its JSON body, if any. */
export interface DriftResponse {
  contentTypes: readonly string[];
  /** Index into `DriftApi.validators`; absent when the response declares no JSON schema. */
  schema?: number;
}

export interface DriftOperation {
  operationId: string;
  /** Upper case: `GET`, `POST`... */
  method: string;
  /** The path template, e.g. `/cdm/client/{client_id}/customer/{ccid}`. */
  path: string;
  /** Keyed by status as the spec writes it: `200`, `4XX`, `default`. */
  responses: Readonly<Record<string, DriftResponse>>;
}

/** What drift checking knows of one API. */
export interface DriftApi {
  /** The API's name in the registry, e.g. `relay-cdm`. */
  name: string;
  /** The spec's `info.version`. */
  specVersion: string;
  operations: readonly DriftOperation[];
  /** Per response schema: a first-error validator (linear), and an all-errors one for a bounded copy. */
  validators: readonly (readonly [first: CompiledValidator, all: CompiledValidator])[];
  /** Every property and parameter name the spec declares: only these show in a pointer. */
  names: readonly string[];
  /** The property names tagged `x-pii`: no value under them is ever reported. */
  piiProperties: readonly string[];
}

/** A JSON type, `integer` for a whole number, or `missing` for a required field left out. */
export type ObservedType = "null" | "boolean" | "integer" | "number" | "string" | "array" | "object" | "missing";

/**
 * What a deviating value looked like: its JSON type, the shape of a string (`date`, `uuid`,
 * `email`, `text`...), and only for an enum that is not personal, the value itself.
 */
export interface ObservedShape {
  type?: ObservedType;
  format?: string;
  value?: string | number | boolean | null;
  /**
   * For a bound (`maxLength`, `maxItems`, `maximum`...): what the bound would have to allow. A
   * string's length, an array's items or an object's properties; for a number bound, the number,
   * unless the field is `x-pii`. Records add up to the furthest one.
   */
  limit?: number;
}

/** An operation, named as the spec names it. */
export interface OperationName {
  operationId: string;
  method: string;
  path: string;
}

/** One way a response broke the spec. Holds no body value (but a permitted enum value), header or credential. */
export interface DriftEvent {
  api: string;
  specVersion: string;
  operation: OperationName;
  status: number;
  /**
   * The JSON Schema keyword that failed (`type`, `enum`, `required`, `format`, `maxLength`...), or
   * `undeclared-status`, `undeclared-content-type`, `unexpected-body`, `missing-body`, `invalid-json`.
   */
  rule: string;
  /** Where in the body: a JSON pointer whose array indices are `*` and undeclared keys `{key}`. */
  pointer: string;
  observed: ObservedShape;
  /** The value lies in a field tagged `x-pii`: it is never reported. */
  piiField: boolean;
}

/** One exchange as a drift check saw it: checked or not, and what it found. */
export interface ExchangeOutcome {
  api: string;
  specVersion: string;
  operation: OperationName;
  status: number;
  /** Whether the response was validated (false when not sampled, or skipped). */
  checked: boolean;
  /** Why it was not validated although sampled: a body over the limit, a stream, a read that failed. */
  skipped?: string;
  events: DriftEvent[];
  /** Deviations of the request (the deviation proxy's, from Prism): pointers start at `/body`, `/query`... */
  request?: DriftEvent[];
}
