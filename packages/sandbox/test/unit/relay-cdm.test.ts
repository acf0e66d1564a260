// Relay CDM behaviour through the typed client, in process (every answer also checked against the
// spec by the sandbox's own validator).
import { describe, expect, it } from "vitest";
import { relayLimits } from "../../src/relay-cdm.js";
import { inProcess, relayClientOf } from "../helpers.js";

const clientId = "relay_developer";
const path = (ccid: string) => ({ params: { path: { client_id: clientId, ccid } } });

function setup() {
  const sandbox = inProcess();
  const relay = relayClientOf(sandbox);
  const onboard = (ccid: string, numbers: string[], extra: Record<string, unknown> = {}, group = "default") =>
    relay.POST("/cdm/client/{client_id}/onboard", {
      params: { path: { client_id: clientId } },
      body: {
        product_group_id: group,
        customer: {
          ccid,
          first_name: "Ada",
          notification_channels: numbers.map((n) => ({ channel_addr: n, consent_type: "written" as const })),
        },
        ...extra,
      },
    });
  return { sandbox, relay, onboard };
}

const number = (i: number) => `610555${String(i).padStart(4, "0")}`;

describe("relay-cdm sandbox: the customer journey", () => {
  it("onboard -> retrieve (same data) -> add phone -> move -> remove phone -> deactivate -> retrieve gives 404", async () => {
    const { relay, onboard } = setup();
    const onboarded = await onboard("NEW-42", ["6105551212"], {}, "default");
    expect(onboarded.status).toBe(200);
    expect(onboarded.data).toEqual({ message: "Accepted" });

    const retrieved = await relay.GET("/cdm/client/{client_id}/customer/{ccid}", path("NEW-42"));
    expect(retrieved.status).toBe(200);
    expect(retrieved.data).toEqual({
      ccid: "NEW-42",
      first_name: "Ada",
      notification_channels: [{ channel_type: "sms", channel_addr: "6105551212", consent_type: "written" }],
    });

    const added = await relay.PUT("/cdm/client/{client_id}/customer/{ccid}/add_phone/{phone_number}", {
      params: { path: { client_id: clientId, ccid: "NEW-42", phone_number: "6105550000" } },
      body: { consent_type: "express", phone_type: "mobile" },
    });
    expect(added.data).toEqual({
      message: `Phone number 6105550000 has been added to customer with ccid NEW-42 for client ${clientId}.`,
    });

    await onboard("OTHER-1", [], {}, "vip");
    const moved = await relay.PUT("/cdm/client/{client_id}/customer/{ccid}/move/{product_group_id}", {
      params: { path: { client_id: clientId, ccid: "NEW-42", product_group_id: "vip" } },
    });
    expect(moved.data).toEqual({ message: `Customer NEW-42 moved to vip for client ${clientId}.` });
    const unknownGroup = await relay.PUT("/cdm/client/{client_id}/customer/{ccid}/move/{product_group_id}", {
      params: { path: { client_id: clientId, ccid: "NEW-42", product_group_id: "nowhere" } },
    });
    expect(unknownGroup.status).toBe(404);
    expect(unknownGroup.error).toEqual({ message: `Product group nowhere not found for client ${clientId}` });

    const removed = await relay.PUT("/cdm/client/{client_id}/customer/{ccid}/remove_phone/{phone_number}", {
      params: { path: { client_id: clientId, ccid: "NEW-42", phone_number: "6105551212" } },
    });
    expect(removed.data).toEqual({
      message: `Phone number 6105551212 has been removed from customer with ccid NEW-42 for client ${clientId}`,
    });
    const after = await relay.GET("/cdm/client/{client_id}/customer/{ccid}", path("NEW-42"));
    expect(after.data?.notification_channels).toEqual([
      { channel_type: "sms", channel_addr: "6105550000", consent_type: "express", phone_type: "mobile" },
    ]);

    const deactivated = await relay.DELETE("/cdm/client/{client_id}/customer/{ccid}", path("NEW-42"));
    expect(deactivated.data).toEqual({ message: `Customer NEW-42 deactivated for client ${clientId}` });
    const gone = await relay.GET("/cdm/client/{client_id}/customer/{ccid}", path("NEW-42"));
    expect(gone.status).toBe(404);
    expect(gone.error).toEqual({ message: `Customer NEW-42 not found for client ${clientId}` });
    expect((await relay.DELETE("/cdm/client/{client_id}/customer/{ccid}", path("NEW-42"))).status).toBe(404);
  });

  it("onboard upserts: it updates what was sent, and deactivate_previous_connections decides whether numbers add up or are replaced", async () => {
    const { relay, onboard } = setup();
    await onboard("P-1", ["6105550001"]);
    await relay.POST("/cdm/client/{client_id}/onboard", {
      params: { path: { client_id: clientId } },
      body: {
        product_group_id: "default",
        customer: {
          ccid: "P-1",
          last_name: "Lovelace",
          notification_channels: [{ channel_addr: "6105550002", consent_type: "written" }],
        },
      },
    });
    const merged = await relay.GET("/cdm/client/{client_id}/customer/{ccid}", path("P-1"));
    expect(merged.data).toMatchObject({ first_name: "Ada", last_name: "Lovelace" });
    expect(merged.data?.notification_channels?.map((c) => c.channel_addr)).toEqual(["6105550001", "6105550002"]);

    await onboard("P-1", ["6105550003"], { deactivate_previous_connections: true });
    const replaced = await relay.GET("/cdm/client/{client_id}/customer/{ccid}", path("P-1"));
    expect(replaced.data?.notification_channels?.map((c) => c.channel_addr)).toEqual(["6105550003"]);
  });

  it("load-customer-record creates, and answers 409 for a ccid that exists", async () => {
    const { relay } = setup();
    const load = () =>
      relay.POST("/cdm/client/{client_id}/load-customer-record", {
        params: { path: { client_id: clientId } },
        body: { product_group_id: "default", customer: { ccid: "LOAD-1", first_name: "Grace" } },
      });
    const first = await load();
    expect(first.status).toBe(200);
    expect((await relay.GET("/cdm/client/{client_id}/customer/{ccid}", path("LOAD-1"))).data).toMatchObject({
      first_name: "Grace",
    });
    const second = await load();
    expect(second.status).toBe(409);
    expect(second.error).toEqual({ message: `Customer LOAD-1 already exists for client ${clientId}` });
  });

  it(`allows ${relayLimits.numbersPerCcid} numbers per ccid and answers 409 beyond`, async () => {
    const { relay, onboard } = setup();
    const fifty = Array.from({ length: relayLimits.numbersPerCcid }, (_, i) => number(i));
    expect((await onboard("MANY", fifty)).status).toBe(200);
    const add = await relay.PUT("/cdm/client/{client_id}/customer/{ccid}/add_phone/{phone_number}", {
      params: { path: { client_id: clientId, ccid: "MANY", phone_number: number(999) } },
    });
    expect(add.status).toBe(409);
    expect(add.error).toEqual({
      message: `Customer MANY would have 51 phone numbers; at most 50 are allowed per ccid`,
    });
    // Onboarding adds numbers to the ones already there: the 51st is a conflict too.
    expect((await onboard("MANY", [number(998)])).status).toBe(409);
    // 51 in one request breaks the spec's maxItems: a 400 naming the field.
    const single = await onboard("TOO-MANY", [...fifty, number(998)]);
    expect(single.status).toBe(400);
    expect(single.error).toEqual({ message: "customer.notification_channels must NOT have more than 50 items" });
  });

  it(`allows one number on ${relayLimits.ccidsPerNumber} ccids and answers 409 beyond; deactivated ccids stop counting`, async () => {
    const { relay, onboard } = setup();
    for (let i = 0; i < relayLimits.ccidsPerNumber; i += 1)
      expect((await onboard(`SHARE-${i}`, ["6105557777"])).status).toBe(200);
    const over = await onboard("SHARE-50", ["6105557777"]);
    expect(over.status).toBe(409);
    expect(over.error).toEqual({
      message: "Phone number 6105557777 already belongs to 50 customers; at most 50 ccids are allowed per number",
    });
    await relay.DELETE("/cdm/client/{client_id}/customer/{ccid}", path("SHARE-0"));
    expect((await onboard("SHARE-50", ["6105557777"])).status).toBe(200);
  });

  it("isolates clients: one client_id never sees another's people", async () => {
    const { relay, onboard } = setup();
    await onboard("SECRET-1", ["6105551111"]);
    const other = await relay.GET("/cdm/client/{client_id}/customer/{ccid}", {
      params: { path: { client_id: "someone_else", ccid: "SECRET-1" } },
    });
    expect(other.status).toBe(404);
    expect((await relay.GET("/cdm/client/{client_id}/customer/{ccid}", path("SECRET-1"))).status).toBe(200);
  });

  it("answers 401 without the key, and with a key the seed does not accept for that client", async () => {
    const sandbox = inProcess({ seed: { relayCdm: { clients: { [clientId]: { apiKeys: ["right-key"] } } } } });
    expect(
      (await relayClientOf(sandbox, "wrong-key").GET("/cdm/client/{client_id}/customer/{ccid}", path("X"))).status,
    ).toBe(401);
    expect(
      (await relayClientOf(sandbox, "right-key").GET("/cdm/client/{client_id}/customer/{ccid}", path("X"))).status,
    ).toBe(404);
    const bare = sandbox.handle("relay-cdm", {
      method: "GET",
      path: `/cdm/client/${clientId}/customer/X`,
      headers: {},
    });
    expect(bare).toMatchObject({
      status: 401,
      body: { message: "Unauthorized: the xx-relay-api-key header is missing" },
    });
  });

  it("keeps a seeded client's product groups closed: onboarding into another one is 404", async () => {
    const sandbox = inProcess({ seed: { relayCdm: { clients: { [clientId]: { productGroups: ["default"] } } } } });
    const relay = relayClientOf(sandbox);
    const result = await relay.POST("/cdm/client/{client_id}/onboard", {
      params: { path: { client_id: clientId } },
      body: { product_group_id: "elsewhere", customer: { ccid: "C-1" } },
    });
    expect(result.status).toBe(404);
  });
});
