// What a recording folder says the vendor holds (`pnpm drift:seed`, drift-seed.ts): the recordings
// applied in the order they were made, per operation: a record seen in an answer (getCustomer,
// findCustomer, createCustomer), kept exactly as the vendor returned it (the seed's `retrieved`
// form); a record sent and accepted (onboard, load, createConsent, createSegment and its values),
// kept as the request held it; a record moved or deleted. The newest view of each record wins. A
// recording that adds nothing (an error answer, an operation with nothing to seed) is kept with
// why, for the summary.
import type { ApiName } from "@cx-openapi/spec";
import type { Read, Recording, Skipped } from "./drift-seed-read.js";

export type Json = Record<string, unknown>;

/** Where a fixture came from: the recording file and the place in it (`response.body[2]`). */
export interface Source {
  file: string;
  at: string;
}

export interface Entry {
  body: Json;
  from: Source;
}
export interface RelayPerson extends Entry {
  client: string;
  productGroup?: string | undefined;
  /** `retrieved`: the body is an answer, replayed as it is; `sent`: a request body, applied by the handlers. */
  form: "retrieved" | "sent";
}
export interface Segment extends Entry {
  values: Map<string, Entry>;
}

/** What the recordings say the vendor holds (the newest view of each record), before any check. */
export class Collected {
  readonly relay = new Map<string, RelayPerson>();
  /** HiiRelevate customers, as answers held them. */
  readonly customers = new Map<string, Entry>();
  readonly consents = new Map<string, Entry>();
  readonly segments = new Map<string, Segment>();
  readonly skipped: Skipped[] = [];
  /** Recordings whose view of a record a newer one replaced; records a later delete removed. */
  replaced = 0;
  removed = 0;
  skip(file: string, reason: string): void {
    this.skipped.push({ file, reason });
  }
  /** Keeps the newest view of a record, counting the one it replaces. */
  put<T>(map: Map<string, T>, key: string, value: T): void {
    if (map.has(key)) this.replaced += 1;
    map.set(key, value);
  }
  /** Forgets a record a recorded delete removed. */
  remove<T>(map: Map<string, T>, key: string): void {
    if (map.delete(key)) this.removed += 1;
  }
}

/** What a recording of an operation adds; a string is why it adds nothing. */
type Step = (recording: Recording, collected: Collected, file: string) => string | undefined;

const isJson = (value: unknown): value is Json => typeof value === "object" && value !== null && !Array.isArray(value);
const relayKey = (client: string, ccid: string) => JSON.stringify([client, ccid]);

/** A Relay customer of a client, by its ccid: as getCustomer answered it, or as a request sent it. */
function relayPerson(
  collected: Collected,
  { client, ccid, customer, form }: { client: string; ccid: unknown; customer: unknown; form: RelayPerson["form"] },
  from: Source,
  group?: unknown,
): string | undefined {
  if (client === "") return "request.pathParameters.client_id must be a non-empty string";
  if (!isJson(customer)) return `${from.at} must be an object`;
  if (typeof ccid !== "string") return `${from.at}.ccid must be a string`;
  const key = relayKey(client, ccid);
  const productGroup = typeof group === "string" ? group : collected.relay.get(key)?.productGroup;
  collected.put(collected.relay, key, { client, body: customer, from, productGroup, form });
  return undefined;
}

const relaySteps: Record<string, Step> = {
  // The answer as it came: one without a ccid is refused by the seed check, never given the path's.
  getCustomer: ({ request, response }, collected, file) => {
    const { client_id: client = "", ccid } = request.pathParameters;
    if (ccid === undefined) return "request.pathParameters.ccid must be a string";
    const customer = { client, ccid, customer: response.body, form: "retrieved" as const };
    return relayPerson(collected, customer, { file, at: "response.body" });
  },
  onboardCustomer: (recording, collected, file) => relaySent(recording, collected, file),
  loadCustomerRecord: (recording, collected, file) => relaySent(recording, collected, file),
  moveCustomerProductGroup: ({ request }, collected) => {
    const { client_id: client = "", ccid = "", product_group_id: group } = request.pathParameters;
    const person = collected.relay.get(relayKey(client, ccid));
    if (!person) return "moves a customer no earlier recording shows";
    person.productGroup = group;
    return undefined;
  },
  deactivateCustomer: ({ request }, collected) => {
    const { client_id: client = "", ccid = "" } = request.pathParameters;
    collected.remove(collected.relay, relayKey(client, ccid));
    return undefined;
  },
};

function relaySent({ request }: Recording, collected: Collected, file: string): string | undefined {
  if (!isJson(request.body)) return "request.body must be an object";
  const { customer } = request.body;
  const ccid = isJson(customer) ? customer.ccid : undefined;
  const sent = { client: request.pathParameters.client_id ?? "", ccid, customer, form: "sent" as const };
  return relayPerson(collected, sent, { file, at: "request.body.customer" }, request.body.product_group_id);
}

/** A HiiRelevate customer exactly as an answer held it (status, creation and dates included), by its id. */
function hiiCustomer(collected: Collected, value: unknown, from: Source): string | undefined {
  if (!isJson(value)) return `${from.at} must be an object`;
  if (typeof value.id !== "string") return `${from.at}.id must be a string`;
  collected.put(collected.customers, value.id, { body: value, from });
  return undefined;
}

/** A named create's request body (a consent, a segment, a segment value), or why it has none. */
function namedBody({ request }: Recording, file: string): Entry | string {
  if (!isJson(request.body) || typeof request.body.name !== "string") return "request.body.name must be a string";
  return { body: request.body, from: { file, at: "request.body" } };
}

const hiiSteps: Record<string, Step> = {
  getCustomer: ({ response }, collected, file) => hiiCustomer(collected, response.body, { file, at: "response.body" }),
  createCustomer: ({ response }, collected, file) =>
    hiiCustomer(collected, response.body, { file, at: "response.body" }),
  findCustomer: ({ response }, collected, file) => {
    if (!Array.isArray(response.body)) return "response.body must be a list";
    const reasons = response.body.map((item, i) => hiiCustomer(collected, item, { file, at: `response.body[${i}]` }));
    for (const reason of reasons) if (reason) collected.skip(file, reason);
    return undefined;
  },
  deleteCustomer: ({ request }, collected) => {
    collected.remove(collected.customers, request.pathParameters.customerId ?? "");
    return undefined;
  },
  createConsent: (recording, collected, file) => {
    const entry = namedBody(recording, file);
    if (typeof entry === "string") return entry;
    collected.put(collected.consents, entry.body.name as string, entry);
    return undefined;
  },
  // A 201 means the name was new: the segment starts without values.
  createSegment: (recording, collected, file) => {
    const entry = namedBody(recording, file);
    if (typeof entry === "string") return entry;
    collected.put(collected.segments, entry.body.name as string, { ...entry, values: new Map() });
    return undefined;
  },
  createSegmentValue: (recording, collected, file) => {
    const segment = collected.segments.get(recording.request.pathParameters.segmentName ?? "");
    if (!segment) return "adds a value to a segment no earlier recording creates";
    const entry = namedBody(recording, file);
    if (typeof entry === "string") return entry;
    collected.put(segment.values, entry.body.name as string, entry);
    return undefined;
  },
};

const steps: Record<ApiName, Record<string, Step>> = { "relay-cdm": relaySteps, hiirelevate: hiiSteps };

/** Every recording applied in the order it was made; each one that adds nothing is skipped with why. */
export function collect(read: readonly Read[], apis: readonly ApiName[]): Collected {
  const collected = new Collected();
  const ordered = [...read].sort(
    (a, b) => a.recording.recordedAt.localeCompare(b.recording.recordedAt) || a.file.localeCompare(b.file),
  );
  for (const { file, recording } of ordered) {
    const { api, operationId, response } = recording;
    // Own keys only: an operationId such as `constructor` is data, not a step.
    const step = Object.hasOwn(steps[api], operationId) ? steps[api][operationId] : undefined;
    let reason: string | undefined;
    if (!apis.includes(api)) reason = `--api leaves ${api} out`;
    else if (response.status < 200 || response.status > 299)
      reason = `status ${response.status}: an error answer describes no state to seed`;
    else if (!step) reason = `${operationId}: nothing to seed from it (seeded: ${Object.keys(steps[api]).join(", ")})`;
    else reason = withOmission(step(recording, collected, file), recording);
    if (reason) collected.skip(file, reason);
  }
  return collected;
}

/** A reason, with why the recording holds no body where it left one out (too large, too deep). */
function withOmission(reason: string | undefined, { request, response }: Recording): string | undefined {
  const omitted = response.bodyOmitted ?? request.bodyOmitted;
  return reason && omitted !== undefined ? `${reason} (the recording left the body out: ${omitted})` : reason;
}
