// The embedded store: persistence across restarts with atomic writes, corrupt files, seeds, reset.
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { SandboxDataError } from "../src/index.js";
import { inProcess, relayClientOf } from "./helpers.js";

const dirs: string[] = [];
afterEach(() => {
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});
function tempFile(name = "state.json"): string {
  const dir = mkdtempSync(join(tmpdir(), "cx-sandbox-test-"));
  dirs.push(dir);
  return join(dir, name);
}

const get = (sandbox: ReturnType<typeof inProcess>, ccid: string) =>
  relayClientOf(sandbox).GET("/cdm/client/{client_id}/customer/{ccid}", {
    params: { path: { client_id: "c1", ccid } },
  });
const load = (sandbox: ReturnType<typeof inProcess>, ccid: string) =>
  relayClientOf(sandbox).POST("/cdm/client/{client_id}/load-customer-record", {
    params: { path: { client_id: "c1" } },
    body: { product_group_id: "default", customer: { ccid, first_name: "Ada" } },
  });

describe("sandbox store", () => {
  it("--data keeps the state across restarts, written through a temp file (none is left behind)", async () => {
    const file = tempFile();
    const first = inProcess({ dataFile: file });
    expect((await load(first, "KEEP-1")).status).toBe(200);
    expect(readdirSync(join(file, ".."))).toEqual(["state.json"]);
    const restarted = inProcess({ dataFile: file });
    expect((await get(restarted, "KEEP-1")).data).toMatchObject({ ccid: "KEEP-1", first_name: "Ada" });
  });

  it("a corrupt data file stops start-up with a clear message and is never overwritten", () => {
    const file = tempFile();
    writeFileSync(file, '{"version": 1, "relayCdm": ');
    expect(() => inProcess({ dataFile: file })).toThrow(SandboxDataError);
    expect(() => inProcess({ dataFile: file })).toThrow(
      /--data .*state\.json: not valid JSON .*The file was left untouched/,
    );
    writeFileSync(file, JSON.stringify({ version: 7 }));
    expect(() => inProcess({ dataFile: file })).toThrow(/unknown "version" 7/);
    expect(readFileSync(file, "utf8")).toBe(JSON.stringify({ version: 7 }));
  });

  it("a missing data file starts from the seed and is created on the first change", async () => {
    const file = tempFile();
    const seed = {
      relayCdm: {
        clients: {
          c1: {
            productGroups: ["default"],
            customers: [{ product_group_id: "default", customer: { ccid: "SEED-1", first_name: "Grace" } }],
          },
        },
      },
    };
    const sandbox = inProcess({ dataFile: file, seed });
    expect(existsSync(file)).toBe(false);
    expect((await get(sandbox, "SEED-1")).data).toMatchObject({ first_name: "Grace" });
    await load(sandbox, "NEW-1");
    expect(JSON.parse(readFileSync(file, "utf8")).relayCdm.clients.c1.customers["NEW-1"].customer.first_name).toBe(
      "Ada",
    );
  });

  it("reset returns to the seed; PUT /__sandbox/seed replaces it", async () => {
    const seed = {
      hiirelevate: {
        tenants: {
          shop: {
            customers: [
              {
                id: "00000000-0000-4000-8000-000000000001",
                displayName: "Seeded",
                email: [{ value: "s@example.com" }],
              },
            ],
          },
        },
      },
    };
    const sandbox = inProcess({ seed });
    await load(sandbox, "TEMP-1");
    expect(sandbox.handle("relay-cdm", { method: "POST", path: "/__sandbox/reset", headers: {} }).status).toBe(204);
    expect((await get(sandbox, "TEMP-1")).status).toBe(404);
    expect(
      sandbox.store.state.hiirelevate.tenants.shop!.customers["00000000-0000-4000-8000-000000000001"]!.customer
        .displayName,
    ).toBe("Seeded");

    const reseed = sandbox.handle("relay-cdm", {
      method: "PUT",
      path: "/__sandbox/seed",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({
        relayCdm: { clients: { c1: { customers: [{ product_group_id: "default", customer: { ccid: "RESEEDED" } }] } } },
      }),
    });
    expect(reseed.status).toBe(204);
    expect((await get(sandbox, "RESEEDED")).status).toBe(200);
    expect(sandbox.store.state.hiirelevate.tenants.shop).toBeUndefined();
  });

  it("a bad seed names the fixture and the field", () => {
    expect(() =>
      inProcess({
        seed: { relayCdm: { clients: { c1: { customers: [{ product_group_id: "default", customer: {} }] } } } },
      }),
    ).toThrow("seed: relayCdm.clients.c1.customers[0]: customer.ccid is required");
    expect(() =>
      inProcess({
        seed: { hiirelevate: { tenants: { t: { customers: [{ id: "nope", displayName: "x", email: [] }] } } } },
      }),
    ).toThrow('seed: hiirelevate.tenants.t.customers[0].id: (body) must match format "uuid"');
    expect(() => inProcess({ seed: { relay: {} } })).toThrow(
      "seed: relay: unknown key (expected relayCdm, hiirelevate)",
    );
  });

  it("GET /__sandbox/state shows the data but no credential", () => {
    const sandbox = inProcess({
      seed: {
        relayCdm: { clients: { c1: { apiKeys: ["relay-secret-key"] } } },
        hiirelevate: { clients: [{ clientId: "app", clientSecret: "hii-secret" }] },
      },
    });
    const token = sandbox.handle("hiirelevate", {
      method: "POST",
      path: "/oauth2/token",
      headers: { authorization: `Basic ${btoa("app:hii-secret")}` },
      body: "grant_type=client_credentials",
    });
    const issued = (token.body as { access_token: string }).access_token;
    const shown = JSON.stringify(
      sandbox.handle("relay-cdm", { method: "GET", path: "/__sandbox/state", headers: {} }).body,
    );
    expect(shown).toContain('"clientId":"app"');
    for (const secret of ["relay-secret-key", "hii-secret", issued]) expect(shown).not.toContain(secret);
  });

  it("ids such as __proto__ are ordinary keys", async () => {
    const sandbox = inProcess();
    expect((await load(sandbox, "__proto__")).status).toBe(200);
    expect((await get(sandbox, "__proto__")).data).toMatchObject({ ccid: "__proto__" });
    expect((await get(sandbox, "constructor")).status).toBe(404);
  });
});
