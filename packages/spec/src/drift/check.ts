// One exchange against an API's drift table: is the status declared, the media type, the body there
// when one is declared (and not when none is), and does the JSON body follow the response's schema.
// Synchronous and bounded: the caller reads the body (at most its limit) and hands it in as text.
import { boundedErrors } from "./bounded.js";
import { eventScope, rootEvent, schemaEvents, type EventScope } from "./events.js";
import { observedType } from "./shape.js";
import type { DriftApi, DriftEvent, DriftOperation, DriftResponse, ExchangeOutcome, ObservedShape } from "./types.js";

export interface ExchangeToCheck {
  method: string;
  /** The path template of the operation (openapi-fetch's `schemaPath`). */
  path: string;
  status: number;
  /** The response's Content-Type header (only its media type is read; it never shows in an event). */
  contentType: string | null | undefined;
  /** The body as text; undefined or empty when there is none. */
  body: string | undefined;
  /** Credentials the request carried, which no event may quote. */
  secrets?: readonly string[];
}

/** Events of one exchange at most: enough to see what changed, bounded whatever the body. */
export const maxEventsPerExchange = 20;

const operationIndexes = new WeakMap<DriftApi, Map<string, DriftOperation>>();

/** The operation of a method and path template, or undefined when the spec has none. */
export function findOperation(api: DriftApi, method: string, path: string): DriftOperation | undefined {
  let index = operationIndexes.get(api);
  if (!index) {
    index = new Map(api.operations.map((op) => [`${op.method} ${op.path}`, op]));
    operationIndexes.set(api, index);
  }
  return index.get(`${method.toUpperCase()} ${path}`);
}

/** The exchange's outcome (checked), or undefined when the spec has no such operation. */
export function checkExchange(api: DriftApi, exchange: ExchangeToCheck): ExchangeOutcome | undefined {
  const operation = findOperation(api, exchange.method, exchange.path);
  if (!operation) return undefined;
  const base = baseOf(api, operation, exchange.status);
  const scope = eventScope(api, base, exchange.secrets ?? []);
  return { ...base, checked: true, events: responseEvents(api, operation, exchange, scope) };
}

/** What every event and outcome of an exchange shares. */
export function baseOf(api: DriftApi, operation: DriftOperation, status: number): EventScope["base"] {
  const { operationId, method, path } = operation;
  return { api: api.name, specVersion: api.specVersion, operation: { operationId, method, path }, status };
}

/** The declared response of a status: exact, then its class (`4XX`), then `default`. */
export function declaredResponse(operation: DriftOperation, status: number): DriftResponse | undefined {
  const { responses } = operation;
  const key = [String(status), `${String(status)[0]}XX`, "default"].find((k) => Object.hasOwn(responses, k));
  return key === undefined ? undefined : responses[key];
}

function responseEvents(
  api: DriftApi,
  operation: DriftOperation,
  exchange: ExchangeToCheck,
  scope: EventScope,
): DriftEvent[] {
  const declared = declaredResponse(operation, exchange.status);
  if (!declared) return [rootEvent(scope, "undeclared-status", bodyShape(exchange))];
  const body = exchange.body ?? "";
  // A HEAD response declares the GET's body but never carries one.
  if (exchange.method.toUpperCase() === "HEAD") return [];
  if (declared.contentTypes.length === 0)
    return body === "" ? [] : [rootEvent(scope, "unexpected-body", bodyShape(exchange))];
  if (body === "") return declared.schema === undefined ? [] : [rootEvent(scope, "missing-body")];
  const media = mediaTypeOf(exchange.contentType);
  const matched = declared.contentTypes.find((type) => covers(type, media));
  if (matched === undefined) return [rootEvent(scope, "undeclared-content-type")];
  if (declared.schema === undefined || !isJson(media)) return [];
  let value: unknown;
  try {
    value = JSON.parse(body);
  } catch {
    return [rootEvent(scope, "invalid-json", { type: "string" })];
  }
  const [first, all] = api.validators[declared.schema]!;
  const errors = boundedErrors(first, all, value, maxEventsPerExchange * 2);
  return schemaEvents(scope, errors, value, maxEventsPerExchange);
}

/** The JSON type of a body the spec has no place for (a proposal declares what was seen); `{}` for none. */
function bodyShape(exchange: ExchangeToCheck): ObservedShape {
  if (!exchange.body) return {};
  if (!isJson(mediaTypeOf(exchange.contentType))) return { type: "string" };
  try {
    return { type: observedType(JSON.parse(exchange.body)) };
  } catch {
    return { type: "string" };
  }
}

function mediaTypeOf(contentType: string | null | undefined): string {
  return (contentType ?? "").split(";")[0]!.trim().toLowerCase();
}

/** Whether a declared media type (`application/json`, `text/*`, `*\/*`) covers the response's. */
function covers(declared: string, media: string): boolean {
  const type = declared.toLowerCase();
  return type === media || type === "*/*" || (type.endsWith("/*") && media.startsWith(type.slice(0, -1)));
}

function isJson(media: string): boolean {
  return media === "application/json" || media.endsWith("+json");
}
