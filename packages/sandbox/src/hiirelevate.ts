// HiiRelevate Customer Service behaviour. Tenants are isolated: the tenant is bound to the bearer
// token (a token the sandbox issued acts for its client's tenant). What the vendor page does not
// state is ours and listed in the sandbox README.
import type { components, operations } from "./generated/hiirelevate.js";
import type { ApiBehaviour } from "./engine.js";
import {
  clockOf,
  enterTenant,
  hiiTenant,
  pruneTokens,
  type HiiCustomer,
  type HiiMembership,
  type HiiTenant,
  type SandboxState,
} from "./state.js";
import type { Handlers, SandboxRequest, SandboxResponse } from "./types.js";

type Schemas = components["schemas"];

/**
 * The `error` of a NestJS error body: the reason phrase of its status (NestJS's HttpStatus names),
 * for every status the sandbox may answer, faults included.
 */
const reasons: Record<number, string> = {
  400: "Bad Request",
  401: "Unauthorized",
  402: "Payment Required",
  403: "Forbidden",
  404: "Not Found",
  405: "Method Not Allowed",
  406: "Not Acceptable",
  408: "Request Timeout",
  409: "Conflict",
  410: "Gone",
  412: "Precondition Failed",
  413: "Payload Too Large",
  415: "Unsupported Media Type",
  422: "Unprocessable Entity",
  429: "Too Many Requests",
  500: "Internal Server Error",
  501: "Not Implemented",
  502: "Bad Gateway",
  503: "Service Unavailable",
  504: "Gateway Timeout",
};

/** A NestJS error body: validation failures list their messages, other errors carry one string. */
export function nestError(status: number, messages: string[]): Schemas["ErrorResponse"] {
  const error = reasons[status];
  const message = status === 400 ? messages : messages.join("; ");
  return { statusCode: status, message, ...(error ? { error } : {}) };
}

const notFound = (what: string) => ({ status: 404 as const, body: nestError(404, [`${what} not found`]) });
const badRequest = (...messages: string[]) => ({ status: 400 as const, body: nestError(400, messages) });

/** The sandbox's time now (its controllable clock), as an ISO date-time. */
function instant(state: SandboxState): string {
  return new Date(clockOf(state)()).toISOString();
}

/** The sandbox's day (yyyy-mm-dd, UTC). */
function today(state: SandboxState): string {
  return instant(state).slice(0, 10);
}

function addDays(day: string, days: number): string {
  const date = new Date(`${day}T00:00:00Z`);
  date.setUTCDate(date.getUTCDate() + Math.floor(days));
  return date.toISOString().slice(0, 10);
}

/** Memberships still in force (an `expires` day counts as held). */
function heldMemberships(record: HiiCustomer, day: string): HiiMembership[] {
  return record.segments.filter((m) => m.expires >= day);
}

function customerOf(state: SandboxState, tenant: string, id: string): HiiCustomer | undefined {
  return state.hiirelevate.tenants[tenant]?.customers[id];
}

/** Checks a membership against its segment's definition and values; returns the membership or why not. */
function membership(
  tenant: HiiTenant,
  input: Schemas["CustomerSegmentDto"],
  day: string,
): HiiMembership | { status: 400 | 404; body: Schemas["ErrorResponse"] } {
  const segment = tenant.segments[input.segment];
  if (!segment) return notFound(`Segment ${input.segment}`);
  if (!segment.values.some((v) => v.name === input.segmentValue))
    return notFound(`Value ${input.segmentValue} of segment ${input.segment}`);
  const expires = input.expires ?? addDays(day, segment.definition.daysValid);
  return { segment: input.segment, segmentValue: input.segmentValue, expires };
}

/** Adds a membership: with `allowMultiple: false` it replaces the value the customer holds in that segment. */
function place(tenant: HiiTenant, record: HiiCustomer, added: HiiMembership, day: string): void {
  const multiple = tenant.segments[added.segment]?.definition.allowMultiple === true;
  record.segments = heldMemberships(record, day).filter(
    (m) => m.segment !== added.segment || (multiple && m.segmentValue !== added.segmentValue),
  );
  record.segments.push(added);
}

export const hiiHandlers: Handlers<operations, SandboxState> = {
  getHealth: () => ({ status: 200 }),

  createCustomer: ({ body, tenant }, state) => {
    const id = crypto.randomUUID();
    const customer: HiiCustomer["customer"] = {
      ...structuredClone(body),
      id,
      consents: structuredClone(body.consents ?? []),
      status: "active",
      createdBy: "cx-sandbox",
      createdDate: instant(state),
    };
    // A consent sent with the customer names no consent id: "" holds its place, so the ids given
    // later line up with their entries in `consents`.
    const consentIds = customer.consents!.map(() => "");
    hiiTenant(state, tenant).customers[id] = { customer, consentIds, segments: [], devices: [] };
    return { status: 201, body: structuredClone(customer) };
  },

  findCustomer: ({ body, tenant }, state) => {
    const email = body.email.toLowerCase();
    const found = Object.values(state.hiirelevate.tenants[tenant]?.customers ?? {}).filter(
      ({ customer: c }) =>
        c.email?.some((e) => e.value?.toLowerCase() === email) ||
        c.phoneNumber?.some((p) => p.value === body.phoneNumber) ||
        c.socialSecurityNumber === body.socialSecurityNumber,
    );
    return { status: 201, body: found.map((r) => structuredClone(r.customer)) };
  },

  getCustomer: ({ path, tenant }, state) => {
    const record = customerOf(state, tenant, path.customerId);
    return record ? { status: 200, body: structuredClone(record.customer) } : notFound(`Customer ${path.customerId}`);
  },

  updateCustomer: ({ path, body, tenant }, state) => {
    const record = customerOf(state, tenant, path.customerId);
    if (!record) return notFound(`Customer ${path.customerId}`);
    record.customer = { ...record.customer, ...structuredClone(body), id: record.customer.id };
    return { status: 200 };
  },

  deleteCustomer: ({ path, tenant }, state) => {
    const tenantState = state.hiirelevate.tenants[tenant];
    if (!tenantState?.customers[path.customerId]) return notFound(`Customer ${path.customerId}`);
    delete tenantState.customers[path.customerId];
    return { status: 200 };
  },

  createConsent: ({ body, tenant }, state) => {
    const consents = hiiTenant(state, tenant).consents;
    if (consents[body.name])
      return badRequest(
        `consent ${body.name} already exists; add a version with POST /consents/{consentBaseId}/versions`,
      );
    consents[body.name] = { name: body.name, versions: [{ ...structuredClone(body), version: 1 }] };
    return { status: 201, headers: { location: `/consents/${encodeURIComponent(body.name)}` } };
  },

  createConsentVersion: ({ path, body, tenant }, state) => {
    const consent = state.hiirelevate.tenants[tenant]?.consents[path.consentBaseId];
    if (!consent) return notFound(`Consent ${path.consentBaseId}`);
    consent.versions.push({ ...structuredClone(body), version: consent.versions.length + 1 });
    return { status: 201 };
  },

  addCustomerConsents: ({ path, body, tenant }, state) => {
    const record = customerOf(state, tenant, path.customerId);
    if (!record) return notFound(`Customer ${path.customerId}`);
    const consents = state.hiirelevate.tenants[tenant]!.consents;
    const unknown = body.filter((id) => !consents[id]);
    if (unknown.length) return notFound(`Consent ${unknown.join(", ")}`);
    for (const id of body) {
      const latest = consents[id]!.versions.at(-1)!;
      const given: Schemas["ConsentDto"] = {
        version: latest.version,
        url: latest.url,
        availableFrom: latest.availableFrom,
        status: "active",
        createdBy: "cx-sandbox",
        createdDate: today(state),
      };
      const index = record.consentIds.indexOf(id);
      record.customer.consents ??= [];
      const list = record.customer.consents;
      if (index >= 0) list[index] = given;
      else {
        record.consentIds.push(id);
        list.push(given);
      }
    }
    return { status: 201 };
  },

  setCustomerChannelChoices: ({ path, body, tenant }, state) => {
    const record = customerOf(state, tenant, path.customerId);
    if (!record) return notFound(`Customer ${path.customerId}`);
    const byChannel = new Map((record.customer.channelChoices ?? []).map((c) => [c.channelId, c]));
    for (const choice of body) byChannel.set(choice.channelId, { ...choice });
    record.customer.channelChoices = [...byChannel.values()];
    return { status: 201 };
  },

  createSegment: ({ body, tenant }, state) => {
    const segments = hiiTenant(state, tenant).segments;
    if (segments[body.name]) return badRequest(`segment ${body.name} already exists`);
    segments[body.name] = { definition: { ...body }, values: [] };
    return { status: 201 };
  },

  createSegmentValue: ({ path, body, tenant }, state) => {
    const segment = state.hiirelevate.tenants[tenant]?.segments[path.segmentName];
    if (!segment) return notFound(`Segment ${path.segmentName}`);
    if (segment.values.some((v) => v.name === body.name))
      return badRequest(`value ${body.name} of segment ${path.segmentName} already exists`);
    segment.values.push({ ...body });
    segment.values.sort((a, b) => a.index - b.index);
    return { status: 201 };
  },

  addCustomerSegment: ({ path, body, tenant }, state) => {
    const record = customerOf(state, tenant, path.customerId);
    if (!record) return notFound(`Customer ${path.customerId}`);
    const tenantState = state.hiirelevate.tenants[tenant]!;
    const day = today(state);
    const added = membership(tenantState, body, day);
    if ("status" in added) return added;
    place(tenantState, record, added, day);
    return { status: 201 };
  },

  updateCustomerSegment: ({ path, body, tenant }, state) => {
    const record = customerOf(state, tenant, path.customerId);
    if (!record) return notFound(`Customer ${path.customerId}`);
    const tenantState = state.hiirelevate.tenants[tenant]!;
    const { oldSegment, newSegment } = body;
    const day = today(state);
    const held = heldMemberships(record, day).find(
      (m) => m.segment === oldSegment.segment && m.segmentValue === oldSegment.segmentValue,
    );
    if (!held)
      return notFound(`Membership of customer ${path.customerId} in ${oldSegment.segment}=${oldSegment.segmentValue}`);
    const added = membership(tenantState, newSegment, day);
    if ("status" in added) return added;
    record.segments = record.segments.filter((m) => m !== held);
    place(tenantState, record, added, day);
    return { status: 200 };
  },

  registerCustomerDevice: ({ path, body, tenant }, state) => {
    const record = customerOf(state, tenant, path.customerId);
    if (!record) return notFound(`Customer ${path.customerId}`);
    record.devices = [...record.devices.filter((d) => d.deviceUid !== body.deviceUid), { ...body }];
    return { status: 201 };
  },

  handlePubsubPush: ({ body, tenant }, state) => {
    hiiTenant(state, tenant).pubsub.push({
      receivedAt: instant(state),
      subscription: body.subscription,
      message: structuredClone(body.message),
    });
    return { status: 201 };
  },
};

/** The tenants of plain bearer tokens are named with this prefix; no client id may start with it. */
const plainTenantPrefix = "bearer-";

/**
 * The tenant of a bearer token the sandbox did not issue: a digest (64-bit FNV-1a), so the token
 * itself is never stored or shown. Synchronous, and free of Node built-ins for the browser (MSW).
 */
export function plainTokenTenant(token: string): string {
  let hash = 0xcbf29ce484222325n;
  for (const byte of new TextEncoder().encode(token))
    hash = ((hash ^ BigInt(byte)) * 0x100000001b3n) & 0xffffffffffffffffn;
  return `${plainTenantPrefix}${hash.toString(16).padStart(16, "0")}`;
}

/**
 * Every token the sandbox issues starts with this. A bearer token of that form the sandbox does not
 * hold (expired and pruned, or issued before a reset) is refused, never taken for a plain token.
 */
const issuedTokenPrefix = "sbx_";

export const hiiBehaviour: ApiBehaviour = {
  name: "hiirelevate",
  errorBody: nestError,
  authenticate: (request, _path, state) => {
    const match = /^Bearer\s+(\S+)\s*$/i.exec(request.headers.authorization ?? "");
    if (!match) return { refused: "Unauthorized" };
    const token = match[1]!;
    const issued = state.hiirelevate.tokens[token];
    if (issued !== undefined)
      return issued.expiresAt > clockOf(state)() ? { tenant: issued.tenant } : { refused: "Unauthorized" };
    // With registered clients, only tokens from the token endpoint are accepted.
    if (state.hiirelevate.clients.length || token.startsWith(issuedTokenPrefix)) return { refused: "Unauthorized" };
    return { tenant: plainTokenTenant(token) };
  },
  enter: enterTenant,
  handlers: hiiHandlers,
};

/** How long an issued token is accepted, as `expires_in` announces: an hour, like Hii Retail's. */
const tokenLifetimeSeconds = 3600;

/**
 * The OAuth2 client-credentials token endpoint (RFC 6749 §4.4), as Hii Retail's auth service offers
 * it: HTTP Basic client authentication (or client_id and client_secret in the form), form body with
 * `grant_type=client_credentials`. The token's tenant is the client's; it expires after
 * `tokenLifetimeSeconds` on the state's clock, and the expired ones are forgotten here.
 */
export function issueToken(state: SandboxState, request: SandboxRequest): SandboxResponse {
  const oauthError = (status: number, error: string, description: string): SandboxResponse => ({
    status,
    headers: { "content-type": "application/json", "cache-control": "no-store" },
    body: { error, error_description: description },
  });
  if (request.method.toUpperCase() !== "POST") return oauthError(405, "invalid_request", "use POST");
  const form = new URLSearchParams(request.body ?? "");
  if (form.get("grant_type") !== "client_credentials")
    return oauthError(400, "unsupported_grant_type", "grant_type must be client_credentials");
  const credentials = clientCredentialsOf(request, form);
  if ("problem" in credentials) return oauthError(401, "invalid_client", credentials.problem);
  const { clientId, clientSecret } = credentials;
  if (!clientId) return oauthError(401, "invalid_client", "client authentication is required");
  if (clientId.toLowerCase().startsWith(plainTenantPrefix))
    return oauthError(
      401,
      "invalid_client",
      `client ids starting with "${plainTenantPrefix}" are reserved for the tenants of plain bearer tokens; choose another client id`,
    );
  const clients = state.hiirelevate.clients;
  let tenant = clientId;
  if (clients.length) {
    const client = clients.find((c) => c.clientId === clientId && c.clientSecret === clientSecret);
    if (!client) return oauthError(401, "invalid_client", "unknown client or wrong secret");
    tenant = client.tenant;
  }
  const now = clockOf(state)();
  pruneTokens(state, now);
  const token = `${issuedTokenPrefix}${Array.from(crypto.getRandomValues(new Uint8Array(18)), (b) => b.toString(16).padStart(2, "0")).join("")}`;
  state.hiirelevate.tokens[token] = { tenant, expiresAt: now + tokenLifetimeSeconds * 1000 };
  return {
    status: 200,
    headers: { "content-type": "application/json", "cache-control": "no-store" },
    body: { access_token: token, token_type: "Bearer", expires_in: tokenLifetimeSeconds },
  };
}

/** The client's id and secret: from HTTP Basic authentication, else from the form. */
function clientCredentialsOf(
  request: SandboxRequest,
  form: URLSearchParams,
): { clientId: string; clientSecret: string } | { problem: string } {
  const basic = /^Basic\s+(\S+)$/i.exec(request.headers.authorization ?? "");
  if (!basic) return { clientId: form.get("client_id") ?? "", clientSecret: form.get("client_secret") ?? "" };
  let decoded = "";
  try {
    decoded = new TextDecoder().decode(Uint8Array.from(atob(basic[1]!), (c) => c.charCodeAt(0)));
  } catch {
    return { problem: "the Basic credentials are not valid base64" };
  }
  const colon = decoded.indexOf(":");
  try {
    return {
      clientId: decodeURIComponent(decoded.slice(0, colon < 0 ? undefined : colon)),
      clientSecret: colon < 0 ? "" : decodeURIComponent(decoded.slice(colon + 1)),
    };
  } catch {
    return { problem: "the Basic credentials are not validly encoded" };
  }
}
