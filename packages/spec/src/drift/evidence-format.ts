// The drift evidence format, cx-drift/1 (docs/drift-evidence.md): JSON lines, one record each,
// written by the clients' drift reporters and the deviation proxy, read by `pnpm drift:report`.
// A reader checks every field and keeps only those it knows, so a record that carries more (a body,
// a header) passes none of it on; a value is only ever an enum's, never an x-pii field's.
import { furtherLimit, isNumberBound, boundSide } from "./limits.js";
import type { ObservedShape, ObservedType } from "./types.js";

/** The format and version every record carries. A reader refuses any other. */
export const evidenceFormat = "cx-drift/1";

/** What identifies an operation of an API, at one version of its spec. */
interface RecordOperation {
  format: typeof evidenceFormat;
  api: string;
  /** The spec's `info.version`. */
  specVersion: string;
  operationId: string;
  method: string;
  path: string;
}

/** Every exchange of an operation, conforming ones included, so that shares can be computed. */
export interface TotalsRecord extends RecordOperation {
  kind: "totals";
  /** Every exchange seen. */
  exchanges: number;
  /** Those checked against the spec (sampled, and not skipped). */
  checked: number;
  /** Those checked that broke the spec at least once. */
  deviating: number;
  /** Those sampled but not checked: a body over the limit, a stream, a body that could not be read. */
  skipped: number;
  firstSeen: string;
  lastSeen: string;
}

/** One way an operation's exchanges broke the spec, and how often. */
export interface DeviationRecord extends RecordOperation {
  kind: "deviation";
  status: number;
  side: "response" | "request";
  rule: string;
  pointer: string;
  observed: ObservedShape;
  piiField: boolean;
  /** Exchanges that broke the spec this way. */
  count: number;
  firstSeen: string;
  lastSeen: string;
}

export type EvidenceRecord = TotalsRecord | DeviationRecord;

/** A record a reader refuses: `field` names the field, the message the rule. */
export class EvidenceFormatError extends Error {
  override name = "EvidenceFormatError";
  constructor(
    readonly field: string,
    message: string,
  ) {
    super(message);
  }
}

const observedTypes: readonly ObservedType[] = [
  "null",
  "boolean",
  "integer",
  "number",
  "string",
  "array",
  "object",
  "missing",
];
const isoTime = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d{1,9})?Z$/;
const printable = /^[^\s\u0000-\u001f\u007f]*$/;

/** Reads the fields of one object, each against its rule; the first one broken throws, naming it. */
function reader(value: Record<string, unknown>, prefix = "") {
  const fail = (name: string, message: string): never => {
    throw new EvidenceFormatError(`${prefix}${name}`, message);
  };
  const text = (name: string, pattern: RegExp, max: number, rule: string): string => {
    const v = value[name];
    if (typeof v !== "string" || v.length > max || !pattern.test(v)) fail(name, rule);
    return v as string;
  };
  const whole = (name: string, min = 0, max = Number.MAX_SAFE_INTEGER): number => {
    const v = value[name];
    if (!Number.isSafeInteger(v) || (v as number) < min || (v as number) > max)
      fail(
        name,
        max === Number.MAX_SAFE_INTEGER
          ? `must be a whole number, at least ${min}`
          : `must be a whole number from ${min} to ${max}`,
      );
    return v as number;
  };
  const time = (name: string): string => {
    const v = value[name];
    if (typeof v !== "string" || !isoTime.test(v) || Number.isNaN(Date.parse(v)))
      fail(name, "must be an ISO 8601 date and time");
    return v as string;
  };
  const oneOf = <T extends string>(name: string, allowed: readonly T[]): T => {
    if (!allowed.includes(value[name] as T)) fail(name, `must be ${allowed.join(" or ")}`);
    return value[name] as T;
  };
  return { fail, text, whole, time, oneOf };
}

function isRecordObject(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

/**
 * One record, checked field by field: an EvidenceFormatError names the first field that breaks the
 * format. Only the format's own fields are kept.
 */
export function parseEvidenceRecord(value: unknown): EvidenceRecord {
  if (!isRecordObject(value)) throw new EvidenceFormatError("(record)", "must be a JSON object");
  const read = reader(value);
  if (value.format === undefined) read.fail("format", `required, ${evidenceFormat}`);
  if (value.format !== evidenceFormat)
    read.fail("format", `${JSON.stringify(value.format)} is not a version this reader knows (${evidenceFormat})`);
  const kind = read.oneOf("kind", ["totals", "deviation"] as const);
  const operation: RecordOperation = {
    format: evidenceFormat,
    api: read.text("api", /^[A-Za-z0-9._-]+$/, 100, "must be an API name (letters, digits, . _ -)"),
    specVersion: read.text("specVersion", /^[0-9A-Za-z.+-]+$/, 64, "must be a version (letters, digits, . + -)"),
    operationId: read.text("operationId", /^[^\s\u0000-\u001f\u007f]+$/, 200, "must be an operationId (no spaces)"),
    method: read.text("method", /^[A-Z]{3,7}$/, 7, "must be an HTTP method in capitals"),
    path: read.text("path", /^\/[^\s\u0000-\u001f\u007f]*$/, 2000, "must be a path template starting with /"),
  };
  if (kind === "totals") return totalsRecord(value, operation);
  return deviationRecord(value, operation);
}

function totalsRecord(value: Record<string, unknown>, operation: RecordOperation): TotalsRecord {
  const read = reader(value);
  const counts = {
    exchanges: read.whole("exchanges"),
    checked: read.whole("checked"),
    deviating: read.whole("deviating"),
    skipped: read.whole("skipped"),
  };
  return {
    ...operation,
    kind: "totals",
    ...counts,
    firstSeen: read.time("firstSeen"),
    lastSeen: read.time("lastSeen"),
  };
}

function deviationRecord(value: Record<string, unknown>, operation: RecordOperation): DeviationRecord {
  const read = reader(value);
  const status = read.whole("status", 100, 599);
  const side = read.oneOf("side", ["response", "request"] as const);
  const rule = read.text(
    "rule",
    /^[A-Za-z$][A-Za-z0-9$-]*$/,
    64,
    "must be a rule name (a JSON Schema keyword or undeclared-status, ...)",
  );
  const pointer = read.text("pointer", printable, 1000, 'must be "" or a JSON pointer, without spaces');
  if (pointer !== "" && !pointer.startsWith("/")) read.fail("pointer", 'must be "" or a JSON pointer, without spaces');
  if (typeof value.piiField !== "boolean") read.fail("piiField", "must be true or false");
  const piiField = value.piiField as boolean;
  const observed = observedShape(value.observed, rule, piiField);
  const counts = { count: read.whole("count") };
  const seen = { firstSeen: read.time("firstSeen"), lastSeen: read.time("lastSeen") };
  return { ...operation, kind: "deviation", status, side, rule, pointer, observed, piiField, ...counts, ...seen };
}

function observedShape(value: unknown, rule: string, piiField: boolean): ObservedShape {
  if (!isRecordObject(value)) throw new EvidenceFormatError("observed", "must be an object");
  const read = reader(value, "observed.");
  const shape: ObservedShape = {};
  if (value.type !== undefined) shape.type = read.oneOf("type", observedTypes);
  if (value.format !== undefined)
    shape.format = read.text("format", /^[a-z][a-z0-9-]*$/, 32, "must be a shape name such as date or text");
  if (value.limit !== undefined) shape.limit = observedLimit(value.limit, rule, piiField);
  if (value.value === undefined) return shape;
  if (rule !== "enum") read.fail("value", "only an enum's value is ever recorded");
  if (piiField) read.fail("value", "a value of an x-pii field is never recorded");
  const v = value.value;
  const scalar =
    v === null ||
    typeof v === "boolean" ||
    (typeof v === "number" && Number.isFinite(v)) ||
    (typeof v === "string" && v.length <= 64);
  if (!scalar) read.fail("value", "must be null, a boolean, a number or a string of at most 64 characters");
  shape.value = v as NonNullable<ObservedShape["value"]> | null;
  return shape;
}

/** A bound's limit: a whole size, or for a number bound the number (never an x-pii field's). */
function observedLimit(limit: unknown, rule: string, piiField: boolean): number {
  const fail = (message: string): never => {
    throw new EvidenceFormatError("observed.limit", message);
  };
  if (boundSide(rule) === undefined) fail("only a bound's deviation (maxLength, maximum...) records a limit");
  if (isNumberBound(rule)) {
    if (piiField) fail("a number of an x-pii field is never recorded");
    if (typeof limit !== "number" || !Number.isFinite(limit)) fail("must be a finite number");
  } else if (!Number.isSafeInteger(limit) || (limit as number) < 0) fail("must be a whole number, at least 0");
  return limit as number;
}

/** The key records add up under: the same operation (and, for a deviation, the same way of breaking the spec). */
export function recordKey(record: EvidenceRecord): string {
  const { api, specVersion, operationId, method, path } = record;
  const operation = JSON.stringify([api, specVersion, operationId, method, path]);
  if (record.kind === "totals") return `totals ${operation}`;
  const { status, side, rule, pointer, observed, piiField } = record;
  return `deviation ${operation} ${JSON.stringify([status, side, rule, pointer, observed.type, observed.format, observed.value, piiField])}`;
}

/** Records added up by key: counts summed, the earliest firstSeen and the latest lastSeen kept; in a stable order. */
export function mergeEvidence(records: Iterable<EvidenceRecord>): EvidenceRecord[] {
  const merged = new Map<string, EvidenceRecord>();
  for (const record of records) {
    const key = recordKey(record);
    const known = merged.get(key);
    merged.set(key, known ? addRecords(known, record) : structuredCloneRecord(record));
  }
  return [...merged.values()].sort(compareRecords);
}

function addRecords<R extends EvidenceRecord>(into: R, more: R): R {
  if (into.kind === "totals" && more.kind === "totals") {
    into.exchanges += more.exchanges;
    into.checked += more.checked;
    into.deviating += more.deviating;
    into.skipped += more.skipped;
  } else if (into.kind === "deviation" && more.kind === "deviation") {
    into.count += more.count;
    const limit = furtherLimit(into.rule, into.observed.limit, more.observed.limit);
    if (limit !== undefined) into.observed.limit = limit;
  }
  if (more.firstSeen < into.firstSeen) into.firstSeen = more.firstSeen;
  if (more.lastSeen > into.lastSeen) into.lastSeen = more.lastSeen;
  return into;
}

function structuredCloneRecord(record: EvidenceRecord): EvidenceRecord {
  return record.kind === "deviation" ? { ...record, observed: { ...record.observed } } : { ...record };
}

/** By API, version, path and method; an operation's totals first, then its deviations by status, side, rule, pointer. */
export function compareRecords(a: EvidenceRecord, b: EvidenceRecord): number {
  const order = (r: EvidenceRecord) => [r.api, r.specVersion, r.path, r.method, r.kind === "totals" ? "0" : "1"];
  const byOperation = compareLists(order(a), order(b));
  if (byOperation !== 0 || a.kind === "totals" || b.kind === "totals") return byOperation;
  return (
    a.status - b.status ||
    compareLists(
      [a.side, a.rule, a.pointer, JSON.stringify(a.observed)],
      [b.side, b.rule, b.pointer, JSON.stringify(b.observed)],
    )
  );
}

function compareLists(a: string[], b: string[]): number {
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return a[i]! < b[i]! ? -1 : 1;
  return 0;
}
