// Seed fixtures: clients, product groups, customers, consents and segments to start from, checked
// against the spec the sandbox runs. A fixture in a request's form is checked against the spec's own
// request schema and applied by the same handlers the API runs, so a seeded person is exactly what
// onboarding them would have stored; a customer as the vendor returned it (`retrieved`) is checked
// against the read operation's answer and stored as it is (seed-retrieved.ts).
import { hiiHandlers } from "./hiirelevate.js";
import { relayHandlers } from "./relay-cdm.js";
import { SeedReader, type SeedValidators } from "./seed-reader.js";
import { seedRetrievedHii, seedRetrievedRelay } from "./seed-retrieved.js";
import { emptyState, hiiTenant, relayClient, type SandboxState } from "./state.js";

const schema = (name: string) => ({ $ref: `#/components/schemas/${name}` });
const schemas = {
  load: schema("LoadCustomerRecordRequest"),
  customer: schema("CreateCustomerDto"),
  consent: schema("CreateConsentDto"),
  segment: schema("CreateSegmentDto"),
  segmentValue: schema("CreateSegmentValueDto"),
  customerId: schema("CustomerId"),
};

/** The state a seed describes; throws a SandboxDataError naming the first bad fixture and field. */
export function buildSeed(seed: unknown, validators: SeedValidators, source = "seed"): SandboxState {
  const state = emptyState();
  const read = new SeedReader(source, validators);
  const root = read.object(seed ?? {}, "(root)");
  for (const key of Object.keys(root))
    if (key !== "relayCdm" && key !== "hiirelevate") read.fail(key, "unknown key (expected relayCdm, hiirelevate)");
  seedRelay(read, state, read.object(root.relayCdm ?? {}, "relayCdm"));
  const hii = read.object(root.hiirelevate ?? {}, "hiirelevate");
  state.hiirelevate.clients = read.list(hii.clients, "hiirelevate.clients").map((raw, i) => hiiClient(read, raw, i));
  for (const [tenant, raw] of Object.entries(read.object(hii.tenants ?? {}, "hiirelevate.tenants")))
    seedTenant(read, state, tenant, read.object(raw, `hiirelevate.tenants.${tenant}`));
  return state;
}

/** Relay clients: closed to their product groups, with their keys and people. */
function seedRelay(read: SeedReader, state: SandboxState, relay: Record<string, unknown>): void {
  for (const [clientId, raw] of Object.entries(read.object(relay.clients ?? {}, "relayCdm.clients"))) {
    const where = `relayCdm.clients.${clientId}`;
    const fixture = read.object(raw, where);
    const client = relayClient(state, clientId);
    client.closed = true;
    client.productGroups = read.strings(fixture.productGroups ?? ["default"], `${where}.productGroups`);
    client.apiKeys = read.strings(fixture.apiKeys, `${where}.apiKeys`);
    read.list(fixture.customers, `${where}.customers`).forEach((person, i) => {
      const at = `${where}.customers[${i}]`;
      read.check("relayCdm", schemas.load, person, at);
      const input = { path: { client_id: clientId }, body: person as never, tenant: clientId };
      read.applied(relayHandlers.loadCustomerRecord(input, state), at);
    });
    seedRetrievedRelay(read, state, clientId, `${where}.retrieved`, fixture.retrieved);
  }
}

function hiiClient(read: SeedReader, raw: unknown, i: number): SandboxState["hiirelevate"]["clients"][number] {
  const where = `hiirelevate.clients[${i}]`;
  const { clientId, clientSecret, tenant } = read.object(raw, where);
  const id = read.text(clientId, `${where}.clientId`, true)!;
  const secret = read.text(clientSecret, `${where}.clientSecret`, true)!;
  return { clientId: id, clientSecret: secret, tenant: read.text(tenant, `${where}.tenant`, false) ?? id };
}

/** A HiiRelevate tenant: consents, then segments and their values, then customers, sent then retrieved. */
function seedTenant(read: SeedReader, state: SandboxState, tenant: string, fixture: Record<string, unknown>): void {
  const where = `hiirelevate.tenants.${tenant}`;
  hiiTenant(state, tenant);
  read.list(fixture.consents, `${where}.consents`).forEach((consent, i) => {
    read.check("hiirelevate", schemas.consent, consent, `${where}.consents[${i}]`);
    read.applied(
      hiiHandlers.createConsent({ path: {}, body: consent as never, tenant }, state),
      `${where}.consents[${i}]`,
    );
  });
  read
    .list(fixture.segments, `${where}.segments`)
    .forEach((raw, i) =>
      seedSegment(read, state, tenant, read.object(raw, `${where}.segments[${i}]`), `${where}.segments[${i}]`),
    );
  read
    .list(fixture.customers, `${where}.customers`)
    .forEach((raw, i) =>
      seedCustomer(read, state, tenant, read.object(raw, `${where}.customers[${i}]`), `${where}.customers[${i}]`),
    );
  seedRetrievedHii(read, state, tenant, `${where}.retrieved`, fixture.retrieved);
}

function seedSegment(
  read: SeedReader,
  state: SandboxState,
  tenant: string,
  { values, ...segment }: Record<string, unknown>,
  at: string,
): void {
  read.check("hiirelevate", schemas.segment, segment, at);
  read.applied(hiiHandlers.createSegment({ path: {}, body: segment as never, tenant }, state), at);
  read.list(values, `${at}.values`).forEach((value, j) => {
    read.check("hiirelevate", schemas.segmentValue, value, `${at}.values[${j}]`);
    const input = { path: { segmentName: segment.name as string }, body: value as never, tenant };
    read.applied(hiiHandlers.createSegmentValue(input, state), `${at}.values[${j}]`);
  });
}

/** A customer, created by the API's own handler; a fixture may fix its id, so tests can address it. */
function seedCustomer(
  read: SeedReader,
  state: SandboxState,
  tenant: string,
  { id, ...customer }: Record<string, unknown>,
  at: string,
): void {
  if (id !== undefined) read.check("hiirelevate", schemas.customerId, id, `${at}.id`);
  read.check("hiirelevate", schemas.customer, customer, at);
  const reply = hiiHandlers.createCustomer({ path: {}, body: customer as never, tenant }, state);
  read.applied(reply, at);
  if (typeof id !== "string" || reply.status !== 201 || !reply.body.id) return;
  const customers = state.hiirelevate.tenants[tenant]!.customers;
  const record = customers[reply.body.id]!;
  delete customers[reply.body.id];
  record.customer.id = id;
  customers[id] = record;
}
