// Seed fixtures as the vendor returned them (`retrieved`, such as `pnpm drift:seed` makes of recorded
// answers): each is checked against the schema of the API's read operation's answer (getCustomer's
// 200) in the spec the sandbox runs, then stored as it is, so getCustomer answers it exactly as it
// was retrieved, deviations the spec was patched to accept included. What the sandbox's state needs
// and an answer may lack (a Relay ccid, each channel's number) is refused naming the field, never
// made up. Relay's limits on numbers bound what is sent (the request form), not what a record holds.
import type { SeedReader } from "./seed-reader.js";
import { checkState, StateShapeError } from "./state-shape.js";
import { emptyState, hiiTenant, relayClient, type HiiCustomer, type RelayPerson, type SandboxState } from "./state.js";

const relayKeys = ["productGroupId", "customer"];

/** A Relay client's retrieved customers: `[{ productGroupId?, customer }]`, the group the client's first by default. */
export function seedRetrievedRelay(
  read: SeedReader,
  state: SandboxState,
  clientId: string,
  where: string,
  raw: unknown,
): void {
  const client = relayClient(state, clientId);
  read.list(raw, where).forEach((item, i) => {
    const at = `${where}[${i}]`;
    const fixture = read.object(item, at);
    for (const key of Object.keys(fixture))
      if (!relayKeys.includes(key)) read.fail(`${at}.${key}`, `unknown key (expected ${relayKeys.join(", ")})`);
    const group = read.text(fixture.productGroupId, `${at}.productGroupId`, false) ?? client.productGroups[0] ?? "";
    if (!client.productGroups.includes(group))
      read.fail(
        `${at}.productGroupId`,
        `must be one of the client's productGroups (${client.productGroups.map((g) => JSON.stringify(g)).join(", ")}); got ${JSON.stringify(group)}`,
      );
    read.check("relayCdm", read.retrievedSchema("relayCdm", at), fixture.customer, at, "customer");
    const person = { customer: structuredClone(fixture.customer), productGroupId: group, active: true } as RelayPerson;
    const probe = emptyState();
    relayClient(probe, "c").customers.p = person;
    stateNeeds(read, at, probe, "relayCdm.clients.c.customers.p.customer", "customer");
    const { ccid } = person.customer;
    if (client.customers[ccid]) read.fail(at, `customer.ccid ${ccid} is seeded twice for client ${clientId}`);
    client.customers[ccid] = person;
  });
}

/** A HiiRelevate tenant's retrieved customers: each one as getCustomer answers it, its id included. */
export function seedRetrievedHii(
  read: SeedReader,
  state: SandboxState,
  tenant: string,
  where: string,
  raw: unknown,
): void {
  const customers = hiiTenant(state, tenant).customers;
  read.list(raw, where).forEach((item, i) => {
    const at = `${where}[${i}]`;
    read.check("hiirelevate", read.retrievedSchema("hiirelevate", at), item, at);
    const customer = structuredClone(item) as HiiCustomer["customer"];
    // Its consents were given without a consent id the sandbox knows: "" holds each one's place.
    const consentIds = Array.isArray(customer.consents) ? customer.consents.map(() => "") : [];
    const record: HiiCustomer = { customer, consentIds, segments: [], devices: [] };
    const probe = emptyState();
    hiiTenant(probe, "t").customers.p = record;
    stateNeeds(read, at, probe, "hiirelevate.tenants.t.customers.p.customer", "");
    if (customers[customer.id]) read.fail(at, `id ${customer.id} is seeded twice in tenant ${tenant}`);
    customers[customer.id] = record;
  });
}

/**
 * Fails naming the first field the sandbox's state needs that a record lacks, as the state's own
 * check words it: `probe` holds the record alone, at `prefix`; the field is named from the fixture,
 * under `root`.
 */
function stateNeeds(read: SeedReader, at: string, probe: SandboxState, prefix: string, root: string): void {
  try {
    checkState(probe);
  } catch (error) {
    if (!(error instanceof StateShapeError)) throw error;
    const field = (root + error.path.slice(prefix.length)).replace(/^\./, "");
    read.fail(at, `${field || "the record"} ${error.rule}`);
  }
}
