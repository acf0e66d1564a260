// What a recording keeps of an exchange's values (`pnpm proxy --record`): a JSON body walked along
// the operation's schema, each value of an `x-pii` field (and all below it) replaced by its fake
// (pii-fakes.ts), each other text with the personal values already faked replaced where it repeats
// them (an error message naming the ccid) and every credential of the run's requests redacted. Where
// the schema says nothing (an undeclared property, status or body), a property named like one of
// the spec's `x-pii` properties is faked by the schema it has there, and one named like a
// credential is faked too: nothing personal or secret is kept because the vendor strayed.
import {
  collectPii,
  createValidator,
  isObject,
  schemaParts,
  walkSchema,
  type OpenApiDoc,
  type Schema,
} from "@cx-openapi/spec";
import { isPersonal, piiFakes, type PiiFakes } from "./pii-fakes.js";

/**
 * Deeper JSON is not kept (a recording holds no value it has not looked at). A body sits two levels
 * down in a recording, which readers take up to 64 levels deep (drift:seed).
 */
export const maxDepth = 60;

export class TooDeep extends Error {}

/** Names that carry credentials, in a body, a query or a header. */
const credentialName = /key|token|secret|passw|session|signature|auth|cookie|credential|assertion/i;
/** Named like a credential, but not one. */
const notCredential = new Set(["token_type", "expires_in"]);

export function isCredentialName(name: string): boolean {
  return credentialName.test(name) && !notCredential.has(name.toLowerCase());
}

/** The fakes of one exchange: the credentials given are redacted from every text. */
export interface ExchangeFakes {
  /** A JSON value of a body whose schema is `schema` (undefined when the spec has none). */
  body(schema: Schema | undefined, value: unknown): unknown;
  /** A path or query value: faked when personal, else as text. */
  parameter(schema: Schema | undefined, personal: boolean, value: string): string;
  /** Free text: the personal values faked so far replaced, credentials redacted. */
  text(value: string): string;
}

export interface RecordingFakes {
  forExchange(secrets: readonly string[]): ExchangeFakes;
  /** Whether a parameter or its schema carries `x-pii`. */
  isPersonal(schema: Schema | undefined, parameter?: Record<string, unknown>): boolean;
  /** Whether an undeclared name is one of the spec's `x-pii` property names. */
  isPersonalName(name: string): boolean;
}

export const redacted = "[redacted]";

/** The fakes of one recording run: the same original gets the same fake in every exchange. */
export function recordingFakes(
  spec: OpenApiDoc,
  fakes: PiiFakes = piiFakes(spec, createValidator(spec)),
): RecordingFakes {
  const piiNames = new Set(collectPii(spec).properties);
  const byName = personalFields(spec, piiNames);
  return {
    forExchange(secrets) {
      const text = (value: string) => redact(fakes.replaceKnown(value), secrets);
      const walker: Walker = { spec, fakes, byName, piiNames, text };
      return {
        body: (schema, value) => walk(walker, schema, value, false, 0),
        parameter: (schema, personal, value) => (personal ? String(fakes.fake(schema, value)) : text(value)),
        text,
      };
    },
    isPersonal: (schema, parameter) => parameter?.["x-pii"] !== undefined || isPersonal(spec, schema),
    isPersonalName: (name) => piiNames.has(name),
  };
}

function redact(value: string, secrets: readonly string[]): string {
  let out = value;
  for (const secret of secrets) if (secret.length >= 3 && out.includes(secret)) out = out.split(secret).join(redacted);
  return out;
}

/** Each `x-pii` property name, with the schemas the spec gives it where it is personal. */
function personalFields(spec: OpenApiDoc, names: ReadonlySet<string>): Map<string, Schema[]> {
  const found = new Map<string, Schema[]>();
  for (const component of Object.values(spec.components?.schemas ?? {}))
    walkSchema(component, (schema) => {
      if (!isObject(schema.properties)) return;
      for (const [name, child] of Object.entries(schema.properties))
        if (names.has(name) && isPersonal(spec, child as Schema))
          found.set(name, [...(found.get(name) ?? []), child as Schema]);
    });
  return found;
}

interface Walker {
  spec: OpenApiDoc;
  fakes: PiiFakes;
  byName: Map<string, Schema[]>;
  piiNames: ReadonlySet<string>;
  text(value: string): string;
}

function walk(w: Walker, schema: Schema | undefined, value: unknown, inherited: boolean, depth: number): unknown {
  if (depth > maxDepth) throw new TooDeep(`nested deeper than ${maxDepth} levels`);
  const parts = schemaParts(w.spec, schema);
  const marked = parts.some((part) => part["x-pii"] !== undefined);
  const personal = inherited || marked;
  if (value === null || value === "") return value;
  if (Array.isArray(value)) {
    const items = itemsOf(w.spec, schema);
    return value.map((item) => walk(w, items, item, personal, depth + 1));
  }
  if (typeof value === "object") return walkObject(w, schema, value as Record<string, unknown>, personal, depth);
  if (typeof value !== "string" && typeof value !== "number" && typeof value !== "boolean") return null;
  if (!personal) return typeof value === "string" ? w.text(value) : value;
  // Below a personal field, a closed set (an enum, a flag) says nothing of the person unless marked itself.
  if (inherited && !marked && isClosed(parts)) return value;
  return w.fakes.fake(schema, value);
}

function walkObject(
  w: Walker,
  schema: Schema | undefined,
  value: Record<string, unknown>,
  personal: boolean,
  depth: number,
): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [key, child] of Object.entries(value)) {
    const place = propertyOf(w.spec, schema, key);
    const named = place.declared === undefined && (w.piiNames.has(key) || isCredentialName(key));
    const childSchema = place.declared ?? (named ? byKind(w, key, child) : place.other);
    // A key is data where the object is a map (or its schema unknown): a personal map's keys are faked.
    const dataKey = place.declared === undefined && (place.other !== undefined || !place.named);
    const keptKey =
      place.declared !== undefined ? key : personal && dataKey ? String(w.fakes.fake(place.names, key)) : w.text(key);
    out[keptKey] = walk(w, childSchema, child, personal || named || isCredentialName(key), depth + 1);
  }
  return out;
}

interface Place {
  /** The property's schema in `properties`. */
  declared?: Schema;
  /** The schema of a key `properties` does not name (`patternProperties`, `additionalProperties`). */
  other?: Schema;
  /** `propertyNames`. */
  names?: Schema;
  /** Whether the object's schema names its properties (a record, not only a map). */
  named: boolean;
}

/** A property's schema: as declared (`properties`), or as any other key's (patternProperties, additionalProperties). */
function propertyOf(spec: OpenApiDoc, schema: Schema | undefined, key: string): Place {
  const found: Place = { named: false };
  for (const part of branches(spec, schema)) {
    if (isObject(part.properties)) found.named = true;
    const declared = isObject(part.properties) ? (part.properties[key] as Schema | undefined) : undefined;
    if (declared !== undefined && (found.declared === undefined || isPersonal(spec, declared)))
      found.declared = declared;
    for (const [pattern, sub] of Object.entries(isObject(part.patternProperties) ? part.patternProperties : {}))
      if (matches(pattern, key)) found.other ??= sub as Schema;
    if (isObject(part.additionalProperties)) found.other ??= part.additionalProperties;
    if (isObject(part.propertyNames)) found.names ??= part.propertyNames;
  }
  return found;
}

function matches(pattern: string, key: string): boolean {
  try {
    return new RegExp(pattern, "u").test(key);
  } catch {
    return false;
  }
}

function itemsOf(spec: OpenApiDoc, schema: Schema | undefined): Schema | undefined {
  return branches(spec, schema).find((part) => isObject(part.items))?.items as Schema | undefined;
}

/** The schema parts that may apply to a value: its own (with `$ref`s and `allOf`), and each `anyOf`/`oneOf` member's. */
function branches(spec: OpenApiDoc, schema: Schema | undefined, depth = 0): Record<string, unknown>[] {
  const parts = schemaParts(spec, schema);
  if (depth > 8) return parts;
  const members = parts.flatMap((part) =>
    ["anyOf", "oneOf"].flatMap((keyword) => (Array.isArray(part[keyword]) ? (part[keyword] as Schema[]) : [])),
  );
  return [...parts, ...members.flatMap((member) => branches(spec, member, depth + 1))];
}

function isClosed(parts: Record<string, unknown>[]): boolean {
  return parts.some((part) => Array.isArray(part.enum) || "const" in part || part.type === "boolean");
}

/** Of the schemas an undeclared personal property has elsewhere in the spec, one of the value's kind. */
function byKind(w: Walker, key: string, value: unknown): Schema | undefined {
  const candidates = w.byName.get(key) ?? [];
  const kind = Array.isArray(value) ? "array" : value === null ? "null" : typeof value;
  const typesOf = (schema: Schema) =>
    schemaParts(w.spec, schema).flatMap((part) => (part.type === undefined ? [] : [part.type].flat()));
  return (
    candidates.find((schema) =>
      typesOf(schema).some((type) => type === kind || (kind === "number" && type === "integer")),
    ) ?? candidates[0]
  );
}
