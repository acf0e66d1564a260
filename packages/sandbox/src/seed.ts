// Seed fixtures: clients, product groups, customers, consents and segments to start from. Each
// fixture is checked against the spec's own request schema and applied by the same handlers the
// API runs, so a seeded person is exactly what onboarding them would have stored.
import { violationMessages } from "./request-check.js";
import { hiiHandlers } from "./hiirelevate.js";
import { relayHandlers } from "./relay-cdm.js";
import { isObject, type Schema, type SpecValidator } from "@cx-openapi/spec/openapi";
import { emptyState, hiiTenant, relayClient, type SandboxState } from "./state.js";
import { SandboxDataError } from "./store.js";

export interface SeedValidators {
  relayCdm: SpecValidator;
  hiirelevate: SpecValidator;
}

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
  const fail = (where: string, problem: string): never => {
    throw new SandboxDataError(`${source}: ${where}: ${problem}`);
  };
  const object = (value: unknown, where: string): Record<string, unknown> =>
    isObject(value) ? value : fail(where, "must be an object");
  const list = (value: unknown, where: string): unknown[] =>
    value === undefined ? [] : Array.isArray(value) ? value : fail(where, "must be a list");
  const strings = (value: unknown, where: string): string[] =>
    list(value, where).map((v, i) =>
      typeof v === "string" && v !== "" ? v : fail(`${where}[${i}]`, "must be a non-empty string"),
    );
  const check = (validator: SpecValidator, s: Schema, value: unknown, where: string) => {
    const problems = violationMessages(validator.errorsOf(s, value), "body");
    if (problems.length) fail(where, problems.join("; "));
  };
  const applied = (reply: { status: number; body?: unknown }, where: string) => {
    if (reply.status >= 300) fail(where, JSON.stringify(reply.body));
  };

  const root = object(seed ?? {}, "(root)");
  for (const key of Object.keys(root))
    if (key !== "relayCdm" && key !== "hiirelevate") fail(key, "unknown key (expected relayCdm, hiirelevate)");

  const relay = object(root.relayCdm ?? {}, "relayCdm");
  for (const [clientId, raw] of Object.entries(object(relay.clients ?? {}, "relayCdm.clients"))) {
    const where = `relayCdm.clients.${clientId}`;
    const fixture = object(raw, where);
    const client = relayClient(state, clientId);
    client.closed = true;
    client.productGroups = strings(fixture.productGroups ?? ["default"], `${where}.productGroups`);
    client.apiKeys = strings(fixture.apiKeys, `${where}.apiKeys`);
    list(fixture.customers, `${where}.customers`).forEach((person, i) => {
      const at = `${where}.customers[${i}]`;
      check(validators.relayCdm, schemas.load, person, at);
      applied(
        relayHandlers.loadCustomerRecord(
          { path: { client_id: clientId }, body: person as never, tenant: clientId },
          state,
        ),
        at,
      );
    });
  }

  const hii = object(root.hiirelevate ?? {}, "hiirelevate");
  state.hiirelevate.clients = list(hii.clients, "hiirelevate.clients").map((raw, i) => {
    const where = `hiirelevate.clients[${i}]`;
    const { clientId, clientSecret, tenant } = object(raw, where);
    if (typeof clientId !== "string" || !clientId) return fail(`${where}.clientId`, "must be a non-empty string");
    if (typeof clientSecret !== "string" || !clientSecret)
      return fail(`${where}.clientSecret`, "must be a non-empty string");
    if (tenant !== undefined && (typeof tenant !== "string" || !tenant))
      return fail(`${where}.tenant`, "must be a non-empty string");
    return { clientId, clientSecret, tenant: (tenant as string | undefined) ?? clientId };
  });
  for (const [tenant, raw] of Object.entries(object(hii.tenants ?? {}, "hiirelevate.tenants"))) {
    const where = `hiirelevate.tenants.${tenant}`;
    const fixture = object(raw, where);
    hiiTenant(state, tenant);
    const run = <R extends { status: number }>(reply: R, at: string) => applied(reply, at);
    list(fixture.consents, `${where}.consents`).forEach((consent, i) => {
      const at = `${where}.consents[${i}]`;
      check(validators.hiirelevate, schemas.consent, consent, at);
      run(hiiHandlers.createConsent({ path: {}, body: consent as never, tenant }, state), at);
    });
    list(fixture.segments, `${where}.segments`).forEach((raw, i) => {
      const at = `${where}.segments[${i}]`;
      const { values, ...segment } = object(raw, at);
      check(validators.hiirelevate, schemas.segment, segment, at);
      run(hiiHandlers.createSegment({ path: {}, body: segment as never, tenant }, state), at);
      list(values, `${at}.values`).forEach((value, j) => {
        check(validators.hiirelevate, schemas.segmentValue, value, `${at}.values[${j}]`);
        run(
          hiiHandlers.createSegmentValue(
            { path: { segmentName: segment.name as string }, body: value as never, tenant },
            state,
          ),
          `${at}.values[${j}]`,
        );
      });
    });
    list(fixture.customers, `${where}.customers`).forEach((raw, i) => {
      const at = `${where}.customers[${i}]`;
      const { id, ...customer } = object(raw, at);
      if (id !== undefined) check(validators.hiirelevate, schemas.customerId, id, `${at}.id`);
      check(validators.hiirelevate, schemas.customer, customer, at);
      const reply = hiiHandlers.createCustomer({ path: {}, body: customer as never, tenant }, state);
      run(reply, at);
      // A fixture may fix the id, so tests can address the customer directly.
      if (typeof id === "string" && reply.status === 201 && reply.body.id) {
        const customers = state.hiirelevate.tenants[tenant]!.customers;
        const record = customers[reply.body.id]!;
        delete customers[reply.body.id];
        record.customer.id = id;
        customers[id] = record;
      }
    });
  }
  return state;
}
