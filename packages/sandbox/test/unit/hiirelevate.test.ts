// HiiRelevate behaviour through the typed client, in process, with tokens from the sandbox's own
// OAuth2 client-credentials endpoint.
import { describe, expect, it } from "vitest";
import { createHiiRelevateClient, TokenRequestError } from "@cx-openapi/hiirelevate";
import { sandboxFetch } from "../../src/fetch.js";
import { plainTokenTenant } from "../../src/index.js";
import { hiiBase, hiiClientOf, inProcess } from "../helpers.js";

const newCustomer = {
  displayName: "Ada Lovelace",
  email: [{ value: "ada@example.com", primary: true }],
  phoneNumber: [{ value: "+461111111111" }],
  socialSecurityNumber: "18151210-0000",
};
const consent = {
  name: "marketing",
  description: "Offers by email",
  isRequired: false,
  url: "https://example.com/consents/marketing/v1",
  availableFrom: "2024-01-01",
};

describe("hiirelevate sandbox: the customer journey", () => {
  it("create -> find -> update -> consents -> segments -> devices -> delete -> get gives 404", async () => {
    const sandbox = inProcess();
    const hii = hiiClientOf(sandbox, "store-app");

    const created = await hii.POST("/customers", { body: newCustomer });
    expect(created.status).toBe(201);
    const id = created.data!.id!;
    expect(id).toMatch(/^[0-9a-f-]{36}$/);
    expect(created.data).toMatchObject({ ...newCustomer, id, consents: [], status: "active" });

    const found = await hii.POST("/customers/find", {
      body: { email: "ADA@example.com", phoneNumber: "+460000000000", socialSecurityNumber: "none" },
    });
    expect(found.status).toBe(201);
    expect(found.data?.map((c) => c.id)).toEqual([id]);
    const none = await hii.POST("/customers/find", {
      body: { email: "nobody@example.com", phoneNumber: "+460000000000", socialSecurityNumber: "none" },
    });
    expect(none.data).toEqual([]);

    expect(
      (
        await hii.PATCH("/customers/{customerId}", {
          params: { path: { customerId: id } },
          body: { displayName: "Countess Lovelace", gender: "female" },
        })
      ).status,
    ).toBe(200);
    const updated = await hii.GET("/customers/{customerId}", { params: { path: { customerId: id } } });
    expect(updated.data).toMatchObject({
      id,
      displayName: "Countess Lovelace",
      gender: "female",
      email: newCustomer.email,
    });

    expect((await hii.POST("/consents", { body: consent })).status).toBe(201);
    expect(
      (
        await hii.POST("/consents/{consentBaseId}/versions", {
          params: { path: { consentBaseId: "marketing" } },
          body: { ...consent, url: "https://example.com/consents/marketing/v2" },
        })
      ).status,
    ).toBe(201);
    expect(
      (
        await hii.POST("/consents/{consentBaseId}/versions", {
          params: { path: { consentBaseId: "unknown" } },
          body: consent,
        })
      ).status,
    ).toBe(404);
    expect(
      (
        await hii.POST("/customers/{customerId}/consents", {
          params: { path: { customerId: id } },
          body: ["marketing"],
        })
      ).status,
    ).toBe(201);
    const unknownConsent = await hii.POST("/customers/{customerId}/consents", {
      params: { path: { customerId: id } },
      body: ["nope"],
    });
    expect(unknownConsent.status).toBe(404);
    expect(unknownConsent.error).toEqual({ statusCode: 404, message: "Consent nope not found", error: "Not Found" });
    expect(
      (
        await hii.POST("/customers/{customerId}/channel-choices", {
          params: { path: { customerId: id } },
          body: [{ channelId: "sms", optIn: true }],
        })
      ).status,
    ).toBe(201);
    const withConsent = await hii.GET("/customers/{customerId}", { params: { path: { customerId: id } } });
    expect(withConsent.data?.consents).toEqual([
      expect.objectContaining({ version: 2, url: "https://example.com/consents/marketing/v2", status: "active" }),
    ]);
    expect(withConsent.data?.channelChoices).toEqual([{ channelId: "sms", optIn: true }]);

    expect((await hii.POST("/segments", { body: { name: "tier", daysValid: 30, allowMultiple: false } })).status).toBe(
      201,
    );
    for (const [name, index] of [
      ["gold", 1],
      ["silver", 2],
    ] as const) {
      expect(
        (
          await hii.POST("/segments/{segmentName}/values", {
            params: { path: { segmentName: "tier" } },
            body: { name, index },
          })
        ).status,
      ).toBe(201);
    }
    const customerPath = { params: { path: { customerId: id } } };
    expect(
      (
        await hii.POST("/customers/{customerId}/segments", {
          ...customerPath,
          body: { segment: "tier", segmentValue: "silver" },
        })
      ).status,
    ).toBe(201);
    expect(
      (
        await hii.POST("/customers/{customerId}/segments", {
          ...customerPath,
          body: { segment: "tier", segmentValue: "bronze" },
        })
      ).status,
    ).toBe(404);
    const moved = await hii.PUT("/customers/{customerId}/segments", {
      ...customerPath,
      body: {
        oldSegment: { segment: "tier", segmentValue: "silver" },
        newSegment: { segment: "tier", segmentValue: "gold", expires: "2999-12-31" },
      },
    });
    expect(moved.status).toBe(200);
    const stale = await hii.PUT("/customers/{customerId}/segments", {
      ...customerPath,
      body: {
        oldSegment: { segment: "tier", segmentValue: "silver" },
        newSegment: { segment: "tier", segmentValue: "gold" },
      },
    });
    expect(stale.status).toBe(404);

    expect(
      (
        await hii.POST("/customers/{customerId}/devices", {
          ...customerPath,
          body: { deviceOs: "android", deviceUid: "dev-1", token: "push-1" },
        })
      ).status,
    ).toBe(201);
    expect(
      (
        await hii.POST("/customers/{customerId}/devices", {
          ...customerPath,
          body: { deviceOs: "android", deviceUid: "dev-1", token: "push-2" },
        })
      ).status,
    ).toBe(201);
    const tenant = sandbox.store.state.hiirelevate.tenants["store-app"]!.customers[id]!;
    expect(tenant.devices).toEqual([{ deviceOs: "android", deviceUid: "dev-1", token: "push-2" }]);
    expect(tenant.segments).toEqual([{ segment: "tier", segmentValue: "gold", expires: "2999-12-31" }]);

    expect((await hii.DELETE("/customers/{customerId}", customerPath)).status).toBe(200);
    const gone = await hii.GET("/customers/{customerId}", customerPath);
    expect(gone.status).toBe(404);
    expect(gone.error).toEqual({ statusCode: 404, message: `Customer ${id} not found`, error: "Not Found" });
  });

  it("segments: daysValid sets the end of a membership without expires; allowMultiple lets values add up", async () => {
    const sandbox = inProcess();
    const hii = hiiClientOf(sandbox, "store-app");
    const id = (await hii.POST("/customers", { body: newCustomer })).data!.id!;
    await hii.POST("/segments", { body: { name: "interests", daysValid: 10, allowMultiple: true } });
    for (const [name, index] of [
      ["shoes", 1],
      ["hats", 2],
    ] as const)
      await hii.POST("/segments/{segmentName}/values", {
        params: { path: { segmentName: "interests" } },
        body: { name, index },
      });
    for (const segmentValue of ["shoes", "hats"])
      await hii.POST("/customers/{customerId}/segments", {
        params: { path: { customerId: id } },
        body: { segment: "interests", segmentValue },
      });
    const expires = new Date(Date.now() + 10 * 86_400_000).toISOString().slice(0, 10);
    expect(sandbox.store.state.hiirelevate.tenants["store-app"]!.customers[id]!.segments).toEqual([
      { segment: "interests", segmentValue: "shoes", expires },
      { segment: "interests", segmentValue: "hats", expires },
    ]);
  });

  it("isolates tenants: a client's token never sees another tenant's customers", async () => {
    const sandbox = inProcess();
    const a = hiiClientOf(sandbox, "tenant-a");
    const b = hiiClientOf(sandbox, "tenant-b");
    const id = (await a.POST("/customers", { body: newCustomer })).data!.id!;
    expect((await b.GET("/customers/{customerId}", { params: { path: { customerId: id } } })).status).toBe(404);
    expect(
      (
        await b.POST("/customers/find", {
          body: { email: newCustomer.email[0]!.value, phoneNumber: "x", socialSecurityNumber: "x" },
        })
      ).data,
    ).toEqual([]);
    expect((await a.GET("/customers/{customerId}", { params: { path: { customerId: id } } })).status).toBe(200);
  });

  it("maps a plain bearer token (not issued by the sandbox) to a tenant of its own, named by a digest of the token", async () => {
    const sandbox = inProcess();
    const fetch = sandboxFetch(sandbox, "hiirelevate");
    const plain = createHiiRelevateClient({ baseUrl: hiiBase, token: "my-dev-token", fetch });
    await plain.POST("/customers", { body: newCustomer });
    expect(Object.keys(sandbox.store.state.hiirelevate.tenants)).toEqual([plainTokenTenant("my-dev-token")]);
    expect(JSON.stringify(sandbox.store.state)).not.toContain("my-dev-token");
  });

  it("with registered clients: a wrong secret gets no token (401) and a token the sandbox did not issue gets 401", async () => {
    const sandbox = inProcess({
      seed: { hiirelevate: { clients: [{ clientId: "app", clientSecret: "right", tenant: "shop" }] } },
    });
    const wrong = hiiClientOf(sandbox, "app", "wrong");
    await expect(
      wrong.GET("/customers/{customerId}", {
        params: { path: { customerId: "3fa85f64-5717-4562-b3fc-2c963f66afa6" } },
      }),
    ).rejects.toThrow(TokenRequestError);
    const right = hiiClientOf(sandbox, "app", "right");
    expect((await right.POST("/customers", { body: newCustomer })).status).toBe(201);
    expect(Object.keys(sandbox.store.state.hiirelevate.tenants)).toEqual(["shop"]);
    const plain = createHiiRelevateClient({
      baseUrl: hiiBase,
      token: "made-up",
      fetch: sandboxFetch(sandbox, "hiirelevate"),
    });
    const refused = await plain.GET("/customers/{customerId}", {
      params: { path: { customerId: "3fa85f64-5717-4562-b3fc-2c963f66afa6" } },
    });
    expect(refused.status).toBe(401);
    expect(refused.error).toEqual({ statusCode: 401, message: "Unauthorized", error: "Unauthorized" });
  });

  it("answers validation failures in the NestJS shape, one message per broken rule, naming the field", async () => {
    const sandbox = inProcess();
    const hii = hiiClientOf(sandbox, "store-app");
    const bad = await hii.POST("/customers", { body: { displayName: 5, email: [{ primary: true }] } as never });
    expect(bad.status).toBe(400);
    expect(bad.error).toEqual({
      statusCode: 400,
      error: "Bad Request",
      message: ["email[0].value is required", "displayName must be string"],
    });
    const badId = await hii.GET("/customers/{customerId}", { params: { path: { customerId: "not-a-uuid" } } });
    expect(badId.error).toEqual({
      statusCode: 400,
      message: ['customerId must match format "uuid"'],
      error: "Bad Request",
    });
  });

  it("records Pub/Sub pushes, visible at GET /__sandbox/pubsub, and answers health without a token", async () => {
    const sandbox = inProcess();
    const hii = hiiClientOf(sandbox, "store-app");
    const push = {
      subscription: "projects/p/subscriptions/s",
      message: { data: "e30=", messageId: "1", attributes: { tenantId: "t", userId: "u", correlationId: "c" } },
    };
    expect((await hii.POST("/pubsub/channels", { body: push })).status).toBe(201);
    const listed = sandbox.handle("hiirelevate", { method: "GET", path: "/__sandbox/pubsub", headers: {} });
    expect(listed.body).toEqual([
      expect.objectContaining({ tenant: "store-app", subscription: push.subscription, message: push.message }),
    ]);
    expect(sandbox.handle("hiirelevate", { method: "GET", path: "/health", headers: {} }).status).toBe(200);
  });
});

describe("hiirelevate sandbox: consents a customer was created with", () => {
  it("are kept when a consent is given, and given again, after creation", async () => {
    const sandbox = inProcess({ empty: true });
    const hii = hiiClientOf(sandbox, "store-app");
    const atSignUp = { version: 1, url: "https://example.com/terms/v1", availableFrom: "2023-01-01" };
    const created = await hii.POST("/customers", { body: { ...newCustomer, consents: [atSignUp] } });
    const customerId = created.data!.id!;
    expect((await hii.POST("/consents", { body: consent })).status).toBe(201);
    for (let i = 0; i < 2; i++) {
      const given = await hii.POST("/customers/{customerId}/consents", {
        params: { path: { customerId } },
        body: ["marketing"],
      });
      expect(given.status).toBe(201);
    }
    const read = await hii.GET("/customers/{customerId}", { params: { path: { customerId } } });
    expect(read.data?.consents).toEqual([
      expect.objectContaining(atSignUp),
      expect.objectContaining({ version: 1, url: consent.url, status: "active" }),
    ]);
  });
});
