// The example data every sandbox starts from (unless it is given a seed, or told to start empty):
// what the spec's own examples describe, so every id the docs show (their try-it fields and curl
// samples) answers on day one. Built at start from the bundled spec by sending, through each API's
// engine, the request examples of the operations that create things, in the order a user would:
//   Relay        load-customer-record, then onboard: the person, their numbers, their product group,
//                for the client of the examples
//   HiiRelevate  consents and versions, segments and values, then each customer the examples
//                address, with its channel choices, consents, device and segment memberships
// A thing an example addresses that no create example makes (a consent id, a segment value) is made
// from the create example under that name. The HiiRelevate data is the template every tenant starts
// from (see `enterTenant`). No id is written here: they all come from the spec.
import { apiNames, isObject, type ApiName } from "@cx-openapi/spec/openapi";
import type { Engine } from "./engine.js";
import { type ExampleCall, ExampleReplay } from "./example-calls.js";
import { plainTokenTenant } from "./hiirelevate.js";
import { type Clock, type HiiTenant, hiiTenant, type SandboxState } from "./state.js";
import { Store } from "./store.js";

/** The bearer token the HiiRelevate examples are sent with: its tenant becomes the template. */
const exampleToken = "cx-sandbox-examples";

/**
 * How each API's example data is made. An API added to the registry is a type error here until
 * its plan is written.
 */
const plans: Record<ApiName, (engine: Engine, store: Store) => void> = {
  "relay-cdm": (engine, store) => {
    const replay = new ExampleReplay(engine, store, { "xx-relay-api-key": exampleToken });
    // Loading first: loading a person onboarding made is a 409.
    replay.replay("loadCustomerRecord");
    replay.replay("onboardCustomer");
  },
  hiirelevate: (engine, store) => {
    const tenant = plainTokenTenant(exampleToken);
    const replay = new ExampleReplay(engine, store, { authorization: `Bearer ${exampleToken}` });
    const made = () => hiiTenant(store.state, tenant);
    hiiConsents(replay, made);
    hiiSegments(replay, made);
    hiiCustomers(replay, made);
    const hii = store.state.hiirelevate;
    hii.tenantTemplate = made();
    delete hii.tenants[tenant];
  },
};

/** The example data of every API, stamped with the clock's time. Throws when the examples do not fit together. */
export function exampleState(engines: Record<ApiName, Engine>, now: Clock): SandboxState {
  const store = new Store({ now });
  for (const api of apiNames) plans[api](engines[api], store);
  return store.state;
}

/** A copy of a call under another name: the create example, for a thing only addressed by the examples. */
function renamed(call: ExampleCall, body: Record<string, unknown>, path = call.path): ExampleCall {
  return { ...call, name: `${call.name || call.operationId} as ${String(body.name)}`, path, body };
}

/** The consents of the examples, and those their ids address (versions, customer consents). */
function hiiConsents(replay: ExampleReplay, made: () => HiiTenant): void {
  replay.replay("createConsent");
  const [create] = replay.calls("createConsent");
  const addressed = [...replay.params("consentBaseId"), ...replay.bodies<string[]>("addCustomerConsents").flat()];
  for (const name of new Set(addressed))
    if (create && !made().consents[name])
      replay.send(renamed(create, { ...(create.body as Record<string, unknown>), name }));
  replay.replay("createConsentVersion");
}

interface Membership {
  segment: string;
  segmentValue: string;
}

/** The memberships the examples add or replace. */
function addressedMemberships(replay: ExampleReplay): Membership[] {
  const updates = replay.bodies<{ oldSegment: Membership; newSegment: Membership }>("updateCustomerSegment");
  return [...replay.bodies<Membership>("addCustomerSegment"), ...updates.flatMap((u) => [u.oldSegment, u.newSegment])];
}

/** The segments and values of the examples, and those their memberships address. */
function hiiSegments(replay: ExampleReplay, made: () => HiiTenant): void {
  replay.replay("createSegment");
  const memberships = addressedMemberships(replay);
  const [segment] = replay.calls("createSegment");
  for (const name of new Set([...replay.params("segmentName"), ...memberships.map((m) => m.segment)]))
    if (segment && !made().segments[name])
      replay.send(renamed(segment, { ...(segment.body as Record<string, unknown>), name }));
  replay.replay("createSegmentValue");
  const [value] = replay.calls("createSegmentValue");
  for (const { segment: segmentName, segmentValue: name } of memberships) {
    const values = made().segments[segmentName]?.values;
    if (!value || !values || values.some((v) => v.name === name)) continue;
    const body = { ...(value.body as Record<string, unknown>), name, index: values.length + 1 };
    replay.send(renamed(value, body, { ...value.path, segmentName }));
  }
}

/**
 * Each customer the examples address (the `customerId` of their paths, the id of the create
 * example's answer), created from the fullest create example under that id; then the examples
 * that add to a customer, and the membership each update example replaces.
 */
function hiiCustomers(replay: ExampleReplay, made: () => HiiTenant): void {
  const answered = replay.responseExamples("createCustomer").flatMap((v) => (isObject(v) ? (v.id ?? []) : []));
  for (const id of new Set([...replay.params("customerId"), ...answered.map(String)])) createCustomer(replay, made, id);
  for (const operationId of ["setCustomerChannelChoices", "addCustomerConsents", "registerCustomerDevice"])
    replay.replay(operationId);
  replay.replay("addCustomerSegment");
  for (const update of replay.calls("updateCustomerSegment")) {
    const { oldSegment } = update.body as { oldSegment: Membership };
    const name = `${update.name}'s oldSegment`;
    replay.send({ operationId: "addCustomerSegment", name, path: update.path, body: oldSegment });
  }
}

/** A customer under a given id: created by the fullest create example, then moved to that id. */
function createCustomer(replay: ExampleReplay, made: () => HiiTenant, id: string): void {
  const size = (call: ExampleCall) => (isObject(call.body) ? Object.keys(call.body).length : 0);
  const [first, ...others] = replay.calls("createCustomer");
  if (!first) return;
  const fullest = others.reduce((a, b) => (size(b) > size(a) ? b : a), first);
  const created = (replay.send(fullest).body as { id: string }).id;
  const customers = made().customers;
  const record = customers[created]!;
  delete customers[created];
  record.customer.id = id;
  customers[id] = record;
}
