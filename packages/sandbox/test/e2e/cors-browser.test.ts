// CORS from a real browser: a page on one origin calls the sandbox on another (Debian's Chromium,
// driven by playwright-core; nothing leaves 127.0.0.1). Custom headers force preflights; the
// answers' Retry-After must be readable by the page.
import { existsSync, mkdtempSync, rmSync } from "node:fs";
import { createServer, type Server } from "node:http";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { chromium, type BrowserContext } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createSandbox } from "../../src/index.js";
import { closeServer, listen, serveSandbox, type RunningSandbox } from "../../src/server.js";
import { loadSpecs, specFiles } from "../helpers.js";

const chromiumPath = process.env.CHROMIUM_PATH ?? "/usr/bin/chromium";
const flags = [
  "--headless",
  "--no-sandbox",
  "--disable-gpu",
  "--disable-quic",
  "--no-first-run",
  "--disable-background-networking",
  "--disable-component-update",
  "--disable-sync",
];

let running: RunningSandbox;
let page: Server;
let pageUrl: string;
let context: BrowserContext;
let userDataDir: string;

beforeAll(async () => {
  if (!existsSync(chromiumPath))
    throw new Error(`Chromium is not installed at ${chromiumPath}: apt-get install -y chromium (or set CHROMIUM_PATH)`);
  running = await serveSandbox({ sandbox: createSandbox({ specs: loadSpecs() }), specFiles, gate: "in-process" });
  const started = await listen(
    createServer((_req, res) =>
      res.writeHead(200, { "content-type": "text/html" }).end("<!doctype html><title>frontend</title>"),
    ),
    "127.0.0.1",
    0,
  );
  page = started.server;
  pageUrl = started.url;
  userDataDir = mkdtempSync(join(tmpdir(), "cx-sandbox-chromium-"));
  context = await chromium.launchPersistentContext(userDataDir, {
    executablePath: chromiumPath,
    headless: true,
    args: flags,
  });
  await context.route("**/*", (route) =>
    new URL(route.request().url()).hostname === "127.0.0.1" ? route.continue() : route.abort("blockedbyclient"),
  );
}, 60_000);

afterAll(async () => {
  await context?.close();
  await running?.stop();
  if (page) await closeServer(page);
  if (userDataDir) rmSync(userDataDir, { recursive: true, force: true });
});

describe("sandbox CORS in Chromium", () => {
  it("a page on another origin onboards, retrieves, reads Retry-After and gets a HiiRelevate token", async () => {
    const tab = await context.newPage();
    await tab.goto(`${pageUrl}/`);
    const result = await tab.evaluate(
      async ({ relay, hii }) => {
        const headers = { "xx-relay-api-key": "browser-key", "content-type": "application/json" };
        const onboard = await fetch(`${relay}/cdm/client/web/onboard`, {
          method: "POST",
          headers,
          body: JSON.stringify({ product_group_id: "default", customer: { ccid: "WEB-1", first_name: "Ada" } }),
        });
        const retrieved = await (await fetch(`${relay}/cdm/client/web/customer/WEB-1`, { headers })).json();
        const fault = await fetch(`${relay}/cdm/client/web/customer/WEB-1`, {
          headers: { ...headers, "x-sandbox-fault-status": "503", "x-sandbox-retry-after": "2" },
        });
        const token = await fetch(`${hii}/oauth2/token`, {
          method: "POST",
          headers: {
            authorization: `Basic ${btoa("web-app:secret")}`,
            "content-type": "application/x-www-form-urlencoded",
          },
          body: "grant_type=client_credentials",
        });
        return {
          origin: location.origin,
          onboard: onboard.status,
          firstName: retrieved.first_name,
          faultStatus: fault.status,
          retryAfter: fault.headers.get("retry-after"),
          tokenType: (await token.json()).token_type,
        };
      },
      { relay: running.urls["relay-cdm"], hii: running.urls.hiirelevate },
    );
    expect(result.origin).not.toBe(new URL(running.urls["relay-cdm"]).origin);
    expect(result).toMatchObject({
      onboard: 200,
      firstName: "Ada",
      faultStatus: 503,
      retryAfter: "2",
      tokenType: "Bearer",
    });
  });
});
