// `pnpm drift:seed`: a recording folder (cx-recording/1, docs/recordings.md) turned into the fixtures
// `cx-sandbox --seed` takes, so the sandbox starts from the data the vendor was seen holding. A
// record seen in an answer becomes a `retrieved` fixture, checked against the answer's schema and
// replayed exactly as recorded; a record only sent stays in the request's form. Every fixture is
// checked by the sandbox's own seed check (buildSeed, through createSandbox, with the specs given)
// alone, then all together; one that fails is left out and reported with its file, its field and
// the rule it breaks, as is every file that adds nothing. Recordings hold no credential: the seeded
// clients get the key and secret of the options, whose defaults are sandbox values, never a vendor's.
import { join } from "node:path";
import { createSandbox, type Sandbox, type SandboxOptions } from "@cx-openapi/sandbox";
import type { ApiName } from "@cx-openapi/spec";
import { Collected, collect, type Json, type Source } from "./drift-seed-collect.js";
import { readRecordings, type Skipped } from "./drift-seed-read.js";

export interface SeedOptions {
  /** The APIs whose recordings are turned into fixtures. */
  apis: readonly ApiName[];
  /** The `xx-relay-api-key` each seeded Relay client accepts. */
  apiKey: string;
  /** The HiiRelevate client the seed registers; its tenant, of the same name, holds the fixtures. */
  clientId: string;
  clientSecret: string;
  /** A Relay customer's product group when no recording names one. */
  productGroup: string;
}

/** Sandbox values, never a vendor's. */
export const seedDefaults = {
  apiKey: "sandbox-key",
  clientId: "recorded",
  clientSecret: "sandbox-secret",
  productGroup: "default",
} as const;

export interface DriftSeed {
  /** The seed file's content. */
  seed: Json;
  /** Files read as recordings. */
  recordings: number;
  /** The APIs of those recordings. */
  apis: ApiName[];
  /** Whether the folder holds a fault profile (`faults.json`). */
  faultProfile: boolean;
  counts: {
    relayClients: string[];
    relayCustomers: number;
    customers: number;
    consents: number;
    segments: number;
    values: number;
    /** Recordings whose view of a record a newer recording replaced. */
    replaced: number;
    /** Records a recorded delete or deactivate removed. */
    removed: number;
  };
  /** Every file, or part of one, that gave no fixture, with why. */
  skipped: Skipped[];
}

/** A fixture's place in the seed: the recording it came from, what it is checked as, and how to leave it out. */
interface Place {
  from: Source;
  /** What the fixture is checked as (`as a CreateConsentDto`), for the summary. */
  as: string;
  drop(): void;
}

/** A record seen in an answer is checked against the read operation's answer (getCustomer's 200). */
const asRetrieved = "as getCustomer's answer";
const asSent = (schema: string) => `as a ${schema}`;
/** What a Relay customer sent in a request (onboard, load) is checked as. */
const sentRelay = "LoadCustomerRecordRequest";

type RelayClientSeed = { productGroups: string[]; apiKeys: string[]; customers?: Json[]; retrieved?: Json[] };

export function driftSeed(dir: string, options: SeedOptions, specs: SandboxOptions["specs"]): DriftSeed {
  const { read, skipped } = readRecordings(dir);
  const collected = collect(read, options.apis);
  const checker = createSandbox({ specs, empty: true });
  checkAlone(collected, options, checker);
  const seed = checkTogether(collected, options, checker);
  return {
    seed,
    recordings: read.length,
    apis: [...new Set(read.map(({ recording }) => recording.api))].sort(),
    faultProfile: skipped.some(({ file }) => file === "faults.json"),
    counts: countsOf(collected),
    skipped: [...skipped, ...collected.skipped],
  };
}

/** The seed of what is collected, and the place of each fixture in it (`relayCdm.clients.c1.customers[0]`). */
function seedOf(collected: Collected, options: SeedOptions): { seed: Json; places: Map<string, Place> } {
  const places = new Map<string, Place>();
  const seed: Json = {};
  const clients: Record<string, RelayClientSeed> = Object.create(null);
  for (const [key, person] of collected.relay) {
    const group = person.productGroup ?? options.productGroup;
    clients[person.client] ??= { productGroups: [], apiKeys: [options.apiKey] };
    const client = clients[person.client]!;
    if (!client.productGroups.includes(group)) client.productGroups.push(group);
    const drop = () => collected.relay.delete(key);
    const at = `relayCdm.clients.${person.client}`;
    if (person.form === "sent") {
      client.customers ??= [];
      places.set(`${at}.customers[${client.customers.length}]`, { from: person.from, as: asSent(sentRelay), drop });
      client.customers.push({ product_group_id: group, customer: person.body });
    } else {
      client.retrieved ??= [];
      places.set(`${at}.retrieved[${client.retrieved.length}]`, { from: person.from, as: asRetrieved, drop });
      client.retrieved.push({ productGroupId: group, customer: person.body });
    }
  }
  if (collected.relay.size) seed.relayCdm = { clients };
  const tenant = hiiTenant(collected, `hiirelevate.tenants.${options.clientId}`, places);
  if (tenant) {
    const { clientId, clientSecret } = options;
    seed.hiirelevate = { clients: [{ clientId, clientSecret, tenant: clientId }], tenants: { [clientId]: tenant } };
  }
  return { seed, places };
}

/** The HiiRelevate tenant's fixtures (undefined when there are none), their places under `at`. */
function hiiTenant(collected: Collected, at: string, places: Map<string, Place>): Json | undefined {
  const { consents, segments, customers } = collected;
  if (!consents.size && !segments.size && !customers.size) return undefined;
  const consentList = [...consents].map(([name, entry], i) => {
    places.set(`${at}.consents[${i}]`, {
      from: entry.from,
      as: asSent("CreateConsentDto"),
      drop: () => consents.delete(name),
    });
    return entry.body;
  });
  const segmentList = [...segments].map(([name, segment], i) => {
    places.set(`${at}.segments[${i}]`, {
      from: segment.from,
      as: asSent("CreateSegmentDto"),
      drop: () => segments.delete(name),
    });
    const values = [...segment.values].map(([value, entry], j) => {
      const drop = () => segment.values.delete(value);
      places.set(`${at}.segments[${i}].values[${j}]`, { from: entry.from, as: asSent("CreateSegmentValueDto"), drop });
      return entry.body;
    });
    return { ...segment.body, values };
  });
  const retrieved = [...customers].map(([id, entry], i) => {
    places.set(`${at}.retrieved[${i}]`, { from: entry.from, as: asRetrieved, drop: () => customers.delete(id) });
    return entry.body;
  });
  return { consents: consentList, segments: segmentList, retrieved };
}

/** The seed check's refusal, if any: the message of the SandboxDataError it throws. */
function refusal(checker: Sandbox, seed: Json): string | undefined {
  try {
    checker.reseed(seed);
    return undefined;
  } catch (error) {
    if (error instanceof Error && error.name === "SandboxDataError") return error.message;
    throw error;
  }
}

/** The place a refusal names (the longest one it starts with), and its problem relative to it. */
function placeOf(
  message: string,
  places: Map<string, Place>,
): { where: string; place: Place; problem: string } | undefined {
  const matches = [...places.keys()].filter(
    (where) => message.startsWith(`seed: ${where}: `) || message.startsWith(`seed: ${where}.`),
  );
  const where = matches.sort((a, b) => b.length - a.length)[0];
  if (where === undefined) return undefined;
  const problem = message.slice(`seed: ${where}`.length).replace(/^: |^\./, "");
  return { where, place: places.get(where)!, problem };
}

/** Each fixture checked alone (a segment value with its segment): one that fails is left out. */
function checkAlone(collected: Collected, options: SeedOptions, checker: Sandbox): void {
  for (const single of singles(collected)) {
    const { seed, places } = seedOf(single.collected, options);
    const message = refusal(checker, seed);
    if (message === undefined) continue;
    single.drop();
    const problem = placeOf(message, places)?.problem ?? message;
    collected.skip(single.from.file, `${single.from.at} ${single.as}: ${problem}`);
  }
}

interface Single extends Place {
  /** The fixture alone. */
  collected: Collected;
}

/** Each fixture as a seed of its own; a segment's values only while the segment stays in. */
function* singles(collected: Collected): Generator<Single> {
  for (const [key, person] of collected.relay) {
    const single = new Collected();
    single.relay.set(key, person);
    yield {
      collected: single,
      from: person.from,
      as: person.form === "sent" ? asSent(sentRelay) : asRetrieved,
      drop: () => collected.relay.delete(key),
    };
  }
  const kinds = [
    ["consents", asSent("CreateConsentDto")],
    ["customers", asRetrieved],
  ] as const;
  for (const [kind, as] of kinds)
    for (const [name, entry] of collected[kind]) {
      const single = new Collected();
      single[kind].set(name, entry);
      yield { collected: single, from: entry.from, as, drop: () => collected[kind].delete(name) };
    }
  for (const [name, segment] of collected.segments) {
    const alone = new Collected();
    alone.segments.set(name, { ...segment, values: new Map() });
    yield {
      collected: alone,
      from: segment.from,
      as: asSent("CreateSegmentDto"),
      drop: () => collected.segments.delete(name),
    };
    if (!collected.segments.has(name)) {
      for (const entry of segment.values.values())
        collected.skip(entry.from.file, `${entry.from.at}: its segment ${name} was left out`);
      continue;
    }
    for (const [value, entry] of segment.values) {
      const single = new Collected();
      single.segments.set(name, { ...segment, values: new Map([[value, entry]]) });
      yield {
        collected: single,
        from: entry.from,
        as: asSent("CreateSegmentValueDto"),
        drop: () => segment.values.delete(value),
      };
    }
  }
}

/** The whole seed, checked: a fixture that fails beside the others (a limit, a name twice) is left out. */
function checkTogether(collected: Collected, options: SeedOptions, checker: Sandbox): Json {
  for (;;) {
    const { seed, places } = seedOf(collected, options);
    const message = refusal(checker, seed);
    if (message === undefined) return seed;
    const found = placeOf(message, places);
    if (!found) throw new Error(`the seed check refused a fixture drift:seed cannot place: ${message}`);
    found.place.drop();
    const { from, as } = found.place;
    collected.skip(from.file, `${from.at} ${as}, beside the other fixtures: ${found.problem}`);
  }
}

function countsOf(collected: Collected): DriftSeed["counts"] {
  return {
    relayClients: [...new Set([...collected.relay.values()].map((person) => person.client))].sort(),
    relayCustomers: collected.relay.size,
    customers: collected.customers.size,
    consents: collected.consents.size,
    segments: collected.segments.size,
    values: [...collected.segments.values()].reduce((sum, segment) => sum + segment.values.size, 0),
    replaced: collected.replaced,
    removed: collected.removed,
  };
}

/** Which credential options were given (their values are then not printed), and the `--spec` values. */
export interface GivenOptions {
  apiKey: boolean;
  clientSecret: boolean;
  specs: string[];
}

/** What was written, what was skipped and why, and how the seeded clients authenticate. */
export function formatSeedSummary(
  result: DriftSeed,
  { dir, out, options, given }: { dir: string; out: string; options: SeedOptions; given: GivenOptions },
): string {
  const { counts } = result;
  const lines = [`${result.recordings} recordings read from ${dir}; the seed is ${out}:`];
  if (counts.relayCustomers)
    lines.push(`  relay-cdm: ${plural(counts.relayCustomers, "customer")} of client ${counts.relayClients.join(", ")}`);
  if (counts.customers || counts.consents || counts.segments)
    lines.push(
      `  hiirelevate: ${plural(counts.customers, "customer")}, ${plural(counts.consents, "consent")}, ` +
        `${plural(counts.segments, "segment")} with ${plural(counts.values, "value")}, in tenant ${options.clientId}`,
    );
  if (lines.length === 1) lines.push("  no fixture: the sandbox starts blank from this seed");
  if (counts.replaced || counts.removed)
    lines.push(
      `  (the newest view of each record: ${plural(counts.replaced, "recording")} replaced by a newer one of the same record, ` +
        `${plural(counts.removed, "record")} removed by a recorded delete)`,
    );
  lines.push(...skippedLines(result.skipped));
  if (counts.relayCustomers || counts.customers || counts.consents || counts.segments)
    lines.push(
      "The seeded clients authenticate with sandbox credentials (recordings hold none, and the vendor's are never used):",
    );
  if (counts.relayCustomers)
    lines.push(`  relay-cdm: the header xx-relay-api-key: ${given.apiKey ? "the --api-key given" : options.apiKey}`);
  if (counts.customers || counts.consents || counts.segments)
    lines.push(
      `  hiirelevate: client credentials, client id ${options.clientId} and secret ${given.clientSecret ? "the --client-secret given" : options.clientSecret} (POST /oauth2/token)`,
    );
  lines.push(`Replay: ${replayCommand(result, dir, out, given.specs)}`);
  return lines.join("\n");
}

/** The sandbox command that replays the folder: its seed, its fault profile, the same specs. */
function replayCommand({ apis, faultProfile }: DriftSeed, dir: string, out: string, specs: string[]): string {
  const words = ["pnpm sandbox --seed", out];
  const profile = join(dir, "faults.json");
  if (faultProfile) words.push("--faults", apis.length === 1 ? `${apis[0]}=${profile}` : `<api>=${profile}`);
  for (const spec of specs) words.push("--spec", spec);
  if (!specs.length) words.push("[--spec <api>=<patched.json>]");
  return words.join(" ");
}

/** The skipped files, grouped by reason: every one counted, the first names of each group shown. */
function skippedLines(skipped: Skipped[]): string[] {
  if (!skipped.length) return [];
  const byReason = new Map<string, string[]>();
  for (const { file, reason } of skipped) byReason.set(reason, [...(byReason.get(reason) ?? []), file]);
  const lines = [`Skipped ${plural(skipped.length, "file or part", "files or parts")}, each with why:`];
  for (const [reason, files] of byReason) {
    const shown = files.slice(0, 5).join(", ");
    const more = files.length > 5 ? ` and ${files.length - 5} more` : "";
    lines.push(
      files.length === 1 ? `  ${files[0]}: ${reason}` : `  ${files.length} files (${shown}${more}): ${reason}`,
    );
  }
  return lines;
}

const plural = (n: number, one: string, many = `${one}s`) => `${n} ${n === 1 ? one : many}`;
