// The spec-deviation proxy (`pnpm proxy`), with the sandbox as the upstream service and a
// deliberately deviating handler: deviations land in the report, conforming traffic does not.
import { spawnSync } from "node:child_process";
import { copyFileSync, readFileSync, mkdtempSync, rmSync } from "node:fs";
import { createServer, type Server } from "node:http";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  createSandbox,
  startDeviationProxy,
  type Deviation,
  type ProxiedExchange,
  type RunningDeviationProxy,
} from "../../src/index.js";
import { relayHandlers } from "../../src/relay-cdm.js";
import { closeServer, listen } from "../../src/http.js";
import { expectNoForwarding, nestedJson, startCanary, type Canary } from "@cx-openapi/devkit/testing";
import { loadSpecs, specFiles } from "../helpers.js";

let upstream: Server;
let proxy: RunningDeviationProxy;
let canary: Canary;
const gateEvents: string[] = [];
const exchanges: ProxiedExchange[] = [];
/** Settles with the message of the first fatal gate error: Prism keeps exiting or cannot start again. */
let gaveUp: (message: string) => void;
const gateGaveUp = new Promise<string>((resolve) => {
  gaveUp = resolve;
});
const dir = mkdtempSync(join(tmpdir(), "cx-proxy-test-"));
const reportFile = join(dir, "report.jsonl");
/** The proxy's own copy of the spec: the last test removes it, so that Prism cannot start again. */
const specFile = join(dir, "relay-cdm.json");

beforeAll(async () => {
  canary = await startCanary();
  const specs = loadSpecs();
  const sandbox = createSandbox({ specs });
  // The "real service": the sandbox's handlers with no gate of their own.
  const server = createServer((req, res) => {
    // GET .../customer/REDIRECT-<code>[-HOME]: a redirect to another origin (the canary), or home.
    if (req.url?.startsWith("/cdm/client/c1/customer/BUSY")) {
      res.writeHead(503, { "content-type": "application/json", "retry-after": "7" }).end('{"message":"busy"}');
      return;
    }
    const redirect = /\/customer\/REDIRECT-(\d{3})(-HOME)?$/.exec(req.url ?? "");
    if (redirect) {
      const location = redirect[2] ? "/cdm/client/c1/customer/PII-CCID-1" : `${canary.url}/stolen`;
      res.writeHead(Number(redirect[1]), { location }).end();
      return;
    }
    let body = "";
    req.on("data", (c: Buffer) => (body += c.toString()));
    req.on("end", () => {
      const headers = Object.fromEntries(
        Object.entries(req.headers).map(([k, v]) => [k, Array.isArray(v) ? v.join(", ") : v]),
      );
      const answer = sandbox.handle("relay-cdm", {
        method: req.method ?? "GET",
        path: (req.url ?? "/").split("?")[0]!,
        headers,
        body,
      });
      res.writeHead(answer.status, answer.headers).end(answer.body === undefined ? "" : JSON.stringify(answer.body));
    });
  });
  const started = await listen(server, "127.0.0.1", 0);
  upstream = started.server;
  copyFileSync(specFiles["relay-cdm"], specFile);
  proxy = await startDeviationProxy({
    specFile,
    spec: specs["relay-cdm"],
    target: started.url,
    reportFile,
    onGateEvent: (message) => gateEvents.push(message),
    onGateFatal: (error) => gaveUp(error.message),
    onExchange: (exchange) => exchanges.push(exchange),
  });
});
afterAll(async () => {
  await proxy?.stop();
  await canary?.close();
  if (upstream) await closeServer(upstream);
  rmSync(dir, { recursive: true, force: true });
});

const headers = { "xx-relay-api-key": "secret-key-123", "content-type": "application/json" };
const report = (): Deviation[] =>
  readFileSync(reportFile, "utf8")
    .split("\n")
    .filter(Boolean)
    .map((line) => JSON.parse(line) as Deviation);

describe("pnpm proxy: spec deviations of a service", () => {
  it("forwards conforming traffic unchanged and reports nothing", async () => {
    const onboard = await fetch(`${proxy.url}/cdm/client/c1/onboard`, {
      method: "POST",
      headers,
      body: JSON.stringify({ product_group_id: "default", customer: { ccid: "PII-CCID-1", first_name: "Ada" } }),
    });
    expect(onboard.status).toBe(200);
    const got = await fetch(`${proxy.url}/cdm/client/c1/customer/PII-CCID-1`, { headers });
    expect(await got.json()).toMatchObject({ first_name: "Ada" });
    expect(report()).toEqual([]);
  });

  it("reports a response that breaks the spec, and a request that does, by operation and rule, without bodies, paths or keys", async () => {
    const original = relayHandlers.getCustomer;
    relayHandlers.getCustomer = () => ({ status: 200, body: { ccid: "PII-CCID-1", first_name: 42 } }) as never;
    try {
      const deviating = await fetch(`${proxy.url}/cdm/client/c1/customer/PII-CCID-1`, { headers });
      expect(deviating.status).toBe(200);
      expect(await deviating.json()).toEqual({ ccid: "PII-CCID-1", first_name: 42 });
    } finally {
      relayHandlers.getCustomer = original;
    }
    await fetch(`${proxy.url}/cdm/client/c1/onboard`, {
      method: "POST",
      headers,
      body: JSON.stringify({ customer: { ccid: "PII-CCID-2" } }),
    });

    const lines = report();
    expect(lines.map((l) => [l.operationId, l.path, l.status])).toEqual([
      ["getCustomer", "/cdm/client/{client_id}/customer/{ccid}", 200],
      ["onboardCustomer", "/cdm/client/{client_id}/onboard", 400],
    ]);
    expect(lines[0]!.violations).toEqual([
      {
        side: "response",
        rule: "type",
        at: "response.body.first_name",
        message: "Response body property first_name must be string",
        severity: "Error",
      },
    ]);
    expect(lines[1]!.violations.map((v) => `${v.side} ${v.rule} ${v.at}`)).toEqual(["request required request.body"]);
    const text = readFileSync(reportFile, "utf8");
    for (const secret of ["PII-CCID", "secret-key-123", "Ada"]) expect(text).not.toContain(secret);
    expect(proxy.summary()).toEqual({
      requests: 4,
      deviating: 2,
      byOperation: { getCustomer: { "response type": 1 }, onboardCustomer: { "request required": 1 } },
    });
  });
});

describe("pnpm proxy: what --evidence and --record are handed", () => {
  it("hands over each exchange: the request's body, content type and query, the answer, its Retry-After and time", async () => {
    exchanges.length = 0;
    const body = JSON.stringify({ product_group_id: "default", customer: { ccid: "PII-CCID-3" } });
    await fetch(`${proxy.url}/cdm/client/c1/onboard?trace=on`, { method: "POST", headers, body });
    await fetch(`${proxy.url}/cdm/client/c1/customer/BUSY`, { headers });
    expect(exchanges).toEqual([
      expect.objectContaining({
        method: "POST",
        path: "/cdm/client/c1/onboard",
        search: "?trace=on",
        requestBody: body,
        requestContentType: "application/json",
        status: 200,
        durationMs: expect.any(Number),
      }),
      expect.objectContaining({ method: "GET", status: 503, retryAfter: "7", body: '{"message":"busy"}' }),
    ]);
  });
});

describe("pnpm proxy: credentials stay on the target's origin", () => {
  it("no request target reaches another host: the canary gets nothing", async () => {
    await expectNoForwarding(proxy.url, canary, { headers, refused: (status) => status === 400 });
  });

  it.each([301, 302, 303, 307, 308])(
    "a %i to another origin comes back unfollowed, and the key never leaves",
    async (code) => {
      const before = canary.hits();
      const answer = await fetch(`${proxy.url}/cdm/client/c1/customer/REDIRECT-${code}`, {
        headers,
        redirect: "manual",
      });
      expect(answer.status).toBe(code);
      expect(answer.headers.get("location")).toBe(`${canary.url}/stolen`);
      expect(canary.hits()).toBe(before);
    },
  );

  it("a redirect within the target's origin points back at the proxy", async () => {
    const answer = await fetch(`${proxy.url}/cdm/client/c1/customer/REDIRECT-302-HOME`, {
      headers,
      redirect: "manual",
    });
    expect(answer.headers.get("location")).toBe(`${proxy.url}/cdm/client/c1/customer/PII-CCID-1`);
  });
});

describe("pnpm proxy: limits and a Prism that exits", () => {
  it("an oversized body gets 413 and a deep one 400, before Prism; Prism stays up", async () => {
    const post = (body: string) => fetch(`${proxy.url}/cdm/client/c1/onboard`, { method: "POST", headers, body });
    expect((await post(`{"pad":"${"x".repeat(1024 * 1024)}"}`)).status).toBe(413);
    expect((await post(`{"a":${nestedJson(5000)}}`)).status).toBe(400);
    expect((await fetch(`${proxy.url}/cdm/client/c1/customer/PII-CCID-1`, { headers })).status).toBe(200);
  });

  // That Prism is started again is proven once, for the sandbox's gate (gate.test.ts), whose
  // supervisor the proxy shares; here its spec is gone, so no second Prism costs its start-up.
  it("answers 503 with Retry-After while its Prism is down, and reports a Prism that cannot start again", async () => {
    rmSync(specFile);
    const ps = spawnSync("ps", ["-o", "pid=,args=", "--ppid", String(process.pid)], { encoding: "utf8" });
    const prism = ps.stdout.split("\n").find((line) => line.includes("prism") && line.includes("cx-prism-"));
    process.kill(Number(prism!.trim().split(/\s+/)[0]), "SIGKILL");
    expect(await gateGaveUp).toMatch(/^proxy: Prism could not start again: .*ENOENT/);
    expect(gateEvents.join("\n")).toContain("proxy: Prism exited (signal SIGKILL); restarting it");
    const answer = await fetch(`${proxy.url}/cdm/client/c1/customer/PII-CCID-1`, { headers });
    expect([answer.status, answer.headers.get("retry-after")]).toEqual([503, "1"]);
    expect(await answer.text()).toBe("proxy: Prism is restarting\n");
  });
});
