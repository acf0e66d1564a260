// Checks that a parsed data file is a sandbox state, at every level the sandbox reads, before any
// handler touches it: a bad value is named by its JSON path and the rule it breaks
// (`relayCdm.clients.c1: must be an object, got null`). Keys the checks do not list are left alone.
// Free of Node built-ins, like the store.
import type { SandboxState } from "./state.js";

export class StateShapeError extends Error {
  override name = "StateShapeError";
  constructor(
    readonly path: string,
    readonly rule: string,
  ) {
    super(`${path}: ${rule}`);
  }
}

/** Checks one value found at `at`; throws a StateShapeError when it breaks the rule. */
type Check = (value: unknown, at: string) => void;

const isRecord = (value: unknown): value is Record<string, unknown> =>
  typeof value === "object" && value !== null && !Array.isArray(value);

function kind(value: unknown): string {
  if (value === null) return "null";
  if (Array.isArray(value)) return "a list";
  if (typeof value === "object") return "an object";
  return `a ${typeof value}`;
}

function broken(at: string, expected: string, value: unknown): never {
  throw new StateShapeError(
    at || "(root)",
    value === undefined ? `is missing (must be ${expected})` : `must be ${expected}, got ${kind(value)}`,
  );
}

/** `a.b`, or `a["b c"]` for a key that would not read as one segment. */
function join(at: string, key: string): string {
  if (!/^[\w$-]+$/.test(key)) return `${at}[${JSON.stringify(key)}]`;
  return at ? `${at}.${key}` : key;
}

const typed =
  (type: "string" | "number" | "boolean"): Check =>
  (value, at) => {
    if (typeof value !== type || (type === "number" && !Number.isFinite(value))) broken(at, `a ${type}`, value);
  };
const string = typed("string");
const number = typed("number");
const boolean = typed("boolean");

function list(item: Check, { nonEmpty = false } = {}): Check {
  return (value, at) => {
    if (!Array.isArray(value)) broken(at, nonEmpty ? "a non-empty list" : "a list", value);
    if (nonEmpty && value.length === 0) throw new StateShapeError(at, "must be a non-empty list, got an empty list");
    value.forEach((entry, i) => item(entry, `${at}[${i}]`));
  };
}

/** An object of these fields (others are left alone). */
function object(fields: Record<string, Check> = {}): Check {
  return (value, at) => {
    if (!isRecord(value)) broken(at, "an object", value);
    for (const [name, check] of Object.entries(fields)) check(value[name], join(at, name));
  };
}

/**
 * An object keyed by ids, each value checked. `hideKeys` names entries by position instead of by
 * key, for keys that are credentials (issued tokens).
 */
function record(entry: Check, hideKeys?: string): Check {
  return (value, at) => {
    if (!isRecord(value)) broken(at, "an object", value);
    Object.entries(value).forEach(([key, item], i) =>
      entry(item, hideKeys ? `${at}.<${hideKeys} ${i + 1}>` : join(at, key)),
    );
  };
}

const optional =
  (check: Check): Check =>
  (value, at) => {
    if (value !== undefined) check(value, at);
  };

const version: Check = (value, at) => {
  if (value !== 1)
    throw new StateShapeError(
      at,
      `must be 1 (the version this sandbox writes), got ${JSON.stringify(value) ?? "nothing"}`,
    );
};

const relayPerson = object({
  customer: object({ ccid: string, notification_channels: list(object({ channel_addr: string })) }),
  productGroupId: string,
  active: boolean,
});

const relayClient = object({
  productGroups: list(string),
  closed: boolean,
  apiKeys: list(string),
  customers: record(relayPerson),
});

const hiiCustomer = object({
  customer: object({
    id: string,
    consents: optional(list(object())),
    email: optional(list(object({ value: optional(string) }))),
    phoneNumber: optional(list(object({ value: optional(string) }))),
    socialSecurityNumber: optional(string),
    channelChoices: optional(list(object({ channelId: string }))),
  }),
  consentIds: list(string),
  segments: list(object({ segment: string, segmentValue: string, expires: string })),
  devices: list(object({ deviceUid: string })),
});

const hiiTenant = object({
  customers: record(hiiCustomer),
  consents: record(object({ name: string, versions: list(object({ version: number }), { nonEmpty: true }) })),
  segments: record(
    object({
      definition: object({ name: string, daysValid: number, allowMultiple: optional(boolean) }),
      values: list(object({ name: string, index: number })),
    }),
  ),
  pubsub: list(object({ receivedAt: string, subscription: string, message: object() })),
});

/** An issued token, or a bare tenant name (the form without an expiry, read as expired). */
const issuedToken: Check = (value, at) => {
  if (typeof value !== "string") object({ tenant: string, expiresAt: number })(value, at);
};

const sandboxState = object({
  version,
  relayCdm: object({ clients: record(relayClient) }),
  hiirelevate: object({
    tenants: record(hiiTenant),
    clients: list(object({ clientId: string, clientSecret: string, tenant: string })),
    tokens: record(issuedToken, "token"),
    tenantTemplate: optional(hiiTenant),
  }),
});

/** The state's own top-level keys; any other is kept as it is (see `KeptState`). */
const stateKeys = new Set(["version", "relayCdm", "hiirelevate"]);

/**
 * Splits a parsed data file into the sandbox state, checked, and the top-level keys the sandbox does
 * not know. Throws a StateShapeError naming the first bad value.
 */
export function checkState(parsed: unknown): { state: SandboxState; extra: Record<string, unknown> } {
  sandboxState(parsed, "");
  const extra = Object.create(null) as Record<string, unknown>;
  for (const [key, value] of Object.entries(parsed as Record<string, unknown>))
    if (!stateKeys.has(key)) extra[key] = value;
  return { state: parsed as SandboxState, extra };
}
