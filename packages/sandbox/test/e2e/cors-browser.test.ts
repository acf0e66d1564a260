// CORS from a real browser: a page on one origin calls the sandbox on another (Chromium, Debian's
// or the npm-shipped one: see devkit's chromium.ts; driven by playwright-core; nothing leaves
// 127.0.0.1). Custom headers force preflights; the answers' Retry-After must be readable by the page.
import { createServer, type Server } from "node:http";
import type { BrowserContext } from "playwright-core";
import { launchChromium, type LaunchedChromium } from "@cx-openapi/devkit/chromium";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createSandbox } from "../../src/index.js";
import { closeServer, listen } from "../../src/http.js";
import { serveSandbox, type RunningSandbox } from "../../src/server.js";
import { loadSpecs, specFiles } from "../helpers.js";

let running: RunningSandbox;
let page: Server;
let pageUrl: string;
let browser: LaunchedChromium;
let context: BrowserContext;

beforeAll(async () => {
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
  browser = await launchChromium();
  context = browser.context;
  await context.route("**/*", (route) =>
    new URL(route.request().url()).hostname === "127.0.0.1" ? route.continue() : route.abort("blockedbyclient"),
  );
}, 60_000);

afterAll(async () => {
  await browser?.close();
  await running?.stop();
  if (page) await closeServer(page);
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
