// Seed fixtures as the vendor returned them (`retrieved`): checked against the response schema of
// the API's read operation in the spec the sandbox runs, stored as they are, answered back exactly;
// what the sandbox's state needs and a response lacks is refused, naming the fixture and the field.
import type { OpenApiDoc } from "@cx-openapi/spec";
import { describe, expect, it } from "vitest";
import { sandboxFetch } from "../../src/fetch.js";
import { createSandbox, type Sandbox } from "../../src/sandbox.js";
import { hiiBase, loadSpecs, relayBase } from "../helpers.js";

/** A sandbox in process started from `seed`, with the shipped specs or the ones given. */
const inProcess = ({ seed, specs = loadSpecs() }: { seed: unknown; specs?: Record<string, OpenApiDoc> }) =>
  createSandbox({ specs: { ...loadSpecs(), ...specs }, checkResponses: true, seed });

/** A Relay getCustomer answer past the shipped spec: a new consent type, a long phone type, a number in ext. */
const deviating = {
  ccid: "FAKE-CCID-1",
  first_name: "Fakefirst",
  addresses: [{ address1: "1 Fake St", country: "USA" }],
  notification_channels: [
    { channel_type: "sms", channel_addr: "5550100001", consent_type: "implied", phone_type: "mobile-voip" },
  ],
  ext: { member_since: 1999, membership_level: "gold" },
  product_group_id: "default",
};

type Schemas = Record<
  string,
  { enum?: string[]; properties?: Record<string, unknown>; additionalProperties?: unknown }
>;

let patched: OpenApiDoc | undefined;
/** The shipped Relay spec patched to accept what `deviating` holds, as drift:propose's --out would be (made once: its validator compiles once). */
function patchedRelay(): OpenApiDoc {
  patched ??= patchRelay();
  return patched;
}

function patchRelay(): OpenApiDoc {
  const spec = structuredClone(loadSpecs()["relay-cdm"]) as unknown as { components: { schemas: Schemas } };
  const schemas = spec.components.schemas;
  schemas.ConsentType!.enum!.push("implied");
  (schemas.NotificationChannel!.properties!.phone_type as { maxLength: number }).maxLength = 20;
  schemas.CustomerExtensionRecord!.additionalProperties = { type: ["string", "number"] };
  return spec as unknown as OpenApiDoc;
}

const relaySeed = (retrieved: unknown[], extra: Record<string, unknown> = {}) => ({
  relayCdm: { clients: { c1: { productGroups: ["default", "vip"], ...extra, retrieved } } },
});

async function relayGet(sandbox: Sandbox, ccid: string): Promise<{ status: number; body: unknown }> {
  const answer = await sandboxFetch(sandbox, "relay-cdm")(`${relayBase}/cdm/client/c1/customer/${ccid}`, {
    headers: { "xx-relay-api-key": "k" },
  });
  return { status: answer.status, body: await answer.json() };
}

describe("a seed's retrieved Relay customers", () => {
  it("pass under a spec patched to accept them and are answered back exactly as retrieved", async () => {
    const sandbox = inProcess({
      specs: { ...loadSpecs(), "relay-cdm": patchedRelay() },
      seed: relaySeed([{ productGroupId: "vip", customer: deviating }]),
    });
    expect(await relayGet(sandbox, deviating.ccid)).toEqual({ status: 200, body: deviating });
    const stored = sandbox.store.state.relayCdm.clients.c1!.customers[deviating.ccid]!;
    expect(stored).toMatchObject({ productGroupId: "vip", active: true });
  });

  it("are refused under the shipped spec, naming the fixture, the field and the rule", () => {
    expect(() => inProcess({ seed: relaySeed([{ customer: deviating }]) })).toThrow(
      "seed: relayCdm.clients.c1.retrieved[0]: customer.notification_channels[0].consent_type must be one of: " +
        '"written", "express", "stop"; customer.notification_channels[0].phone_type must NOT have more than 10 characters; ' +
        "customer.ext.member_since must be string",
    );
  });

  it("need what the state keeps a customer by: a ccid, each channel's number, the list of channels", () => {
    const { ccid: _ccid, ...noCcid } = deviating;
    const specs = { ...loadSpecs(), "relay-cdm": patchedRelay() };
    expect(() => inProcess({ specs, seed: relaySeed([{ customer: noCcid }]) })).toThrow(
      "seed: relayCdm.clients.c1.retrieved[0]: customer.ccid is missing (must be a string)",
    );
    const noAddr = { ...deviating, notification_channels: [{ channel_type: "sms", consent_type: "written" }] };
    expect(() => inProcess({ specs, seed: relaySeed([{ customer: noAddr }]) })).toThrow(
      "seed: relayCdm.clients.c1.retrieved[0]: customer.notification_channels[0].channel_addr is missing (must be a string)",
    );
    const { notification_channels: _channels, ...noChannels } = deviating;
    expect(() => inProcess({ specs, seed: relaySeed([{ customer: noChannels }]) })).toThrow(
      "seed: relayCdm.clients.c1.retrieved[0]: customer.notification_channels is missing (must be a list)",
    );
  });

  it("are refused in a product group the client lacks, twice, beside a sent one of the same ccid, or with unknown keys", () => {
    const specs = { ...loadSpecs(), "relay-cdm": patchedRelay() };
    const seed = (retrieved: unknown[], extra?: Record<string, unknown>) => () =>
      inProcess({ specs, seed: relaySeed(retrieved, extra) });
    expect(seed([{ productGroupId: "gold", customer: deviating }])).toThrow(
      'seed: relayCdm.clients.c1.retrieved[0].productGroupId: must be one of the client\'s productGroups ("default", "vip"); got "gold"',
    );
    expect(seed([{ customer: deviating }, { customer: deviating }])).toThrow(
      "seed: relayCdm.clients.c1.retrieved[1]: customer.ccid FAKE-CCID-1 is seeded twice for client c1",
    );
    const sent = { product_group_id: "default", customer: { ccid: deviating.ccid } };
    expect(seed([{ customer: deviating }], { customers: [sent] })).toThrow(
      "seed: relayCdm.clients.c1.retrieved[0]: customer.ccid FAKE-CCID-1 is seeded twice for client c1",
    );
    expect(seed([{ customer: deviating, product_group_id: "vip" }])).toThrow(
      "seed: relayCdm.clients.c1.retrieved[0].product_group_id: unknown key (expected productGroupId, customer)",
    );
  });

  it("default to the client's first product group and sit beside request-shaped customers", async () => {
    const sent = { product_group_id: "vip", customer: { ccid: "SENT-1", first_name: "Sent" } };
    const sandbox = inProcess({
      specs: { ...loadSpecs(), "relay-cdm": patchedRelay() },
      seed: relaySeed([{ customer: deviating }], { customers: [sent] }),
    });
    expect(sandbox.store.state.relayCdm.clients.c1!.customers[deviating.ccid]!.productGroupId).toBe("default");
    expect((await relayGet(sandbox, "SENT-1")).body).toMatchObject({ ccid: "SENT-1", first_name: "Sent" });
    expect((await relayGet(sandbox, deviating.ccid)).body).toEqual(deviating);
  });
});

const hiiRetrieved = {
  id: "00000000-0000-4000-8000-000000000001",
  displayName: "Fake Person",
  email: [{ value: "fake@example.invalid", primary: true }],
  birthdate: "1970-01-01T00:00:00.000Z",
  consents: [{ version: 1, url: "https://example.invalid/c/1", availableFrom: "2024-01-01T00:00:00.000Z" }],
  status: "active",
  createdBy: "vendor-user",
  createdDate: "2026-12-01T09:00:00.000Z",
};

const hiiSeed = (retrieved: unknown[]) => ({
  hiirelevate: { clients: [{ clientId: "app", clientSecret: "s", tenant: "t" }], tenants: { t: { retrieved } } },
});

describe("a seed's retrieved HiiRelevate customers", () => {
  it("are stored as the service returned them (its own status, dates and consents) and answered back exactly", async () => {
    const sandbox = inProcess({ seed: hiiSeed([hiiRetrieved]) });
    const hii = sandboxFetch(sandbox, "hiirelevate");
    const token = await hii(`${hiiBase}/oauth2/token`, {
      method: "POST",
      headers: { "content-type": "application/x-www-form-urlencoded" },
      body: "grant_type=client_credentials&client_id=app&client_secret=s",
    });
    const { access_token } = (await token.json()) as { access_token: string };
    const answer = await hii(`${hiiBase}/customers/${hiiRetrieved.id}`, {
      headers: { authorization: `Bearer ${access_token}` },
    });
    expect(await answer.json()).toEqual(hiiRetrieved);
    expect(sandbox.store.state.hiirelevate.tenants.t!.customers[hiiRetrieved.id]).toMatchObject({
      consentIds: [""],
      segments: [],
      devices: [],
    });
  });

  it("are refused without an id, or against the response schema, naming the fixture and the field", () => {
    const { id: _id, ...noId } = hiiRetrieved;
    expect(() => inProcess({ seed: hiiSeed([noId]) })).toThrow(
      "seed: hiirelevate.tenants.t.retrieved[0]: id is missing (must be a string)",
    );
    expect(() => inProcess({ seed: hiiSeed([{ ...hiiRetrieved, email: "fake@example.invalid" }]) })).toThrow(
      "seed: hiirelevate.tenants.t.retrieved[0]: email must be array",
    );
    expect(() => inProcess({ seed: hiiSeed([hiiRetrieved, hiiRetrieved]) })).toThrow(
      `seed: hiirelevate.tenants.t.retrieved[1]: id ${hiiRetrieved.id} is seeded twice in tenant t`,
    );
  });
});
