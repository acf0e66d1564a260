// `pnpm proxy --record <dir>`: the recordings (cx-recording/1) the deviation proxy's exchanges
// become, and the fault profile beside them. Fed ProxiedExchange objects directly, as the proxy's
// onExchange hands them over: no Prism, no socket.
import { mkdirSync, readdirSync, readFileSync, statSync, writeFileSync } from "node:fs";
import { join, relative } from "node:path";
import { describe, expect, it } from "vitest";
import type { ProxiedExchange } from "@cx-openapi/sandbox";
import { checkFaultRules } from "@cx-openapi/sandbox";
import { createValidator, loadSpec, type OpenApiDoc } from "@cx-openapi/spec";
import { expectNothingLeaks, person, secrets, useTempFiles } from "@cx-openapi/devkit/testing";
import { getApi } from "../../lib/apis.js";
import { UsageError } from "../../lib/cli.js";
import { readRecordings } from "../../lib/drift-seed-read.js";
import { piiFakes } from "../../lib/pii-fakes.js";
import { proxyRecorder, type Recording } from "../../lib/proxy-record.js";
import { recordingFakes } from "../../lib/recording-fakes.js";

const { dir } = useTempFiles("cx-openapi-proxy-record-");
const spec = loadSpec(getApi("relay-cdm").bundleJson);
/** Compiled once for the file: each recorder still has fakes of its own. */
const validator = createValidator(spec);
const now = () => new Date("2026-12-06T10:00:00.000Z");
const customerPath = `/cdm/client/relay_developer/customer/${person.ccid}`;

function exchange(overrides: Partial<ProxiedExchange>): ProxiedExchange {
  return {
    method: "GET",
    path: customerPath,
    search: "",
    requestHeaders: { "xx-relay-api-key": secrets.apiKey, accept: "application/json" },
    requestBody: "",
    requestContentType: undefined,
    status: 200,
    contentType: "application/json",
    body: "",
    retryAfter: undefined,
    durationMs: 12,
    violations: [],
    ...overrides,
  };
}

const customer = {
  ccid: person.ccid,
  first_name: person.firstName,
  last_name: person.lastName,
  date_of_birth: person.dateOfBirth,
  ssn_last4: person.ssnLast4,
  notification_channels: [{ channel_type: "sms", channel_addr: person.phone, consent_type: "written" }],
};

/** Every file under `root`, by relative path. */
function filesOf(root: string): Record<string, string> {
  const found: Record<string, string> = {};
  const visit = (folder: string) => {
    for (const entry of readdirSync(folder, { withFileTypes: true })) {
      const path = join(folder, entry.name);
      if (entry.isDirectory()) visit(path);
      else found[relative(root, path)] = readFileSync(path, "utf8");
    }
  };
  visit(root);
  return found;
}

function record(exchanges: ProxiedExchange[], doc: OpenApiDoc = spec) {
  const root = join(dir(), "recording");
  const fakes = doc === spec ? recordingFakes(spec, piiFakes(spec, validator)) : undefined;
  const recorder = proxyRecorder(doc, "relay-cdm", root, { now, ...(fakes ? { fakes } : {}) });
  for (const one of exchanges) recorder.record(one);
  return { root, summary: recorder.finish(), files: () => filesOf(root) };
}

describe("a proxy recording", () => {
  it("writes each exchange of an operation to its operation's folder, for the user only, with the fault profile", () => {
    const { root, summary, files } = record([
      exchange({ body: JSON.stringify(customer), durationMs: 12 }),
      exchange({ status: 503, retryAfter: "30", body: JSON.stringify({ message: "busy" }), durationMs: 40 }),
      exchange({ path: "/no/such/route", status: 404 }),
      exchange({
        method: "POST",
        path: "/cdm/client/relay_developer/onboard",
        requestContentType: "application/json",
        requestBody: JSON.stringify({ product_group_id: "default", customer }),
        body: JSON.stringify({ message: `Customer ${person.ccid} onboarded` }),
      }),
    ]);
    expect(Object.keys(files()).sort()).toEqual([
      "faults.json",
      "getCustomer/0001-200.json",
      "getCustomer/0002-503.json",
      "onboardCustomer/0001-200.json",
    ]);
    expect(summary).toMatchObject({ recordings: 3, byOperation: { getCustomer: 2, onboardCustomer: 1 }, notes: [] });
    expect(statSync(root).mode & 0o777).toBe(0o700);
    expect(statSync(join(root, "getCustomer")).mode & 0o777).toBe(0o700);
    for (const file of Object.keys(files())) expect(statSync(join(root, file)).mode & 0o777, file).toBe(0o600);
    const read = (file: string) => JSON.parse(files()[file]!) as Recording;
    const got = read("getCustomer/0001-200.json");
    expect(got).toEqual({
      format: "cx-recording/1",
      api: "relay-cdm",
      specVersion: (spec.info as { version: string }).version,
      operationId: "getCustomer",
      method: "GET",
      path: "/cdm/client/{client_id}/customer/{ccid}",
      request: { pathParameters: { client_id: "relay_developer", ccid: expect.any(String) } },
      response: { status: 200, contentType: "application/json", body: expect.any(Object) },
      durationMs: 12,
      recordedAt: "2026-12-06T10:00:00.000Z",
    });
    const body = got.response.body as typeof customer;
    expect(body.ccid).toBe(got.request.pathParameters.ccid);
    expect(
      validator.validateResponse({ operationId: "getCustomer", status: 200, contentType: "application/json", body })
        .errors,
    ).toEqual([]);
    expect(read("getCustomer/0002-503.json").response).toMatchObject({ status: 503, retryAfter: "30" });
    const onboard = read("onboardCustomer/0001-200.json");
    expect(onboard.request).toMatchObject({ contentType: "application/json", body: { customer: { ccid: body.ccid } } });
    expect(onboard.response.body).toEqual({ message: `Customer ${body.ccid} onboarded` });
    const faults = JSON.parse(files()["faults.json"]!);
    expect(checkFaultRules(faults)).toEqual({ rules: faults });
    expect(faults).toContainEqual(
      expect.objectContaining({ operationId: "getCustomer", status: 503, probability: 0.5, retryAfter: 30 }),
    );
    expectNothingLeaks(Object.values(files()));
    // What drift:seed reads takes every recording as it is.
    const readBack = readRecordings(root);
    expect(readBack.read.map((r) => r.file).sort()).toEqual(
      Object.keys(files())
        .filter((f) => f !== "faults.json")
        .sort(),
    );
    expect(readBack.skipped.map((s) => s.file)).toEqual(["faults.json"]);
  });

  it("keeps no credential: no header but content types and Retry-After, no credential-named query parameter, none echoed", () => {
    const { files } = record([
      exchange({
        search: `?api_key=${secrets.clientSecret}&include=phones&session_id=${secrets.issuedToken}&x-signature=abcdef123`,
        requestHeaders: {
          "xx-relay-api-key": secrets.apiKey,
          authorization: `Bearer ${secrets.bearerToken}`,
          cookie: "sid=cookie-value-77",
        },
        status: 401,
        body: JSON.stringify({ message: `key ${secrets.apiKey} refused`, token: secrets.bearerToken }),
      }),
      exchange({
        status: 500,
        contentType: "text/plain",
        body: `failed for ${secrets.bearerToken} (${secrets.clientSecret})`,
      }),
    ]);
    const texts = Object.values(files());
    const got = JSON.parse(files()["getCustomer/0001-401.json"]!) as Recording;
    expect(got.request.query).toEqual({ include: "phones" });
    expect((got.response.body as { message: string }).message).toBe("key [redacted] refused");
    for (const name of ["xx-relay-api-key", "authorization", "cookie", "cookie-value-77", "abcdef123"])
      expect(texts.join("\n")).not.toContain(name);
    expectNothingLeaks(texts);
  });

  it("keeps a body that is not JSON as text, its personal values faked, and leaves out one too big or too deep", () => {
    const deep = `${"[".repeat(100)}${"]".repeat(100)}`;
    const { files } = record([
      exchange({ body: JSON.stringify(customer) }),
      exchange({ status: 404, contentType: "text/html", body: `<p>No customer ${person.ccid}</p>` }),
      exchange({ status: 500, body: deep }),
      exchange({ status: 502, body: JSON.stringify({ message: "x".repeat(1024 * 1024) }) }),
    ]);
    const read = (file: string) => (JSON.parse(files()[file]!) as Recording).response;
    const ccid = (read("getCustomer/0001-200.json").body as typeof customer).ccid;
    expect(read("getCustomer/0002-404.json").body).toBe(`<p>No customer ${ccid}</p>`);
    expect(read("getCustomer/0003-500.json")).toEqual({
      status: 500,
      contentType: "application/json",
      bodyOmitted: "nested deeper than 60 levels",
    });
    expect(read("getCustomer/0004-502.json").bodyOmitted).toMatch(/^larger than/);
    expectNothingLeaks(Object.values(files()));
  });

  it("writes nothing outside its folder: an operationId that is not a plain name is not recorded", () => {
    const escaping = structuredClone(spec) as OpenApiDoc;
    const item = escaping.paths!["/cdm/client/{client_id}/customer/{ccid}"] as { get: { operationId: string } };
    item.get.operationId = "../escaped";
    const { root, summary } = record([exchange({ body: "{}" })], escaping);
    expect(readdirSync(join(root, ".."))).toEqual(["recording"]);
    expect(Object.keys(filesOf(root))).toEqual(["faults.json"]);
    expect(summary.notes).toEqual(['"../escaped": not recorded (an operationId must be letters, digits, _ or -)']);
  });

  it("refuses a folder that already holds files", () => {
    const root = dir();
    writeFileSync(join(root, "earlier.json"), "{}");
    expect(() => proxyRecorder(spec, "relay-cdm", root)).toThrow(UsageError);
    expect(() => proxyRecorder(spec, "relay-cdm", root)).toThrow(/already exists and is not an empty folder/);
    const empty = join(dir(), "made-before");
    mkdirSync(empty);
    expect(() => proxyRecorder(spec, "relay-cdm", empty)).not.toThrow();
  });
});
