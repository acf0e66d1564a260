// Record and replay, the sandbox side: recordings of a vendor that deviates from the spec (as the
// deviating Relay vendor answers getCustomer: a consent type the spec does not list, a phone type
// past its bound, a number in `ext`, a three-letter country) become a seed (`pnpm drift:seed`, run in
// this process), and cx-sandbox started from its command line with that seed, the recorded fault
// profile (--faults) and the spec patched to accept the deviations (--spec) serves the recorded
// customer exactly as recorded through the gate (in process), with the recorded share of 503s and
// their Retry-After, while the gate still refuses what the patched spec does not allow either.
// Without the patched spec the same seed is refused before anything starts.
import { mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { bundleDir } from "@cx-openapi/devkit/repo";
import { captureOutput, useTempFiles } from "@cx-openapi/devkit/testing";
import { runCli, type Launched } from "@cx-openapi/sandbox";
import { afterAll, describe, expect, it } from "vitest";
import { getApi, repoRoot } from "../../lib/apis.js";
import { commands, parseCommand } from "../../lib/cli.js";

const { dir } = useTempFiles("cx-openapi-replay-");
let launched: Launched | undefined;
afterAll(() => launched?.running.stop());

const customer = {
  ccid: "FAKE-CCID-7",
  first_name: "Testfirst",
  addresses: [{ address1: "1 Test St", state_province: "PA", country: "USA" }],
  notification_channels: [
    { channel_type: "sms", channel_addr: "5550100007", consent_type: "implied", phone_type: "mobile-voip" },
  ],
  ext: { member_since: 1999, membership_level: "gold" },
  product_group_id: "default",
};

/** A folder as `pnpm proxy --record` writes it: the vendor's getCustomer answer and its fault profile. */
function recordingFolder(): string {
  const folder = dir();
  mkdirSync(join(folder, "getCustomer"));
  const recording = {
    format: "cx-recording/1",
    api: "relay-cdm",
    specVersion: "0.1.0",
    operationId: "getCustomer",
    method: "GET",
    path: "/cdm/client/{client_id}/customer/{ccid}",
    request: { pathParameters: { client_id: "fake_client", ccid: customer.ccid } },
    response: { status: 200, contentType: "application/json", body: customer },
    durationMs: 3,
    recordedAt: "2026-12-06T10:00:00.000Z",
  };
  writeFileSync(join(folder, "getCustomer", "0001-200.json"), JSON.stringify(recording));
  const quantiles = { min: 0, p50: 1, p90: 2, p99: 3, max: 4 };
  const profile = [
    { operationId: "getCustomer", probability: 0.3, status: 503, retryAfter: 30, delayMs: quantiles },
    { operationId: "getCustomer", delayMs: quantiles },
  ];
  writeFileSync(join(folder, "faults.json"), JSON.stringify(profile));
  return folder;
}

/** The shipped Relay spec accepting what the vendor was seen sending (as drift:propose's --out would). */
function patchedSpec(): string {
  const spec = JSON.parse(readFileSync(getApi("relay-cdm").bundleJson, "utf8"));
  const schemas = spec.components.schemas;
  schemas.ConsentType.enum.push("implied");
  schemas.NotificationChannel.properties.phone_type.maxLength = 20;
  schemas.CustomerExtensionRecord.additionalProperties = { type: ["string", "number"] };
  const file = join(dir(), "relay-cdm.patched.json");
  writeFileSync(file, JSON.stringify(spec));
  return file;
}

async function driftSeed(...args: string[]): Promise<string> {
  const url = pathToFileURL(join(repoRoot, "scripts/drift-seed.ts")).href;
  await import(url);
  const { run, ...command } = commands.get(url)!;
  const { values, positionals } = parseCommand({ run, ...command }, args);
  return (await captureOutput(() => run(values, positionals))).out;
}

describe("cx-sandbox replays a recording", () => {
  it("--seed from drift:seed, --faults and --spec: the recorded customer exactly, error rate and Retry-After, through the gate", async () => {
    const folder = recordingFolder();
    const patched = patchedSpec();
    const seed = join(dir(), "seed.json");
    expect(await driftSeed(folder, "--out", seed, "--spec", `relay-cdm=${patched}`)).toContain(
      "relay-cdm: 1 customer of client fake_client",
    );
    expect(JSON.parse(readFileSync(seed, "utf8")).relayCdm.clients.fake_client.retrieved).toEqual([
      { productGroupId: "default", customer },
    ]);
    const args = ["--gate", "in-process", "--spec-dir", bundleDir, "--relay-cdm-port", "0", "--hiirelevate-port", "0"];
    args.push("--seed", seed, "--faults", `relay-cdm=${join(folder, "faults.json")}`);
    await expect(runCli(args)).rejects.toThrow(
      'customer.notification_channels[0].consent_type must be one of: "written", "express", "stop"',
    );
    launched = await runCli([...args, "--spec", `relay-cdm=${patched}`]);
    const url = `${launched!.running.urls["relay-cdm"]}/cdm/client/fake_client/customer/${customer.ccid}`;
    const answers: { status: number; retryAfter: string | null; body: unknown }[] = [];
    for (let i = 0; i < 100; i++) {
      const answer = await fetch(url, { headers: { "xx-relay-api-key": "sandbox-key" } });
      answers.push({ status: answer.status, retryAfter: answer.headers.get("retry-after"), body: await answer.json() });
    }
    const unavailable = answers.filter((a) => a.status === 503);
    expect(unavailable.length).toBeGreaterThanOrEqual(18);
    expect(unavailable.length).toBeLessThanOrEqual(42);
    expect(new Set(unavailable.map((a) => a.retryAfter))).toEqual(new Set(["30"]));
    const served = answers.filter((a) => a.status !== 503);
    expect(new Set(served.map((a) => a.status))).toEqual(new Set([200]));
    expect(served[0]!.body).toEqual(customer);
    // The gate still checks against the patched spec: a consent type it does not list either is a 500.
    const base = launched!.running.urls["relay-cdm"];
    const bogus = { ...customer, notification_channels: [{ channel_addr: "5550100007", consent_type: "bogus" }] };
    const override = [{ match: { operationId: "getCustomer" }, response: { status: 200, body: bogus } }];
    const put = await fetch(`${base}/__sandbox/overrides`, { method: "PUT", body: JSON.stringify(override) });
    expect(put.status).toBe(204);
    const faultsOff = await fetch(`${base}/__sandbox/faults`, { method: "DELETE" });
    expect(faultsOff.status).toBe(204);
    const refused = await fetch(url, { headers: { "xx-relay-api-key": "sandbox-key" } });
    expect(refused.status).toBe(500);
    expect(JSON.stringify(await refused.json())).toContain("consent_type");
  });
});
