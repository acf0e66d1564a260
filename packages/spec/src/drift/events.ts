// A validator's errors as drift events: the rule, a pointer that names only what the spec declares,
// and the observed shape; a value only for an enum that is neither personal nor a credential.
import { limitOf } from "./limits.js";
import { shapeOf } from "./shape.js";
import type { DriftApi, DriftEvent, ObservedShape, ValidatorError } from "./types.js";

/** What every event of one exchange shares, and what decides what an event may show. */
export interface EventScope {
  base: Omit<DriftEvent, "rule" | "pointer" | "observed" | "piiField">;
  names: ReadonlySet<string>;
  pii: ReadonlySet<string>;
  /** Credentials the request carried: an enum value that holds one (or a part of one) is left out. */
  secrets: readonly string[];
}

/** The longest enum value an event carries; a longer one is no enum value anyone wrote on purpose. */
const maxEnumValueLength = 64;

/** The scope of one exchange's events. */
export function eventScope(api: DriftApi, base: EventScope["base"], secrets: readonly string[]): EventScope {
  return { base, names: namesOf(api), pii: piiOf(api), secrets };
}

const nameSets = new WeakMap<DriftApi, { names: ReadonlySet<string>; pii: ReadonlySet<string> }>();
function setsOf(api: DriftApi) {
  let sets = nameSets.get(api);
  if (!sets) {
    sets = { names: new Set(api.names), pii: new Set(api.piiProperties) };
    nameSets.set(api, sets);
  }
  return sets;
}
const namesOf = (api: DriftApi) => setsOf(api).names;
const piiOf = (api: DriftApi) => setsOf(api).pii;

/** An event at the body's root (status, media type, a body that is missing or not JSON). */
export function rootEvent(scope: EventScope, rule: string, observed: ObservedShape = {}): DriftEvent {
  return { ...scope.base, rule, pointer: "", observed, piiField: false };
}

/** The errors as events, each (rule, pointer, observed shape) once, at most `max`. */
export function schemaEvents(
  scope: EventScope,
  errors: readonly ValidatorError[],
  body: unknown,
  max: number,
): DriftEvent[] {
  const events = new Map<string, DriftEvent>();
  for (const error of errors) {
    const event = schemaEvent(scope, error, body);
    const key = `${event.rule}\0${event.pointer}\0${JSON.stringify(event.observed)}`;
    if (!events.has(key)) events.set(key, event);
    if (events.size >= max) break;
  }
  return [...events.values()];
}

/** The property an error is about when Ajv reports it on the object that holds (or lacks) it. */
function namedProperty(error: ValidatorError): string | undefined {
  const { missingProperty, additionalProperty, unevaluatedProperty } = error.params;
  const name = missingProperty ?? additionalProperty ?? unevaluatedProperty;
  return typeof name === "string" ? name : undefined;
}

function schemaEvent(scope: EventScope, error: ValidatorError, body: unknown): DriftEvent {
  const tokens = error.instancePath.split("/").slice(1).map(unescapeToken);
  const property = namedProperty(error);
  if (property !== undefined) tokens.push(property);
  const { pointer, value } = follow(scope.names, body, tokens);
  const piiField = tokens.some((token) => scope.pii.has(token));
  const observed = shapeOf(value);
  if (error.keyword === "enum" && !piiField && reportable(value, scope.secrets)) observed.value = value;
  const limit = limitOf(error.keyword, value, piiField);
  if (limit !== undefined) observed.limit = limit;
  return { ...scope.base, rule: error.keyword, pointer, observed, piiField };
}

/**
 * Walks the body along the tokens: the value found, and the pointer with each array index written
 * `*` and each key the spec does not declare written `{key}` (a map's keys are data: phone numbers,
 * ids). A missing step leaves the value undefined.
 */
function follow(names: ReadonlySet<string>, body: unknown, tokens: string[]): { pointer: string; value: unknown } {
  let node: unknown = body;
  let pointer = "";
  for (const token of tokens) {
    const isArray = Array.isArray(node);
    pointer += `/${isArray ? "*" : names.has(token) ? escapeToken(token) : "{key}"}`;
    node =
      typeof node === "object" && node !== null && Object.hasOwn(node, token)
        ? (node as Record<string, unknown>)[token]
        : undefined;
  }
  return { pointer, value: node };
}

/** An enum value an event may carry: a short scalar that holds no credential of the request. */
function reportable(value: unknown, secrets: readonly string[]): value is string | number | boolean | null {
  if (value === null || typeof value === "boolean" || typeof value === "number") return true;
  if (typeof value !== "string" || value.length > maxEnumValueLength) return false;
  return !secrets.some((secret) => value.includes(secret) || (value.length >= 4 && secret.includes(value)));
}

function unescapeToken(token: string): string {
  return token.replace(/~1/g, "/").replace(/~0/g, "~");
}

function escapeToken(token: string): string {
  return token.replace(/~/g, "~0").replace(/\//g, "~1");
}
