// `pnpm drift:seed <dir> --out seed.json`: recorded exchanges (cx-recording/1) become the fixtures
// `cx-sandbox --seed` takes: records seen in answers as `retrieved` fixtures, replayed exactly as
// recorded, records only sent in the request's form. Every fixture passes the sandbox's own seed
// check, and the sandbox started from the seed answers the recorded records; whatever cannot become
// a fixture is listed with its file, field and reason; the folder is read as data (bounded, no link
// followed).
import { mkdirSync, readFileSync, symlinkSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { pathToFileURL } from "node:url";
import { captureOutput, useTempFiles } from "@cx-openapi/devkit/testing";
import { createSandbox, sandboxFetch } from "@cx-openapi/sandbox";
import { apiNames, loadSpec, type ApiName, type OpenApiDoc } from "@cx-openapi/spec";
import { afterEach, describe, expect, it } from "vitest";
import { getApi, repoRoot } from "../../lib/apis.js";
import { commands, parseCommand } from "../../lib/cli.js";
import { driftSeed, seedDefaults, type SeedOptions } from "../../lib/drift-seed.js";
import { recordingLimits } from "../../lib/drift-seed-read.js";

const { dir } = useTempFiles("cx-openapi-drift-seed-");
const specs = Object.fromEntries(apiNames.map((api) => [api, loadSpec(getApi(api).bundleJson)])) as Record<
  ApiName,
  OpenApiDoc
>;
const options: SeedOptions = { apis: [...apiNames], ...seedDefaults };
type Schemas = Record<
  string,
  { enum?: string[]; properties?: Record<string, unknown>; additionalProperties?: unknown }
>;

interface Exchange {
  api?: ApiName;
  operationId: string;
  method?: string;
  path?: string;
  pathParameters?: Record<string, string>;
  requestBody?: unknown;
  status: number;
  body?: unknown;
  at?: string;
  /** Why the recorder left the response body out. */
  omitted?: string;
}

/** Writes recordings as `pnpm proxy --record` lays them out: `<operationId>/<NNNN>-<status>.json`. */
function recordings(exchanges: Exchange[], folder = dir()): string {
  const counts = new Map<string, number>();
  exchanges.forEach((exchange, i) => {
    const n = (counts.get(exchange.operationId) ?? 0) + 1;
    counts.set(exchange.operationId, n);
    const file = join(folder, exchange.operationId, `${String(n).padStart(4, "0")}-${exchange.status}.json`);
    mkdirSync(dirname(file), { recursive: true });
    writeFileSync(file, JSON.stringify(recordingOf(exchange, i)));
  });
  return folder;
}

function recordingOf(exchange: Exchange, i: number): unknown {
  const { requestBody, body } = exchange;
  return {
    format: "cx-recording/1",
    api: exchange.api ?? "relay-cdm",
    specVersion: "0.1.0",
    operationId: exchange.operationId,
    method: exchange.method ?? "GET",
    path: exchange.path ?? "/cdm/client/{client_id}/customer/{ccid}",
    request: {
      pathParameters: exchange.pathParameters ?? {},
      ...(requestBody === undefined ? {} : { contentType: "application/json", body: requestBody }),
    },
    response: {
      status: exchange.status,
      ...(body === undefined ? {} : { contentType: "application/json", body }),
      ...(exchange.omitted === undefined ? {} : { bodyOmitted: exchange.omitted }),
    },
    durationMs: 12,
    recordedAt: exchange.at ?? `2026-12-06T10:00:${String(i).padStart(2, "0")}.000Z`,
  };
}

const fakePerson = (ccid: string, consent = "written") => ({
  ccid,
  first_name: "Fakefirst",
  last_name: "Fakelast",
  notification_channels: [{ channel_type: "sms", channel_addr: "5550000001", consent_type: consent }],
});
const relayGet = (ccid: string, body: unknown = fakePerson(ccid), client = "fake_client"): Exchange => ({
  operationId: "getCustomer",
  pathParameters: { client_id: client, ccid },
  status: 200,
  body,
});
const hii = (operationId: string, status: number, rest: Partial<Exchange>): Exchange => ({
  api: "hiirelevate",
  operationId,
  method: "POST",
  path: "/customers",
  status,
  ...rest,
});
const hiiCustomer = (id: string) => ({
  id,
  displayName: "Fake Person",
  email: [{ value: `fake-${id.slice(-4)}@example.invalid`, primary: true }],
  birthdate: "1970-01-01T00:00:00.000Z",
  consents: [{ version: 1, url: "https://example.invalid/c/1", availableFrom: "2024-01-01T00:00:00.000Z" }],
  status: "active",
  createdBy: "vendor-user",
  createdDate: "2026-12-01T09:00:00.000Z",
});
const uuid = (n: number) => `00000000-0000-4000-8000-${String(n).padStart(12, "0")}`;

const relaySent = (ccid: string, group = "vip", operationId = "onboardCustomer"): Exchange => ({
  operationId,
  method: "POST",
  pathParameters: { client_id: "fake_client" },
  requestBody: { product_group_id: group, customer: fakePerson(ccid) },
  status: 200,
  body: { message: "Accepted" },
});

describe("drift:seed fixtures", () => {
  it("Relay: customers seen in answers as retrieved, ones only sent as sent, the newest view of each, in the product group the recordings name", () => {
    const folder = recordings([
      relaySent("FAKE-1"),
      relaySent("FAKE-4", "default", "loadCustomerRecord"),
      relayGet("FAKE-1"),
      relayGet("FAKE-2"),
      relayGet("FAKE-3", fakePerson("FAKE-3"), "other_client"),
      {
        operationId: "deactivateCustomer",
        method: "DELETE",
        pathParameters: { client_id: "fake_client", ccid: "FAKE-2" },
        status: 200,
      },
    ]);
    const { seed, skipped, counts } = driftSeed(folder, options, specs);
    expect(skipped).toEqual([]);
    expect(counts).toMatchObject({
      relayClients: ["fake_client", "other_client"],
      relayCustomers: 3,
      replaced: 1,
      removed: 1,
    });
    expect(seed.relayCdm).toEqual({
      clients: {
        fake_client: {
          productGroups: ["vip", "default"],
          apiKeys: ["sandbox-key"],
          retrieved: [{ productGroupId: "vip", customer: fakePerson("FAKE-1") }],
          customers: [{ product_group_id: "default", customer: fakePerson("FAKE-4") }],
        },
        other_client: {
          productGroups: ["default"],
          apiKeys: ["sandbox-key"],
          retrieved: [{ productGroupId: "default", customer: fakePerson("FAKE-3") }],
        },
      },
    });
  });

  it("HiiRelevate: customers exactly as answered, consents, segments and values as sent, in the client's tenant", () => {
    const folder = recordings([
      hii("createConsent", 201, {
        path: "/consents",
        requestBody: {
          name: "fake-consent",
          description: "Fake",
          isRequired: false,
          url: "https://example.invalid/c/1",
          availableFrom: "2024-01-01",
        },
      }),
      hii("createSegment", 201, {
        path: "/segments",
        requestBody: { name: "tier", daysValid: 30, allowMultiple: false },
      }),
      hii("createSegmentValue", 201, {
        path: "/segments/{segmentName}/values",
        pathParameters: { segmentName: "tier" },
        requestBody: { name: "gold", index: 1 },
      }),
      hii("createCustomer", 201, { requestBody: {}, body: hiiCustomer(uuid(1)) }),
      hii("findCustomer", 201, {
        path: "/customers/find",
        requestBody: {},
        body: [hiiCustomer(uuid(2)), hiiCustomer(uuid(3))],
      }),
      hii("getCustomer", 200, {
        method: "GET",
        path: "/customers/{customerId}",
        pathParameters: { customerId: uuid(3) },
        body: hiiCustomer(uuid(3)),
      }),
      hii("deleteCustomer", 200, {
        method: "DELETE",
        path: "/customers/{customerId}",
        pathParameters: { customerId: uuid(2) },
      }),
    ]);
    const { seed, skipped, counts } = driftSeed(folder, options, specs);
    expect(skipped).toEqual([]);
    expect(counts).toMatchObject({ customers: 2, consents: 1, segments: 1, values: 1 });
    const hiirelevate = seed.hiirelevate as { clients: unknown; tenants: Record<string, Record<string, unknown[]>> };
    expect(hiirelevate.clients).toEqual([{ clientId: "recorded", clientSecret: "sandbox-secret", tenant: "recorded" }]);
    const tenant = hiirelevate.tenants.recorded!;
    expect(tenant.segments).toEqual([
      { name: "tier", daysValid: 30, allowMultiple: false, values: [{ name: "gold", index: 1 }] },
    ]);
    expect(tenant.customers).toBeUndefined();
    // Status, creation and timestamps as the service returned them.
    expect(tenant.retrieved).toEqual([hiiCustomer(uuid(1)), hiiCustomer(uuid(3))]);
  });

  it("the sandbox started from the seed answers the recorded records to the seeded credentials", async () => {
    const folder = recordings([
      relayGet("FAKE-9"),
      hii("createCustomer", 201, { requestBody: {}, body: hiiCustomer(uuid(9)) }),
    ]);
    const sandbox = createSandbox({ specs, seed: driftSeed(folder, options, specs).seed });
    const relay = sandboxFetch(sandbox, "relay-cdm");
    const url = "http://127.0.0.1:1/cdm/client/fake_client/customer/FAKE-9";
    expect(await (await relay(url, { headers: { "xx-relay-api-key": "sandbox-key" } })).json()).toEqual(
      fakePerson("FAKE-9"),
    );
    expect((await relay(url, { headers: { "xx-relay-api-key": "another" } })).status).toBe(401);
    const hiiFetch = sandboxFetch(sandbox, "hiirelevate");
    const token = await hiiFetch("http://127.0.0.1:2/oauth2/token", {
      method: "POST",
      headers: { "content-type": "application/x-www-form-urlencoded" },
      body: "grant_type=client_credentials&client_id=recorded&client_secret=sandbox-secret",
    });
    const { access_token } = (await token.json()) as { access_token: string };
    const customer = await hiiFetch(`http://127.0.0.1:2/customers/${uuid(9)}`, {
      headers: { authorization: `Bearer ${access_token}` },
    });
    expect(await customer.json()).toEqual(hiiCustomer(uuid(9)));
  });
});

describe("drift:seed skips, each with its file and reason", () => {
  it("error answers, operations with nothing to seed, fixtures the seed check refuses, files that are no recording", () => {
    const folder = recordings([
      relayGet("FAKE-1"),
      {
        operationId: "getCustomer",
        pathParameters: { client_id: "fake_client", ccid: "FAKE-404" },
        status: 404,
        body: { message: "no" },
      },
      relayGet("FAKE-2", fakePerson("FAKE-2", "implied")),
      {
        operationId: "addCustomerPhone",
        method: "PUT",
        pathParameters: { client_id: "fake_client", ccid: "FAKE-1", phone_number: "5550000002" },
        status: 200,
        body: { message: "ok" },
      },
      hii("createSegmentValue", 201, {
        pathParameters: { segmentName: "never-created" },
        requestBody: { name: "x", index: 1 },
      }),
      hii("findCustomer", 201, {
        body: [hiiCustomer(uuid(1)), { ...hiiCustomer(uuid(2)), email: "fake@example.invalid" }],
      }),
      { operationId: "constructor", status: 200 },
      { ...relayGet("FAKE-3"), body: undefined, omitted: "larger than 1 MB" },
      relayGet("FAKE-5", { ...fakePerson("FAKE-5"), ccid: undefined }),
    ]);
    writeFileSync(join(folder, "faults.json"), "[]");
    writeFileSync(join(folder, "notes.txt"), "not a recording");
    writeFileSync(
      join(folder, "getCustomer", "0099-200.json"),
      JSON.stringify({ format: "cx-recording/1", api: "relay-cdm" }),
    );
    const { seed, skipped } = driftSeed(folder, options, specs);
    expect(skipped).toEqual([
      { file: "faults.json", reason: "the fault profile, not a recording (cx-sandbox --faults <api>=<file>)" },
      { file: "getCustomer/0099-200.json", reason: "specVersion must be a non-empty string" },
      { file: "notes.txt", reason: "not a .json file" },
      { file: "getCustomer/0002-404.json", reason: "status 404: an error answer describes no state to seed" },
      {
        file: "addCustomerPhone/0001-200.json",
        reason:
          "addCustomerPhone: nothing to seed from it (seeded: getCustomer, onboardCustomer, loadCustomerRecord, moveCustomerProductGroup, deactivateCustomer)",
      },
      { file: "createSegmentValue/0001-201.json", reason: "adds a value to a segment no earlier recording creates" },
      {
        file: "constructor/0001-200.json",
        reason: expect.stringMatching(/^constructor: nothing to seed from it/),
      },
      {
        file: "getCustomer/0004-200.json",
        reason: "response.body must be an object (the recording left the body out: larger than 1 MB)",
      },
      {
        file: "getCustomer/0003-200.json",
        reason:
          'response.body as getCustomer\'s answer: customer.notification_channels[0].consent_type must be one of: "written", "express", "stop"',
      },
      // The ccid the state keeps a customer by is never taken from the path: the answer lacked it.
      {
        file: "getCustomer/0005-200.json",
        reason: "response.body as getCustomer's answer: customer.ccid is missing (must be a string)",
      },
      { file: "findCustomer/0001-201.json", reason: "response.body[1] as getCustomer's answer: email must be array" },
    ]);
    expect(JSON.stringify(seed)).toContain("FAKE-1");
    expect(JSON.stringify(seed)).not.toContain("FAKE-2");
  });

  it("a sent record that passes alone but not beside the others (a number held by 51 ccids) is left out, with why; retrieved ones are kept as the vendor holds them", () => {
    const sent = Array.from({ length: 51 }, (_, i) => relaySent(`FAKE-${i}`));
    const seen = Array.from({ length: 51 }, (_, i) => relayGet(`SEEN-${i}`, fakePerson(`SEEN-${i}`), "other_client"));
    const { seed, skipped } = driftSeed(recordings([...sent, ...seen]), options, specs);
    expect(skipped).toEqual([
      {
        file: "onboardCustomer/0051-200.json",
        reason: expect.stringMatching(
          /^request\.body\.customer as a LoadCustomerRecordRequest, beside the other fixtures: .*Phone number 5550000001 already belongs to 50 customers/,
        ),
      },
    ]);
    const { clients } = seed.relayCdm as { clients: Record<string, { customers?: unknown[]; retrieved?: unknown[] }> };
    expect(clients.fake_client!.customers).toHaveLength(50);
    expect(clients.other_client!.retrieved).toHaveLength(51);
  });

  it("--api leaves the other API's recordings out, and says so", () => {
    const folder = recordings([relayGet("FAKE-1"), hii("createCustomer", 201, { body: hiiCustomer(uuid(1)) })]);
    const { seed, skipped } = driftSeed(folder, { ...options, apis: ["hiirelevate"] }, specs);
    expect(skipped).toEqual([{ file: "getCustomer/0001-200.json", reason: "--api leaves relay-cdm out" }]);
    expect(seed.relayCdm).toBeUndefined();
  });

  it("a deviating getCustomer answer is refused by the shipped spec, naming each field, and replayed exactly under a patched one", async () => {
    // As the deviating Relay vendor answers (devkit's deviating-vendor-relay-cdm.ts), with fake values.
    const deviating = {
      ...fakePerson("FAKE-2", "implied"),
      addresses: [{ address1: "1 Fake St", country: "USA" }],
      notification_channels: [
        { channel_type: "sms", channel_addr: "5550000001", consent_type: "implied", phone_type: "mobile-voip" },
      ],
      ext: { member_since: 1999, membership_level: "gold" },
    };
    const folder = recordings([relayGet("FAKE-2", deviating)]);
    expect(driftSeed(folder, options, specs).skipped).toEqual([
      {
        file: "getCustomer/0001-200.json",
        reason:
          "response.body as getCustomer's answer: " +
          'customer.notification_channels[0].consent_type must be one of: "written", "express", "stop"; ' +
          "customer.notification_channels[0].phone_type must NOT have more than 10 characters; " +
          "customer.ext.member_since must be string",
      },
    ]);
    const patched = structuredClone(specs["relay-cdm"]) as unknown as { components: { schemas: Schemas } };
    const { ConsentType, NotificationChannel, CustomerExtensionRecord } = patched.components.schemas;
    ConsentType!.enum!.push("implied");
    (NotificationChannel!.properties!.phone_type as { maxLength: number }).maxLength = 20;
    CustomerExtensionRecord!.additionalProperties = { type: ["string", "number"] };
    const patchedSpecs = { ...specs, "relay-cdm": patched as unknown as OpenApiDoc };
    const { seed, skipped } = driftSeed(folder, options, patchedSpecs);
    expect(skipped).toEqual([]);
    const sandbox = createSandbox({ specs: patchedSpecs, seed, checkResponses: true });
    const answer = await sandboxFetch(sandbox, "relay-cdm")(
      "http://127.0.0.1:1/cdm/client/fake_client/customer/FAKE-2",
      {
        headers: { "xx-relay-api-key": "sandbox-key" },
      },
    );
    expect(await answer.json()).toEqual(deviating);
  });
});

describe("drift:seed reads the folder as data", () => {
  afterEach(() => {
    recordingLimits.files = 10_000;
  });

  it("follows no symbolic link out of the folder, and says so", () => {
    const outside = recordings([relayGet("FAKE-OUT")]);
    const folder = recordings([relayGet("FAKE-IN")]);
    symlinkSync(join(outside, "getCustomer", "0001-200.json"), join(folder, "getCustomer", "0002-200.json"));
    symlinkSync(join(outside, "getCustomer"), join(folder, "linked"));
    const { seed, skipped } = driftSeed(folder, options, specs);
    expect(skipped).toEqual([
      { file: "getCustomer/0002-200.json", reason: "a symbolic link: not followed" },
      { file: "linked", reason: "a symbolic link: not followed" },
    ]);
    expect(JSON.stringify(seed)).not.toContain("FAKE-OUT");
  });

  it("refuses files past the limits of size and depth, and a folder of too many files", () => {
    const folder = recordings([relayGet("FAKE-1")]);
    writeFileSync(join(folder, "deep.json"), `${"[".repeat(70)}${"]".repeat(70)}`);
    writeFileSync(join(folder, "big.json"), `"${"x".repeat(recordingLimits.fileBytes)}"`);
    writeFileSync(join(folder, "latin1.json"), Buffer.from([0x22, 0xe9, 0x22]));
    expect(driftSeed(folder, options, specs).skipped).toEqual([
      { file: "big.json", reason: `larger than the limit of ${recordingLimits.fileBytes} bytes` },
      { file: "deep.json", reason: "nests deeper than the limit of 64 levels" },
      { file: "latin1.json", reason: "not UTF-8 JSON" },
    ]);
    recordingLimits.files = 3;
    expect(() => driftSeed(folder, options, specs)).toThrow("more than 3 files; point at a smaller folder");
  });
});

const commandUrl = pathToFileURL(join(repoRoot, "scripts/drift-seed.ts")).href;

/** What `pnpm drift:seed <args>` prints, run in this process. */
async function command(...args: string[]): Promise<string> {
  await import(commandUrl);
  const { run, ...rest } = commands.get(commandUrl)!;
  const { values, positionals } = parseCommand({ run, ...rest }, args);
  return (await captureOutput(() => run(values, positionals))).out;
}

describe("pnpm drift:seed", () => {
  it("writes the seed and says what it holds, what it skipped and how the seeded clients authenticate", async () => {
    const folder = recordings([
      relayGet("FAKE-1"),
      { operationId: "getCustomer", pathParameters: { ccid: "X", client_id: "c" }, status: 503 },
    ]);
    writeFileSync(join(folder, "faults.json"), "[]");
    const out = join(dir(), "seed.json");
    const printed = await command(folder, "--out", out, "--client-secret", "my-own-secret");
    expect(JSON.parse(readFileSync(out, "utf8"))).toMatchObject({ relayCdm: { clients: { fake_client: {} } } });
    expect(printed).toContain(`2 recordings read from ${folder}; the seed is ${out}:`);
    expect(printed).toContain("  relay-cdm: 1 customer of client fake_client");
    expect(printed).toContain("  getCustomer/0002-503.json: status 503: an error answer describes no state to seed");
    expect(printed).toContain("  relay-cdm: the header xx-relay-api-key: sandbox-key");
    expect(printed).not.toContain("my-own-secret");
    expect(printed).toContain(`Replay: pnpm sandbox --seed ${out} --faults relay-cdm=${join(folder, "faults.json")}`);
  });

  it.each([
    [["--out", "x.json"], "give one recording folder"],
    [["some-dir"], "--out is required"],
    [["d", "--out", "x", "--api", "relay"], '--api must be one of relay-cdm, hiirelevate; got "relay"'],
    [["d", "--out", "x", "--client-id", "bearer-1"], '--client-id must not start with "bearer-"'],
    [["d", "--out", "x", "--spec", "relay-cdm"], "--spec takes <api>=<file> once per API"],
  ])("refuses %j", async (args, message) => {
    await expect(command(...args)).rejects.toThrow(message);
  });
});
