// The request journal: each API's last exchanges, redacted (credentials always, `x-pii` values unless
// --journal-pii), as JSON, as server-sent events and as HAR, and the inspector page that shows it.
// In process through sandboxFetch (the transport-free exchange), and over HTTP on 127.0.0.1 where the
// front matters (same-origin rules, the stream closing with the server).
import { readFileSync } from "node:fs";
import { get, type IncomingMessage } from "node:http";
import { expectNothingLeaks, person, rawRequest, secrets } from "@cx-openapi/devkit/testing";
import { apiNames } from "@cx-openapi/spec";
import { afterEach, describe, expect, it } from "vitest";
import { parseCli } from "../../src/cli.js";
import { sandboxFetch } from "../../src/fetch.js";
import { launchSandbox } from "../../src/launch.js";
import { journalEntry } from "../../src/journal-entry.js";
import { journalStream, maxJournalEntries, maxSubscribers, type JournalEntry } from "../../src/journal.js";
import type { Sandbox } from "../../src/sandbox.js";
import { serveSandbox, type RunningSandbox } from "../../src/server.js";
import { hiiBase, inProcess, loadSpecs, relayBase, specFiles } from "../helpers.js";

const key = { "xx-relay-api-key": secrets.apiKey, "content-type": "application/json" };
const onboardBody = (ccid = person.ccid) =>
  JSON.stringify({
    product_group_id: "default",
    customer: {
      ccid,
      first_name: person.firstName,
      notification_channels: [{ channel_addr: person.phone, consent_type: "written" }],
    },
  });

function relayOf(sandbox: Sandbox) {
  const call = sandboxFetch(sandbox, "relay-cdm");
  return {
    call: (path: string, init: RequestInit = {}) => call(`${relayBase}${path}`, init),
    onboard: (headers: Record<string, string> = {}, ccid = person.ccid) =>
      call(`${relayBase}/cdm/client/c1/onboard`, {
        method: "POST",
        headers: { ...key, ...headers },
        body: onboardBody(ccid),
      }),
    journal: async (query = "", headers: Record<string, string> = {}) =>
      (await (await call(`${relayBase}/__sandbox/requests${query}`, { headers })).json()) as JournalEntry[],
  };
}

/** Reads a server-sent event stream until `count` `data:` events arrived (1 s deadline each). */
async function readEvents(
  body: ReadableStream<Uint8Array>,
  count: number,
): Promise<{ events: unknown[]; text: string }> {
  const reader = body.getReader();
  const decoder = new TextDecoder();
  let text = "";
  const events = () => [...text.matchAll(/^data: (.*)$/gm)].map((m) => JSON.parse(m[1]!) as unknown);
  while (events().length < count) {
    const next = await Promise.race([
      reader.read(),
      new Promise<never>((_, reject) => setTimeout(() => reject(new Error(`no event within 1 s: ${text}`)), 1000)),
    ]);
    if (next.done) break;
    text += decoder.decode(next.value, { stream: true });
  }
  await reader.cancel();
  return { events: events(), text };
}

describe("journal: what each exchange records", () => {
  it("lists exchanges newest first: time, method, path template, operationId, status, latency, fault, namespace, violations", async () => {
    const sandbox = inProcess({ now: () => Date.parse("2030-01-02T03:04:05Z") });
    const relay = relayOf(sandbox);
    expect((await relay.onboard()).status).toBe(200);
    await relay.call(`/cdm/client/c1/customer/${person.ccid}`, { headers: key });
    await relay.onboard({ "x-sandbox-fault-status": "503", "x-sandbox-retry-after": "2", "x-sandbox-namespace": "w1" });
    await relay.call("/cdm/client/c1/onboard", { method: "POST", headers: key, body: '{"customer":{"ccid":"X"}}' });
    const entries = await relay.journal();
    expect(entries.map((e) => [e.method, e.path, e.operationId, e.status, e.namespace])).toEqual([
      ["POST", "/cdm/client/{client_id}/onboard", "onboardCustomer", 400, ""],
      ["POST", "/cdm/client/{client_id}/onboard", "onboardCustomer", 503, "w1"],
      ["GET", "/cdm/client/{client_id}/customer/{ccid}", "getCustomer", 200, ""],
      ["POST", "/cdm/client/{client_id}/onboard", "onboardCustomer", 200, ""],
    ]);
    const [invalid, faulted, read] = entries;
    expect(entries.map((e) => e.id)).toEqual([4, 3, 2, 1]);
    expect(read!.time).toBe("2030-01-02T03:04:05.000Z");
    expect(read!.url).toBe("/cdm/client/c1/customer/•••");
    for (const entry of entries) expect(entry.latencyMs).toBeGreaterThanOrEqual(0);
    expect(faulted!.fault).toEqual({ source: "headers", status: 503, retryAfter: 2 });
    expect(read!.fault).toBeNull();
    expect(invalid!.violations).toEqual([{ side: "request", message: "product_group_id is required" }]);
    expect(read!.violations).toEqual([]);
  });

  it("records the gate's verdict on an answer that breaks the spec as a response violation", async () => {
    const sandbox = inProcess();
    const relay = relayOf(sandbox);
    const override = [{ match: { operationId: "getCustomer" }, response: { status: 200, body: { ccid: 5 } } }];
    await relay.call("/__sandbox/overrides", { method: "PUT", body: JSON.stringify(override) });
    expect((await relay.call("/cdm/client/c1/customer/A-1", { headers: key })).status).toBe(500);
    const [entry] = await relay.journal();
    expect(entry!.violations.length).toBeGreaterThan(0);
    expect(entry!.violations.every((v) => v.side === "response")).toBe(true);
    expect(entry!.violations[0]!.message).toMatch(/ccid/);
  });

  it("reads the gate's sl-violations (Prism's format): each violation with its side and where it is", () => {
    const spec = loadSpecs()["relay-cdm"];
    const header = JSON.stringify([
      { location: ["request", "body", "customer"], severity: "Warning", message: "must have ccid" },
      { location: ["response", "body", "ccid"], severity: "Error", message: "must be string" },
    ]);
    const entry = journalEntry(spec, true, {
      request: { method: "GET", path: "/cdm/client/c1/customer/A-1", headers: {} },
      outcome: { kind: "answer", response: { status: 200, headers: { "sl-violations": header }, body: {} } },
      startedAt: 0,
      latencyMs: 1,
      requestViolations: () => ["not asked when the gate has spoken"],
    });
    expect(entry.violations).toEqual([
      { side: "request", message: "body.customer: must have ccid" },
      { side: "response", message: "body.ccid: must be string" },
    ]);
  });

  it("keeps the last 500 exchanges, and not the sandbox's own routes", async () => {
    const sandbox = inProcess();
    const hii = sandboxFetch(sandbox, "hiirelevate");
    for (let i = 0; i < maxJournalEntries + 5; i++) await hii(`${hiiBase}/health`);
    await hii(`${hiiBase}/__sandbox/state`);
    const entries = (await (await hii(`${hiiBase}/__sandbox/requests`)).json()) as JournalEntry[];
    expect(entries).toHaveLength(500);
    expect([entries[0]!.id, entries.at(-1)!.id]).toEqual([505, 6]);
    expect(entries.every((e) => e.path === "/health")).toBe(true);
    expect(await relayOf(sandbox).journal()).toEqual([]);
  });

  it("records a reset connection and a caller that gave up with no status", async () => {
    const sandbox = inProcess();
    const relay = relayOf(sandbox);
    await expect(relay.onboard({ "x-sandbox-fault": "reset" })).rejects.toThrow("fetch failed");
    const [entry] = await relay.journal();
    expect([entry!.status, entry!.fault]).toEqual([null, { source: "headers", effect: "reset" }]);
  });
});

describe("journal: redaction", () => {
  const onboardAndRead = async (sandbox: Sandbox) => {
    const relay = relayOf(sandbox);
    await relay.onboard();
    await relay.call(`/cdm/client/c1/customer/${person.ccid}?api_key=${secrets.apiKey}`, { headers: key });
    const json = JSON.stringify(await relay.journal());
    const har = await (await relay.call("/__sandbox/requests.har")).text();
    return { json, har };
  };

  it("masks the values of x-pii fields, path parameters and messages that repeat them, by default", async () => {
    const { json, har } = await onboardAndRead(inProcess());
    expectNothingLeaks([json, har], [person.ccid, person.firstName, person.phone]);
    expect(json).toContain("•••");
    expect(json).toContain('\\"product_group_id\\":\\"default\\"');
  });

  it("shows them with journalPii", async () => {
    const { json } = await onboardAndRead(inProcess({ journalPii: true }));
    for (const value of [person.ccid, person.firstName, person.phone]) expect(json).toContain(value);
  });

  it("never keeps a credential: API key, Basic credentials, client secret, issued token, in JSON, HAR or the stream", async () => {
    const sandbox = inProcess({ journalPii: true });
    const hii = sandboxFetch(sandbox, "hiirelevate");
    const stream = (await hii(`${hiiBase}/__sandbox/requests?stream`)).body!;
    const basic = Buffer.from(`store-app:${secrets.clientSecret}`).toString("base64");
    const form = { "content-type": "application/x-www-form-urlencoded" };
    const issued = await hii(`${hiiBase}/oauth2/token`, {
      method: "POST",
      headers: { ...form, authorization: `Basic ${basic}` },
      body: "grant_type=client_credentials",
    });
    const { access_token: token } = (await issued.json()) as { access_token: string };
    await hii(`${hiiBase}/oauth2/token`, {
      method: "POST",
      headers: form,
      body: `grant_type=client_credentials&client_id=other&client_secret=${secrets.clientSecret}`,
    });
    await hii(`${hiiBase}/customers`, {
      method: "POST",
      headers: { authorization: `Bearer ${token}`, "content-type": "application/json", cookie: `s=${token}` },
      body: JSON.stringify({ displayName: "Ada", email: [{ value: "ada@example.com" }] }),
    });
    await relayOf(sandbox).onboard();
    const { events } = await readEvents(stream, 3);
    const texts = [
      JSON.stringify(await (await hii(`${hiiBase}/__sandbox/requests`)).json()),
      await (await hii(`${hiiBase}/__sandbox/requests.har`)).text(),
      JSON.stringify(await relayOf(sandbox).journal()),
      JSON.stringify(events),
    ];
    expectNothingLeaks(texts, { apiKey: secrets.apiKey, secret: secrets.clientSecret, basic, token });
    expect(texts[0]).toContain("[redacted]");
    expect(texts[0]).toContain("Ada");
  });
});

describe("journal: HAR, namespaces, clearing", () => {
  it("exports HAR 1.2, oldest first, redacted the same way", async () => {
    const sandbox = inProcess();
    const relay = relayOf(sandbox);
    await relay.onboard();
    await relay.call(`/cdm/client/c1/customer/${person.ccid}?verbose=1`, { headers: key });
    const answer = await relay.call("/__sandbox/requests.har");
    expect(answer.headers.get("content-type")).toBe("application/json");
    const { log } = (await answer.json()) as { log: Record<string, unknown> };
    expect(log.version).toBe("1.2");
    expect(log.creator).toEqual({ name: "cx-sandbox", version: expect.any(String) });
    const entries = log.entries as Record<string, Record<string, unknown>>[];
    expect(entries.map((e) => e.request!.method)).toEqual(["POST", "GET"]);
    for (const entry of entries) {
      expect(Date.parse(entry.startedDateTime as unknown as string)).not.toBeNaN();
      expect(typeof entry.time).toBe("number");
      expect(entry.cache).toEqual({});
      expect(entry.timings).toMatchObject({ send: 0, wait: expect.any(Number), receive: 0 });
      const { request, response } = entry as Record<string, Record<string, unknown>>;
      expect(request).toMatchObject({ httpVersion: "HTTP/1.1", cookies: [], headersSize: -1 });
      expect(new URL(request!.url as string).protocol).toBe("http:");
      expect(request!.headers).toEqual(expect.arrayContaining([{ name: "content-type", value: "application/json" }]));
      expect(response).toMatchObject({ status: 200, statusText: "OK", cookies: [], redirectURL: "", headersSize: -1 });
      expect(response!.content).toMatchObject({ size: expect.any(Number), mimeType: "application/json" });
    }
    expect(entries[0]!.request!.postData).toMatchObject({ mimeType: "application/json" });
    expect(entries[1]!.request!.queryString).toEqual([{ name: "verbose", value: "1" }]);
    expect(JSON.stringify(entries)).not.toContain(person.ccid);
  });

  it("filters by namespace (the query, else the request's namespace header), and DELETE clears", async () => {
    const sandbox = inProcess();
    const relay = relayOf(sandbox);
    await relay.onboard({ "x-sandbox-namespace": "w1" }, "A-1");
    await relay.onboard({}, "A-2");
    await relay.onboard({ "x-sandbox-namespace": "w2" }, "A-3");
    const namespaces = async (query = "", headers: Record<string, string> = {}) =>
      (await relay.journal(query, headers)).map((e) => e.namespace);
    expect(await namespaces()).toEqual(["w2", "", "w1"]);
    expect(await namespaces("?namespace=w1")).toEqual(["w1"]);
    expect(await namespaces("?namespace=")).toEqual([""]);
    expect(await namespaces("", { "x-sandbox-namespace": "w2" })).toEqual(["w2"]);
    expect((await relay.call("/__sandbox/requests?namespace=w1", { method: "DELETE" })).status).toBe(204);
    expect(await namespaces()).toEqual(["w2", ""]);
    expect((await relay.call("/__sandbox/requests", { method: "DELETE" })).status).toBe(204);
    expect(await namespaces()).toEqual([]);
  });
});

describe("journal: the live stream", () => {
  it("delivers each new entry as one server-sent event, after a comment; with Accept or ?stream", async () => {
    const sandbox = inProcess();
    const relay = relayOf(sandbox);
    for (const [query, headers] of [
      ["?stream", {}],
      ["", { accept: "text/event-stream" }],
    ] as const) {
      const answer = await relay.call(`/__sandbox/requests${query}`, { headers });
      expect([answer.status, answer.headers.get("content-type")]).toEqual([200, "text/event-stream"]);
      expect(answer.headers.get("cache-control")).toBe("no-store");
      const reading = readEvents(answer.body!, 1);
      await relay.onboard({}, "S-1");
      const { events, text } = await reading;
      expect(text.startsWith(":")).toBe(true);
      expect(events).toEqual([
        expect.objectContaining({ method: "POST", operationId: "onboardCustomer", status: 200 }),
      ]);
    }
  });

  it("sends a heartbeat comment while nothing happens", async () => {
    const sandbox = inProcess();
    const stream = journalStream(sandbox.journals["relay-cdm"], {}, { heartbeatMs: 10 });
    if (!("stream" in stream)) throw new Error("no stream");
    const reader = stream.stream.getReader();
    let text = "";
    while (!text.includes(": heartbeat")) text += new TextDecoder().decode((await reader.read()).value);
    await reader.cancel();
    expect(sandbox.journals["relay-cdm"].subscribers).toBe(0);
  });

  it(`takes at most ${maxSubscribers} subscribers: one more gets 429 until one leaves`, async () => {
    const sandbox = inProcess();
    const relay = relayOf(sandbox);
    const open = await Promise.all(
      Array.from({ length: maxSubscribers }, () => relay.call("/__sandbox/requests?stream")),
    );
    expect(open.map((a) => a.status)).toEqual(open.map(() => 200));
    const refused = await relay.call("/__sandbox/requests?stream");
    expect(refused.status).toBe(429);
    expect(await refused.json()).toEqual({
      message: `at most ${maxSubscribers} journal streams at a time; close one (an inspector tab) and retry`,
    });
    await open[0]!.body!.cancel();
    const again = await relay.call("/__sandbox/requests?stream");
    expect(again.status).toBe(200);
    await Promise.all([again, ...open.slice(1)].map((a) => a.body!.cancel()));
    expect(sandbox.journals["relay-cdm"].subscribers).toBe(0);
  });
});

describe("journal over HTTP", () => {
  let running: RunningSandbox | undefined;
  afterEach(async () => {
    await running?.stop();
    running = undefined;
  });

  it("its routes refuse cross-origin calls like the sandbox's other routes, and change nothing", async () => {
    const sandbox = inProcess();
    running = await serveSandbox({ sandbox, specFiles, gate: "in-process" });
    const url = running.urls["relay-cdm"];
    await fetch(`${url}/cdm/client/c1/onboard`, { method: "POST", headers: key, body: onboardBody() });
    const otherPage = "http://127.0.0.1:9";
    for (const [method, target] of [
      ["GET", "/__sandbox/requests"],
      ["GET", "/__sandbox/requests?stream"],
      ["GET", "/__sandbox/requests.har"],
      ["DELETE", "/__sandbox/requests"],
    ] as const) {
      for (const headers of [
        { origin: otherPage },
        { "sec-fetch-site": "cross-site" },
        { "sec-fetch-site": "same-site" },
      ]) {
        const answer = await rawRequest(url, { method, target, headers });
        expect([target, answer.status, answer.headers["access-control-allow-origin"]]).toEqual([
          target,
          403,
          undefined,
        ]);
      }
    }
    const preflight = await rawRequest(url, {
      method: "OPTIONS",
      target: "/__sandbox/requests",
      headers: { origin: otherPage, "access-control-request-method": "DELETE" },
    });
    expect(preflight.status).toBe(403);
    const rebound = await rawRequest(url, { target: "/__sandbox/requests", headers: { host: "attacker.invalid" } });
    expect(rebound.status).toBe(403);
    expect(sandbox.journals["relay-cdm"].list()).toHaveLength(1);
  });

  it("records the violations the in-process gate reports in sl-violations", async () => {
    const sandbox = inProcess();
    running = await serveSandbox({ sandbox, specFiles, gate: "in-process" });
    const url = running.urls["relay-cdm"];
    const invalid = await fetch(`${url}/cdm/client/c1/onboard`, { method: "POST", headers: key, body: "{}" });
    expect(invalid.headers.get("sl-violations")).toContain("product_group_id is required");
    const [entry] = sandbox.journals["relay-cdm"].list();
    expect(entry!.violations).toContainEqual({ side: "request", message: "product_group_id is required" });
  });

  it("streams over HTTP, and ends the stream cleanly when the server stops", async () => {
    const sandbox = inProcess();
    running = await serveSandbox({ sandbox, specFiles, gate: "in-process" });
    const url = running.urls["relay-cdm"];
    const response = await new Promise<IncomingMessage>((resolve, reject) =>
      get(`${url}/__sandbox/requests`, { headers: { accept: "text/event-stream" } }, resolve).on("error", reject),
    );
    expect(response.headers["content-type"]).toBe("text/event-stream");
    let text = "";
    response.setEncoding("utf8");
    response.on("data", (chunk: string) => {
      text += chunk;
    });
    const ended = new Promise<string>((resolve) => {
      response.once("end", () => resolve("end"));
      response.once("aborted", () => resolve("aborted"));
      response.once("error", () => resolve("error"));
    });
    await fetch(`${url}/cdm/client/c1/onboard`, { method: "POST", headers: key, body: onboardBody() });
    const deadline = Date.now() + 1000;
    while (!text.includes("data: ") && Date.now() < deadline) await new Promise((r) => setTimeout(r, 10));
    expect(text).toContain('"operationId":"onboardCustomer"');
    const stopping = running.stop();
    running = undefined;
    expect(await ended).toBe("end");
    await stopping;
    expect(sandbox.journals["relay-cdm"].subscribers).toBe(0);
  });

  it("--journal-pii reaches the sandbox from the command line", async () => {
    expect(parseCli(["--journal-pii"], {})?.journalPii).toBe(true);
    expect(parseCli([], {})?.journalPii).toBeUndefined();
    const specDir = specFiles["relay-cdm"].replace(/\/[^/]+$/, "");
    const ports = Object.fromEntries(apiNames.map((api) => [api, 0]));
    const launched = await launchSandbox({ specDir, ports, gate: "in-process", journalPii: true });
    running = launched.running;
    const url = running.urls["relay-cdm"];
    await fetch(`${url}/cdm/client/c1/onboard`, { method: "POST", headers: key, body: onboardBody() });
    const journal = await (await fetch(`${url}/__sandbox/requests`)).text();
    expect(journal).toContain(person.firstName);
    expect(journal).not.toContain(secrets.apiKey);
  });
});

describe("the inspector page", () => {
  let running: RunningSandbox | undefined;
  afterEach(async () => {
    await running?.stop();
    running = undefined;
  });

  it("is one static page with a strict Content-Security-Policy, its script and style its own files", async () => {
    running = await serveSandbox({ sandbox: inProcess(), specFiles, gate: "in-process" });
    const url = running.urls["relay-cdm"];
    const page = await fetch(`${url}/__sandbox/`);
    expect([page.status, page.headers.get("content-type")]).toEqual([200, "text/html; charset=utf-8"]);
    const csp = page.headers.get("content-security-policy") ?? "";
    for (const directive of ["default-src 'self'", "script-src 'self'", "frame-ancestors 'none'", "base-uri 'none'"])
      expect(csp).toContain(directive);
    expect(csp).not.toMatch(/unsafe-inline|unsafe-eval|https?:/);
    expect(page.headers.get("x-frame-options")).toBe("DENY");
    const html = await page.text();
    expect(html).toContain('<script src="/__sandbox/inspector.js" defer></script>');
    expect(html).not.toMatch(/<script(?![^>]*\ssrc=)[^>]*>/);
    expect(html).not.toMatch(/\son\w+=/);
    const script = await fetch(`${url}/__sandbox/inspector.js`);
    expect(script.headers.get("content-type")).toBe("text/javascript; charset=utf-8");
    const css = await fetch(`${url}/__sandbox/inspector.css`);
    expect(css.headers.get("content-type")).toBe("text/css; charset=utf-8");
    expect((await fetch(`${url}/__sandbox`)).status).toBe(200);
  });

  it("never writes data as HTML: its script has no innerHTML, outerHTML, insertAdjacentHTML or document.write", () => {
    const script = readFileSync(new URL("../../src/inspector/inspector.js", import.meta.url), "utf8");
    expect(script).not.toMatch(/innerHTML|outerHTML|insertAdjacentHTML|document\.write|eval\(|new Function/);
  });

  it("opens from a link on another local page (a navigation), while its data stays same-origin only", async () => {
    running = await serveSandbox({ sandbox: inProcess(), specFiles, gate: "in-process" });
    const url = running.urls["relay-cdm"];
    const navigation = { "sec-fetch-site": "same-site", "sec-fetch-mode": "navigate", "sec-fetch-dest": "document" };
    expect((await rawRequest(url, { target: "/__sandbox/", headers: navigation })).status).toBe(200);
    expect((await rawRequest(url, { target: "/__sandbox/requests", headers: navigation })).status).toBe(403);
    expect((await rawRequest(url, { target: "/__sandbox/", headers: { host: "attacker.invalid" } })).status).toBe(403);
  });
});
