// The MSW handlers in Node: the real clients, with the global fetch, answered by the sandbox in
// process (no socket), every answer checked against the spec. And the handlers' module bundles for
// the browser without a Node built-in.
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { build } from "esbuild";
import { setupServer } from "msw/node";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { clientCredentials, createHiiRelevateClient } from "@cx-openapi/hiirelevate";
import { createRelayCdmClient } from "@cx-openapi/relay-cdm";
import { relayHandlers } from "../../src/relay-cdm.js";
import { sandboxHandlers } from "../../src/msw.js";
import { readFaultFile } from "../../src/launch-files.js";
import profile from "../fixtures/faults.json" with { type: "json" };
import { loadSpecs } from "../helpers.js";

// Never connected to: MSW answers before any socket is opened (onUnhandledRequest: "error").
const baseUrls = { "relay-cdm": "http://127.0.0.1:1", hiirelevate: "http://127.0.0.1:2" };
const { handlers, sandbox } = sandboxHandlers({
  specs: loadSpecs(),
  baseUrls,
  seed: {
    relayCdm: {
      clients: {
        shop: { customers: [{ product_group_id: "default", customer: { ccid: "SEEDED-1", first_name: "Grace" } }] },
      },
    },
  },
});
// A recorded fault profile, imported as it is: the handlers on this base URL start with its rules.
const faultedBase = "http://127.0.0.1:4";
const faulted = sandboxHandlers({
  specs: loadSpecs(),
  baseUrls: { "relay-cdm": faultedBase },
  faults: { "relay-cdm": profile },
  faultSeed: 5,
});
const server = setupServer(...handlers, ...faulted.handlers);
beforeAll(() => server.listen({ onUnhandledRequest: "error" }));
afterAll(() => server.close());

describe("sandbox MSW handlers (Node)", () => {
  it("serve the Relay client: seeded data, onboard then retrieve", async () => {
    const relay = createRelayCdmClient({ apiKey: "k", baseUrl: baseUrls["relay-cdm"] });
    const seeded = await relay.GET("/cdm/client/{client_id}/customer/{ccid}", {
      params: { path: { client_id: "shop", ccid: "SEEDED-1" } },
    });
    expect(seeded.data).toMatchObject({ ccid: "SEEDED-1", first_name: "Grace" });
    await relay.POST("/cdm/client/{client_id}/onboard", {
      params: { path: { client_id: "shop" } },
      body: { product_group_id: "default", customer: { ccid: "MSW-1" } },
    });
    expect(
      (
        await relay.GET("/cdm/client/{client_id}/customer/{ccid}", {
          params: { path: { client_id: "shop", ccid: "MSW-1" } },
        })
      ).status,
    ).toBe(200);
  });

  it("serve the HiiRelevate client with client credentials", async () => {
    const token = clientCredentials({
      tokenUrl: `${baseUrls.hiirelevate}/oauth2/token`,
      clientId: "app",
      clientSecret: "s",
    });
    const hii = createHiiRelevateClient({ baseUrl: baseUrls.hiirelevate, token });
    const created = await hii.POST("/customers", {
      body: { displayName: "Ada", email: [{ value: "ada@example.com" }] },
    });
    expect(created.status).toBe(201);
    expect(sandbox.store.state.hiirelevate.tenants.app?.customers[created.data!.id!]).toBeDefined();
  });

  it("validate every answer: one that breaks the spec becomes a 500 problem+json", async () => {
    const original = relayHandlers.getCustomer;
    relayHandlers.getCustomer = () => ({ status: 200, body: { ccid: 7 } }) as never;
    try {
      const response = await fetch(`${baseUrls["relay-cdm"]}/cdm/client/shop/customer/SEEDED-1`, {
        headers: { "xx-relay-api-key": "k" },
      });
      expect(response.status).toBe(500);
      expect(((await response.json()) as { validation: string[] }).validation.join()).toContain(
        "getCustomer 200 body: /ccid must be string",
      );
    } finally {
      relayHandlers.getCustomer = original;
    }
  });

  it("take a fault profile as cx-sandbox --faults does: its statuses, Retry-After and reset apply", async () => {
    const retrieve = () =>
      fetch(`${faultedBase}/cdm/client/relay_developer/customer/BAK-11984-007`, {
        headers: { "xx-relay-api-key": "k" },
      });
    const answers = await Promise.all(Array.from({ length: 40 }, retrieve));
    const unavailable = answers.filter((a) => a.status === 503);
    expect(unavailable.length).toBeGreaterThan(3);
    expect(answers.filter((a) => a.status === 200).length).toBeGreaterThan(20);
    expect(new Set(unavailable.map((a) => a.headers.get("retry-after")))).toEqual(new Set(["30"]));
    const deactivate = fetch(`${faultedBase}/cdm/client/relay_developer/customer/BAK-11984-007`, {
      method: "DELETE",
      headers: { "xx-relay-api-key": "k" },
    });
    await expect(deactivate).rejects.toThrow(/fetch/);
  });

  it("refuse a bad fault profile with the messages cx-sandbox --faults gives", () => {
    const bad = [{ operationId: "getCustomer", delayMs: { p50: 40, p90: 20 } }];
    const inMsw = () => sandboxHandlers({ specs: loadSpecs(), baseUrls, faults: { "relay-cdm": bad } });
    expect(inMsw).toThrow("sandboxHandlers: faults.relay-cdm: [0].delayMs.p90 must be at least p50 (40)");
    const file = join(mkdtempSync(join(tmpdir(), "cx-msw-faults-")), "faults.json");
    writeFileSync(file, JSON.stringify(bad));
    expect(() => readFaultFile("relay-cdm", file)).toThrow(`: [0].delayMs.p90 must be at least p50 (40)`);
    rmSync(dirname(file), { recursive: true });
  });

  it("bundle for the browser with no Node built-in", async () => {
    const result = await build({
      entryPoints: [new URL("../../src/msw.ts", import.meta.url).pathname],
      bundle: true,
      platform: "browser",
      format: "esm",
      write: false,
      external: ["msw"],
      logLevel: "silent",
    });
    expect(result.errors).toEqual([]);
    expect(result.outputFiles[0]!.text).not.toMatch(/from "node:|require\("node:/);
  });
});
