// The sandbox's whole state: plain JSON, so it can be persisted, reset and seeded as one value.
import type { ApiName } from "@cx-openapi/spec/openapi";
import type { components as HiiComponents } from "./generated/hiirelevate.js";
import type { components as RelayComponents } from "./generated/relay-cdm.js";

type Relay = RelayComponents["schemas"];
type Hii = HiiComponents["schemas"];

export interface RelayPerson {
  /** What retrieve returns: the stored attributes and phone numbers. */
  customer: Relay["Customer"] & { ccid: string; notification_channels: Relay["NotificationChannel"][] };
  productGroupId: string;
  /** False once deactivated: retrieve then answers 404 and the numbers stop counting against limits. */
  active: boolean;
}

export interface RelayClient {
  /** The client's product groups. */
  productGroups: string[];
  /**
   * Seeded clients are closed: only their listed product groups exist. A client first seen in a
   * request is open: onboarding or loading into a new product group creates it.
   */
  closed: boolean;
  /** When non-empty, only these `xx-relay-api-key` values are accepted for this client. */
  apiKeys: string[];
  customers: Record<string, RelayPerson>;
}

export interface HiiConsent {
  /** Its base id is its name (the create operation returns no id). */
  name: string;
  versions: (Hii["CreateConsentDto"] & { version: number })[];
}

export interface HiiSegment {
  definition: Hii["CreateSegmentDto"];
  values: Hii["CreateSegmentValueDto"][];
}

export interface HiiMembership {
  segment: string;
  segmentValue: string;
  /** The last day of the membership (yyyy-mm-dd). */
  expires: string;
}

export interface HiiCustomer {
  customer: Hii["CustomerDto"] & { id: string };
  /** Base ids of the consents the customer gave, in the order of `customer.consents` ("" for one sent at creation). */
  consentIds: string[];
  segments: HiiMembership[];
  devices: Hii["DeviceDto"][];
}

export interface PubsubDelivery {
  receivedAt: string;
  subscription: string;
  message: Hii["PubsubMessageDto"];
}

export interface HiiTenant {
  customers: Record<string, HiiCustomer>;
  consents: Record<string, HiiConsent>;
  segments: Record<string, HiiSegment>;
  pubsub: PubsubDelivery[];
}

export interface HiiClient {
  clientId: string;
  clientSecret: string;
  /** Defaults to the client id. */
  tenant: string;
}

/** A token the token endpoint issued. */
export interface IssuedToken {
  /** The tenant the token acts for. */
  tenant: string;
  /** When the token stops being accepted, in milliseconds since the epoch. */
  expiresAt: number;
}

export interface SandboxState {
  version: 1;
  relayCdm: { clients: Record<string, RelayClient> };
  hiirelevate: {
    tenants: Record<string, HiiTenant>;
    /** When non-empty, only these clients get tokens, and only tokens the sandbox issued are accepted. */
    clients: HiiClient[];
    /** Tokens the token endpoint issued and not yet pruned (see `pruneTokens`). */
    tokens: Record<string, IssuedToken>;
    /** What every tenant starts from when it is first used (the example data); absent: empty. */
    tenantTemplate?: HiiTenant;
  };
}

/** The part of the state each API owns: what resetting one API's sandbox returns to its seed. */
export type StatePart = "relayCdm" | "hiirelevate";
export const statePartOf = { "relay-cdm": "relayCdm", hiirelevate: "hiirelevate" } as const satisfies Record<
  ApiName,
  StatePart
>;

/**
 * A record keyed by caller-chosen ids (ccids, names): without a prototype, so an id such as
 * `__proto__` or `constructor` is an ordinary key.
 */
export function dict<T>(entries: Record<string, T> = {}): Record<string, T> {
  return Object.assign(Object.create(null) as Record<string, T>, entries);
}

export function emptyState(): SandboxState {
  return { version: 1, relayCdm: { clients: dict() }, hiirelevate: { tenants: dict(), clients: [], tokens: dict() } };
}

/**
 * Gives every id-keyed record of a parsed state a null prototype (see `dict`). Keys it does not know
 * below the top level stay where they are. A token entry that is a bare tenant name (the form
 * without an expiry) counts as expired.
 */
export function reviveState(state: SandboxState): SandboxState {
  const clients = dict(state.relayCdm.clients);
  for (const client of Object.values(clients)) client.customers = dict(client.customers);
  const tenants = dict(state.hiirelevate.tenants);
  for (const tenant of Object.values(tenants)) reviveTenant(tenant);
  const tokens = dict<IssuedToken>();
  for (const [token, entry] of Object.entries(state.hiirelevate.tokens as Record<string, IssuedToken | string>))
    tokens[token] = typeof entry === "string" ? { tenant: entry, expiresAt: 0 } : entry;
  const { tenantTemplate } = state.hiirelevate;
  return {
    version: 1,
    relayCdm: { ...state.relayCdm, clients },
    hiirelevate: {
      ...state.hiirelevate,
      tenants,
      tokens,
      ...(tenantTemplate ? { tenantTemplate: reviveTenant(tenantTemplate) } : {}),
    },
  };
}

function reviveTenant(tenant: HiiTenant): HiiTenant {
  tenant.customers = dict(tenant.customers);
  tenant.consents = dict(tenant.consents);
  tenant.segments = dict(tenant.segments);
  return tenant;
}

/**
 * Makes the tenant on its first use from the template (the example data), when there is one, so
 * every tenant starts from the same data, each on a copy of its own.
 */
export function enterTenant(state: SandboxState, tenant: string): void {
  const { tenants, tenantTemplate } = state.hiirelevate;
  if (tenantTemplate && !tenants[tenant]) tenants[tenant] = reviveTenant(structuredClone(tenantTemplate));
}

/** The sandbox's clock: milliseconds since the epoch, as `Date.now`. */
export type Clock = () => number;

/**
 * The clock each live state runs on. Handlers and authentication receive only the state, so the
 * store that holds a state binds its clock to it here; a state no store holds uses `Date.now`.
 */
const clocks = new WeakMap<SandboxState, Clock>();

export function bindClock(state: SandboxState, now: Clock): SandboxState {
  clocks.set(state, now);
  return state;
}

export function clockOf(state: SandboxState): Clock {
  return clocks.get(state) ?? Date.now;
}

/** Forgets the issued tokens that have expired, so the state does not grow with every token ever issued. */
export function pruneTokens(state: SandboxState, now: number): void {
  const tokens = state.hiirelevate.tokens;
  for (const [token, { expiresAt }] of Object.entries(tokens)) if (expiresAt <= now) delete tokens[token];
}

/** The Relay client, created (open, with no product groups) on first use. */
export function relayClient(state: SandboxState, clientId: string): RelayClient {
  state.relayCdm.clients[clientId] ??= { productGroups: [], closed: false, apiKeys: [], customers: dict() };
  return state.relayCdm.clients[clientId];
}

/** The HiiRelevate tenant, created empty on first use. */
export function hiiTenant(state: SandboxState, tenant: string): HiiTenant {
  state.hiirelevate.tenants[tenant] ??= { customers: dict(), consents: dict(), segments: dict(), pubsub: [] };
  return state.hiirelevate.tenants[tenant];
}
