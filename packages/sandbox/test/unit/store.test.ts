// The embedded store: persistence across restarts with atomic writes, corrupt files, seeds, reset.
import {
  existsSync,
  lstatSync,
  mkdirSync,
  readdirSync,
  readFileSync,
  statSync,
  symlinkSync,
  writeFileSync,
} from "node:fs";
import { dirname, join } from "node:path";
import { useTempFiles } from "@cx-openapi/devkit/testing";
import { describe, expect, it } from "vitest";
import { fileStore } from "../../src/file-store.js";
import { relayHandlers } from "../../src/relay-cdm.js";
import { type Persistence, SandboxDataError, SandboxSaveError, Store } from "../../src/store.js";
import { hiiClientOf, inProcess, relayClientOf } from "../helpers.js";

const { file: tempFile } = useTempFiles("cx-sandbox-test-");

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
    expect(() => inProcess({ dataFile: file })).toThrow(
      /: version: must be 1 \(the version this sandbox writes\), got 7\./,
    );
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

/** A file store whose disk can be made to refuse writes, as a full disk does. */
function refusingDisk(file: string): Persistence & { refuse: boolean } {
  const disk = fileStore(file);
  const persistence = {
    refuse: false,
    load: () => disk.load(),
    save: (text: string) => {
      if (persistence.refuse)
        throw Object.assign(new Error(`ENOSPC: no space left on device, write '${file}'`), { code: "ENOSPC" });
      disk.save(text);
    },
  };
  return persistence;
}

const onboard = (sandbox: ReturnType<typeof inProcess>, ccid: string, extra: Record<string, unknown> = {}) =>
  relayClientOf(sandbox).POST("/cdm/client/{client_id}/onboard", {
    params: { path: { client_id: "c1" } },
    body: { product_group_id: "default", customer: { ccid, first_name: "Ada", ...extra } },
  });
const control = (sandbox: ReturnType<typeof inProcess>, method: string, path: string, body?: unknown) =>
  sandbox.handle("relay-cdm", {
    method,
    path,
    headers: { "content-type": "application/json" },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
const emptyFile = { version: 1, relayCdm: { clients: {} }, hiirelevate: { tenants: {}, clients: [], tokens: {} } };

describe("sandbox store: durable writes", () => {
  it("a write that cannot be saved is answered 500 in the API's error shape and undone; later writes are saved", async () => {
    const file = tempFile();
    const disk = refusingDisk(file);
    const sandbox = inProcess({ persistence: disk, empty: true });
    expect((await load(sandbox, "SAVED-1")).status).toBe(200);
    const hii = hiiClientOf(sandbox, "shop");
    expect((await hii.POST("/customers", { body: { displayName: "Kept", email: [] } })).status).toBe(201);

    disk.refuse = true;
    const refused = await onboard(sandbox, "LOST-1");
    expect(refused.status).toBe(500);
    expect(refused.error).toEqual({ message: "The sandbox could not save the change (ENOSPC), so it was not applied" });
    const refusedHii = await hii.POST("/customers", { body: { displayName: "Lost", email: [] } });
    expect(refusedHii.status).toBe(500);
    expect(refusedHii.error).toEqual({
      statusCode: 500,
      message: "The sandbox could not save the change (ENOSPC), so it was not applied",
      error: "Internal Server Error",
    });
    expect((await get(sandbox, "LOST-1")).status).toBe(404);
    const shown = control(sandbox, "GET", "/__sandbox/state");
    expect(shown.status).toBe(200);
    expect(JSON.stringify(shown.body)).not.toMatch(/LOST-1|"Lost"/);

    disk.refuse = false;
    expect((await onboard(sandbox, "SAVED-2")).status).toBe(200);
    const restarted = inProcess({ dataFile: file });
    expect((await get(restarted, "SAVED-1")).status).toBe(200);
    expect((await get(restarted, "SAVED-2")).status).toBe(200);
    expect((await get(restarted, "LOST-1")).status).toBe(404);
    const names = Object.values(restarted.store.state.hiirelevate.tenants.shop!.customers).map(
      (r) => r.customer.displayName,
    );
    expect(names).toEqual(["Kept"]);
  });

  it("reset, seed and token requests that cannot be saved leave the state as it was and say so", async () => {
    const file = tempFile();
    const disk = refusingDisk(file);
    const sandbox = inProcess({ persistence: disk });
    expect((await load(sandbox, "KEPT-1")).status).toBe(200);
    disk.refuse = true;
    const message = "The sandbox could not save the change (ENOSPC), so it was not applied";
    expect(control(sandbox, "POST", "/__sandbox/reset")).toMatchObject({ status: 500, body: { message } });
    expect(control(sandbox, "PUT", "/__sandbox/seed", {})).toMatchObject({ status: 500, body: { message } });
    expect(() => sandbox.reset()).toThrow(SandboxSaveError);
    const token = sandbox.handle("hiirelevate", {
      method: "POST",
      path: "/oauth2/token",
      headers: { authorization: `Basic ${btoa("app:secret")}` },
      body: "grant_type=client_credentials",
    });
    expect(token).toMatchObject({ status: 500, body: { error: "server_error", error_description: message } });
    expect((await get(sandbox, "KEPT-1")).status).toBe(200);
    expect(Object.keys(sandbox.store.state.hiirelevate.tokens)).toEqual([]);
    disk.refuse = false;
    expect(control(sandbox, "POST", "/__sandbox/reset").status).toBe(204);
    expect((await get(inProcess({ dataFile: file }), "KEPT-1")).status).toBe(404);
  });

  it("a write whose handler fails half-way leaves nothing behind, in memory or on disk", async () => {
    const file = tempFile();
    const sandbox = inProcess({ dataFile: file });
    const original = relayHandlers.onboardCustomer;
    relayHandlers.onboardCustomer = (input, state) => {
      original(input, state);
      throw new Error("failed after changing the state");
    };
    try {
      expect((await onboard(sandbox, "HALF-1")).status).toBe(500);
    } finally {
      relayHandlers.onboardCustomer = original;
    }
    expect((await get(sandbox, "HALF-1")).status).toBe(404);
    expect((await onboard(sandbox, "WHOLE-1")).status).toBe(200);
    expect(readFileSync(file, "utf8")).not.toContain("HALF-1");
  });

  it("a change that cannot be serialized is undone: the state returns exactly to what was last saved", () => {
    const store = new Store({ persistence: fileStore(tempFile()) });
    store.state.relayCdm.clients.c1 = { productGroups: ["default"], closed: true, apiKeys: [], customers: {} };
    store.commit();
    const saved = JSON.stringify(store.state);
    store.state.relayCdm.clients.c1!.productGroups.push("vip");
    store.state.relayCdm.clients.c2 = { productGroups: [10n as never], closed: false, apiKeys: [], customers: {} };
    expect(() => store.commit()).toThrow(SandboxSaveError);
    expect(() => store.commit()).not.toThrow();
    expect(JSON.stringify(store.state)).toBe(saved);
  });
});

describe("sandbox store: the data file", () => {
  it("is compact, and grows linearly: N similar records cost N times one, a deep field costs its text", async () => {
    const sizeWith = async (count: number, extra: Record<string, unknown> = {}) => {
      const file = tempFile();
      const sandbox = inProcess({ dataFile: file });
      for (let i = 0; i < count; i++) await onboard(sandbox, `LIN-${String(i).padStart(4, "0")}`, extra);
      return { size: statSync(file).size, text: readFileSync(file, "utf8") };
    };
    const one = await sizeWith(1);
    const two = await sizeWith(2);
    const many = await sizeWith(201);
    expect(one.text).not.toMatch(/\n\s/);
    const perRecord = two.size - one.size;
    expect(perRecord).toBeLessThan(200);
    expect(Math.abs(many.size - one.size - 200 * perRecord)).toBeLessThanOrEqual(200 * 0.02 * perRecord);

    // Inside the default depth limit (64), which refuses deeper bodies before they are parsed.
    const depth = 60;
    let deep: unknown = [];
    for (let i = 1; i < depth; i++) deep = [deep];
    const nested = await sizeWith(1, { extra: deep });
    const flat = await sizeWith(1, { extra: [] });
    expect(nested.size - flat.size).toBe(2 * (depth - 1));
  });

  it("a data file that breaks the state's shape stops start-up, naming the file and the JSON path", () => {
    const file = tempFile();
    const client = { productGroups: ["default"], closed: false, apiKeys: [], customers: {} };
    const person = { customer: { ccid: "P-1", notification_channels: [] }, productGroupId: "default", active: true };
    const tenant = { customers: {}, consents: {}, segments: {}, pubsub: [] };
    const cases: [unknown, string][] = [
      [[], "(root): must be an object, got a list"],
      [{ ...emptyFile, relayCdm: { clients: { c1: null } } }, "relayCdm.clients.c1: must be an object, got null"],
      [{ ...emptyFile, relayCdm: null }, "relayCdm: must be an object, got null"],
      [
        { ...emptyFile, relayCdm: { clients: { c1: { ...client, apiKeys: "k" } } } },
        "relayCdm.clients.c1.apiKeys: must be a list, got a string",
      ],
      [
        {
          ...emptyFile,
          relayCdm: { clients: { c1: { ...client, customers: { "P 1": { ...person, customer: { ccid: "P 1" } } } } } },
        },
        'relayCdm.clients.c1.customers["P 1"].customer.notification_channels: is missing (must be a list)',
      ],
      [
        {
          ...emptyFile,
          relayCdm: {
            clients: {
              c1: {
                ...client,
                customers: {
                  "P-1": {
                    ...person,
                    customer: { ccid: "P-1", notification_channels: [{ channel_addr: 6105551212 }] },
                  },
                },
              },
            },
          },
        },
        "relayCdm.clients.c1.customers.P-1.customer.notification_channels[0].channel_addr: must be a string, got a number",
      ],
      [
        { ...emptyFile, hiirelevate: { ...emptyFile.hiirelevate, tenants: { t: { ...tenant, customers: null } } } },
        "hiirelevate.tenants.t.customers: must be an object, got null",
      ],
      [
        {
          ...emptyFile,
          hiirelevate: {
            ...emptyFile.hiirelevate,
            tenants: { t: { ...tenant, consents: { m: { name: "m", versions: [] } } } },
          },
        },
        "hiirelevate.tenants.t.consents.m.versions: must be a non-empty list, got an empty list",
      ],
      [
        {
          ...emptyFile,
          hiirelevate: {
            ...emptyFile.hiirelevate,
            tenants: {
              t: {
                ...tenant,
                segments: {
                  tier: { definition: { name: "tier", daysValid: 1 }, values: [{ name: "gold", index: "1" }] },
                },
              },
            },
          },
        },
        "hiirelevate.tenants.t.segments.tier.values[0].index: must be a number, got a string",
      ],
      [
        {
          ...emptyFile,
          hiirelevate: {
            ...emptyFile.hiirelevate,
            tenants: {
              t: {
                ...tenant,
                customers: {
                  x: {
                    customer: { id: "x", email: [{ value: 5 }] },
                    consentIds: [],
                    segments: [],
                    devices: [],
                  },
                },
              },
            },
          },
        },
        "hiirelevate.tenants.t.customers.x.customer.email[0].value: must be a string, got a number",
      ],
      [
        { ...emptyFile, hiirelevate: { ...emptyFile.hiirelevate, clients: [{ clientId: "a", clientSecret: 5 }] } },
        "hiirelevate.clients[0].clientSecret: must be a string, got a number",
      ],
      [
        { ...emptyFile, hiirelevate: { ...emptyFile.hiirelevate, tokens: { sbx_secret: { tenant: "t" } } } },
        "hiirelevate.tokens.<token 1>.expiresAt: is missing (must be a number)",
      ],
    ];
    for (const [content, problem] of cases) {
      writeFileSync(file, JSON.stringify(content));
      expect(() => inProcess({ dataFile: file })).toThrow(
        `--data ${file}: ${problem}. The file was left untouched; fix it, or move it away to start empty.`,
      );
      expect(readFileSync(file, "utf8")).toBe(JSON.stringify(content));
    }
  });

  it("keeps top-level keys it does not know, across writes, reset and seed", async () => {
    const file = tempFile();
    writeFileSync(file, JSON.stringify({ ...emptyFile, notes: { owner: "qa" }, nextFeature: [1, 2] }));
    const sandbox = inProcess({ dataFile: file });
    expect((await load(sandbox, "K-1")).status).toBe(200);
    expect(JSON.parse(readFileSync(file, "utf8"))).toMatchObject({ notes: { owner: "qa" }, nextFeature: [1, 2] });
    expect(control(sandbox, "POST", "/__sandbox/reset").status).toBe(204);
    expect(control(sandbox, "PUT", "/__sandbox/seed", {}).status).toBe(204);
    const kept = JSON.parse(readFileSync(file, "utf8"));
    expect(kept).toMatchObject({ notes: { owner: "qa" }, nextFeature: [1, 2] });
    expect(kept.relayCdm.clients).toEqual({});
    expect(JSON.stringify(control(sandbox, "GET", "/__sandbox/state").body)).not.toContain("nextFeature");
  });

  it("a symlinked data file stays a symlink: the sandbox writes the file it points to", async () => {
    const link = tempFile();
    const realDir = join(dirname(tempFile()), "real");
    mkdirSync(realDir);
    const real = join(realDir, "state.json");
    writeFileSync(real, JSON.stringify(emptyFile));
    symlinkSync(real, link);
    const sandbox = inProcess({ dataFile: link });
    expect((await load(sandbox, "LINKED-1")).status).toBe(200);
    expect(lstatSync(link).isSymbolicLink()).toBe(true);
    expect(JSON.parse(readFileSync(real, "utf8")).relayCdm.clients.c1.customers["LINKED-1"]).toBeDefined();
    expect(readdirSync(realDir)).toEqual(["state.json"]);
    expect(readdirSync(dirname(link))).toEqual(["state.json"]);

    // A link to a file that does not exist yet: the file is created where the link points.
    const dangling = tempFile();
    const target = join(dirname(dangling), "target.json");
    symlinkSync("target.json", dangling);
    const fresh = inProcess({ dataFile: dangling });
    expect((await load(fresh, "LINKED-2")).status).toBe(200);
    expect(lstatSync(dangling).isSymbolicLink()).toBe(true);
    expect(existsSync(target)).toBe(true);
    expect((await get(inProcess({ dataFile: dangling }), "LINKED-2")).status).toBe(200);
  });
});
