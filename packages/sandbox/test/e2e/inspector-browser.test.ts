// The inspector in Chromium (see devkit's chromium.ts), on a sandbox served in process on free ports
// (in-process gate: no Prism): the page loads with no console error and no request off 127.0.0.1,
// shows the state as tables, and a request made from Node shows as a row of the live journal within
// 1 s, a violation highlighted; a value that looks like HTML is shown as text, never run.
// Its screenshot goes to dist/screenshots/sandbox-inspector.png, and to docs/images/ (the READMEs
// show it) when that file is missing or CX_UPDATE_SCREENSHOTS=1.
import { copyFileSync, existsSync, mkdirSync } from "node:fs";
import { join } from "node:path";
import { repoRoot } from "@cx-openapi/devkit/repo";
import { launchChromium, type LaunchedChromium } from "@cx-openapi/devkit/testing";
import type { Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { serveSandbox, type RunningSandbox } from "../../src/server.js";
import { inProcess, specFiles } from "../helpers.js";

const screenshot = join(repoRoot, "dist/screenshots/sandbox-inspector.png");
const docsImage = join(repoRoot, "docs/images/sandbox-inspector.png");
const key = { "xx-relay-api-key": "inspector-key", "content-type": "application/json" };
/** A product group name that is HTML: the state table must show it as text. */
const htmlName = '<img src=x onerror="window.__injected=1">';

let running: RunningSandbox | undefined;
let browser: LaunchedChromium | undefined;
let relayUrl = "";
const offHost: string[] = [];
const errors: string[] = [];

function isLocal(url: string): boolean {
  if (url.startsWith("data:") || url.startsWith("blob:")) return true;
  try {
    return new URL(url).hostname === "127.0.0.1";
  } catch {
    return false;
  }
}

const onboard = (ccid: string, group = "default", extra: Record<string, unknown> = {}) =>
  fetch(`${relayUrl}/cdm/client/inspector_app/onboard`, {
    method: "POST",
    headers: key,
    body: JSON.stringify({ product_group_id: group, customer: { ccid, first_name: "Ada", ...extra } }),
  });

beforeAll(async () => {
  const started = performance.now();
  [running, browser] = await Promise.all([
    serveSandbox({ sandbox: inProcess(), specFiles, gate: "in-process", docsUrl: "http://127.0.0.1:8080/" }),
    launchChromium({ viewport: { width: 1280, height: 900 } }),
  ]);
  relayUrl = running.urls["relay-cdm"];
  await browser.context.route("**/*", (route) =>
    isLocal(route.request().url()) ? route.continue() : route.abort("blockedbyclient"),
  );
  browser.context.on("request", (request) => {
    if (!isLocal(request.url())) offHost.push(request.url());
  });
  console.log(`sandbox and ${browser.label} up in ${Math.round(performance.now() - started)} ms`);
}, 60_000);

afterAll(async () => {
  await browser?.close();
  await running?.stop();
});

/** Opens a page of the relay port, recording what a user would see go wrong on it. */
async function open(path: string): Promise<Page> {
  const page = await browser!.context.newPage();
  const record = (problem: string | false) => void (problem && errors.push(problem));
  page.on("pageerror", (error) => record(`uncaught: ${error.message}`));
  page.on("console", (m) => record(m.type() === "error" && `console.error: ${m.text()}`));
  page.on("response", (r) => record(r.status() >= 400 && `HTTP ${r.status()}: ${r.url()}`));
  page.on("requestfailed", (r) => record(`request failed: ${r.url()}`));
  await page.goto(`${relayUrl}${path}`, { waitUntil: "load" });
  return page;
}

describe("the sandbox inspector in Chromium", () => {
  it("shows the state and the live journal; a request from Node is a row within 1 s, its violation highlighted", async () => {
    expect((await onboard("INS-1")).status).toBe(200);
    expect((await onboard("INS-2", htmlName)).status).toBe(200);
    await fetch(`${relayUrl}/__sandbox/faults`, {
      method: "PUT",
      body: JSON.stringify([{ operationId: "getCustomer", status: 503, retryAfter: 1, times: 2 }]),
    });
    const page = await open("/__sandbox/");
    await page.locator("#live.on").waitFor({ timeout: 5000 });
    await page.locator("#state table").first().waitFor({ timeout: 5000 });
    await expect(page.locator("#journal tbody tr").count()).resolves.toBe(2);
    await expect(page.locator("#faults li code").textContent()).resolves.toContain('"status":503');

    const rows = page.locator("#journal tbody tr");
    const sent = performance.now();
    expect((await onboard("INS-3")).status).toBe(200);
    await rows.nth(2).waitFor({ timeout: 1000 });
    const shownAfter = performance.now() - sent;
    console.log(`a request from Node showed in the inspector after ${shownAfter.toFixed(0)} ms`);
    expect(shownAfter).toBeLessThan(1000);

    const invalid = await fetch(`${relayUrl}/cdm/client/inspector_app/onboard`, {
      method: "POST",
      headers: key,
      body: JSON.stringify({ customer: { ccid: "INS-4" } }),
    });
    expect(invalid.status).toBe(400);
    await fetch(`${relayUrl}/cdm/client/inspector_app/customer/INS-1`, { headers: key });
    const flagged = page.locator("#journal tbody tr.violations");
    await flagged.first().waitFor({ timeout: 1000 });
    await expect(flagged.first().locator("td.violations").textContent()).resolves.toContain(
      "product_group_id is required",
    );
    await page.locator("#journal tbody tr.faulted").first().waitFor({ timeout: 1000 });

    await page.locator("#refresh-state").click();
    await page.locator("#state td", { hasText: "INS-3" }).first().waitFor({ timeout: 2000 });
    await expect(page.locator("#state").textContent()).resolves.toContain(htmlName);
    expect(await page.evaluate(() => (window as { __injected?: number }).__injected)).toBeUndefined();
    await expect(page.locator("#state img").count()).resolves.toBe(0);
    await expect(page.locator('#links a[href$="/__sandbox/"]').getAttribute("href")).resolves.toBe(
      `${running!.urls.hiirelevate}/__sandbox/`,
    );

    await rows.first().click();
    await expect(page.locator("#detail-body").textContent()).resolves.toContain('"operationId": "getCustomer"');
    mkdirSync(join(repoRoot, "dist/screenshots"), { recursive: true });
    await page.screenshot({ path: screenshot, fullPage: true });
    if (!existsSync(docsImage) || process.env.CX_UPDATE_SCREENSHOTS === "1") {
      mkdirSync(join(repoRoot, "docs/images"), { recursive: true });
      copyFileSync(screenshot, docsImage);
    }
    expect(errors).toEqual([]);
    expect(offHost).toEqual([]);
    await page.close();
  });
});
