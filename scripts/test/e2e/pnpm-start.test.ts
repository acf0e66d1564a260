// `pnpm start` end to end, started as a user does, and the docs it serves in a real browser.
// The command builds the docs, serves them and the stateful sandbox (behind Prism) on the ports it
// is given and prints the URLs; on Ctrl-C (SIGINT to its process group) it stops everything it
// started and exits 0 without an error line: no Prism process is left behind.
// In Chromium (Debian's, else the npm-shipped one: see devkit's chromium.ts), driven by
// playwright-core: every page loads with no console error and no request to any other host
// (anything else is recorded and aborted); every operation is in the navigation; a deep link lands
// on its operation; the search finds "onboard"; the code samples wrap and the copy button covers no
// code; no word of a mock-examples table breaks across lines; each try-it page retrieves, from the
// browser, a person stored in the sandbox, whose CORS lets a page on another origin call it.
// Screenshots go to dist/screenshots/.
// It runs with --skip-gen: rewriting dist/openapi during the test run would make the Prism mocks of
// vitest's global setup, which watch those files, restart under the other tests' feet. Bundling and
// generation are covered by `pnpm gen:check`.
import { mkdirSync } from "node:fs";
import { get } from "node:http";
import { join, relative } from "node:path";
import type { BrowserContext, Page } from "playwright-core";
import {
  descendants,
  expectCleanStop,
  expectNoForwarding,
  killTree,
  launchChromium,
  startCanary,
  startReady,
  type LaunchedChromium,
  type Started,
} from "@cx-openapi/devkit/testing";
import { plainTokenTenant } from "@cx-openapi/sandbox";
import { freePort, getOperation, loadSpec, type OpenApiDoc } from "@cx-openapi/spec";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { loadApis, repoRoot } from "../../lib/apis.js";
import { localCredential, sampleRequest } from "../../lib/curl-samples.js";
import { docOperations, operationAnchor, type DocOperation } from "../../lib/docs-document.js";
import { cleanEnv } from "../../lib/process.js";

const screenshotsDir = join(repoRoot, "dist/screenshots");
const viewport = { width: 1440, height: 900 };

const apis = loadApis().map((api) => ({ api, operations: docOperations(loadSpec(api.bundleJson)) }));

/** `pnpm start`, on free ports: the docs' URL and each API's sandbox. */
let start: Started | undefined;
let docsUrl = "";
let docsPort = 0;
const localUrls: Record<string, string> = {};
let browser: LaunchedChromium | undefined;
let context: BrowserContext | undefined;
/** Every request any page made, and the ones that went (or tried to go) off 127.0.0.1. */
const requests: string[] = [];
const offHost: string[] = [];

/** Whether a request stays on this machine (blob: and data: URLs never leave the page). */
function isLocal(url: string): boolean {
  if (url.startsWith("data:")) return true;
  const inner = url.startsWith("blob:") ? url.slice("blob:".length) : url;
  try {
    return new URL(inner).hostname === "127.0.0.1";
  } catch {
    return false;
  }
}

/** `pnpm start --skip-gen` on free ports, as a user starts it. */
async function startCommand(): Promise<Started> {
  docsPort = await freePort();
  docsUrl = `http://127.0.0.1:${docsPort}`;
  const args = ["start", "--skip-gen", "--docs-port", String(docsPort)];
  for (const { api } of apis) {
    const port = await freePort();
    localUrls[api.name] = `http://127.0.0.1:${port}`;
    args.push(`--${api.name}-port`, String(port));
  }
  const started = performance.now();
  const command = await startReady(args, { env: cleanEnv() });
  console.log(`pnpm start was up after ${((performance.now() - started) / 1000).toFixed(1)} s`);
  return command;
}

/** Chromium, aborting (and recording) anything that would leave 127.0.0.1. */
async function startBrowser(): Promise<void> {
  browser = await launchChromium({ viewport });
  context = browser.context;
  await context.route("**/*", (route) =>
    isLocal(route.request().url()) ? route.continue() : route.abort("blockedbyclient"),
  );
  context.on("request", (request) => {
    requests.push(request.url());
    if (!isLocal(request.url())) offHost.push(request.url());
  });
}

beforeAll(async () => {
  // Side by side: the command mostly waits for Prism and Redocly, the browser for its own start.
  const [command] = await Promise.all([startCommand(), startBrowser()]);
  start = command;
  mkdirSync(screenshotsDir, { recursive: true });
}, 300_000);

afterAll(async () => {
  await browser?.close();
  // Only if a test failed before the Ctrl-C test: never leave the command or its Prisms running.
  killTree(start?.child);
  if (requests.length) console.log(`${requests.length} requests, all to 127.0.0.1 (or blob:/data: of it)`);
});

/** The status of a GET whose path is sent exactly as written. */
function rawStatus(port: number, path: string): Promise<number> {
  return new Promise((resolve, reject) => {
    get({ host: "127.0.0.1", port, path }, (response) => {
      response.resume();
      resolve(response.statusCode ?? 0);
    }).on("error", reject);
  });
}

describe("pnpm start", () => {
  it("prints the URLs of the docs and of each API's sandbox", () => {
    expect(start!.output()).toContain(`${docsUrl}/`);
    for (const url of Object.values(localUrls)) expect(start!.output()).toContain(url);
  });

  it("serves the docs: the index links every API page and shows this run's URLs; no path leaves dist/docs", async () => {
    const index = await fetch(`${docsUrl}/`);
    expect(index.status).toBe(200);
    expect(index.headers.get("content-type")).toBe("text/html; charset=utf-8");
    const html = await index.text();
    for (const { api } of apis) {
      expect(html).toContain(`href="${api.name}.html"`);
      expect(html).toContain(localUrls[api.name]);
      const page = await fetch(`${docsUrl}/${api.name}.html`);
      expect(page.status).toBe(200);
      await page.body?.cancel();
      const spec = await fetch(`${docsUrl}/openapi/${api.name}.json`);
      expect(spec.headers.get("content-type")).toBe("application/json; charset=utf-8");
      expect(((await spec.json()) as { openapi: string }).openapi).toMatch(/^3\.1\./);
    }
    expect(html).toContain('href="drift.html"');
    const drift = await fetch(`${docsUrl}/drift.html`);
    expect(drift.status).toBe(200);
    expect(await drift.text()).toContain("<h1>Drift report</h1>");
    // fetch() would normalise these paths; node:http sends them as they are.
    for (const path of [
      "/../package.json",
      "/%2e%2e/package.json",
      "/..%2fpackage.json",
      "/openapi/..%2f..%2fpackage.json",
    ]) {
      expect(await rawStatus(docsPort, path), path).toBe(400);
    }
    expect((await fetch(`${docsUrl}/nothing-here.html`)).status).toBe(404);
    expect((await fetch(`${docsUrl}/`, { method: "POST" })).status).toBe(405);
  });

  it("serves the stateful sandbox through its Prism gate: an onboarded person is retrieved; an invalid request gets the vendor's 400", async () => {
    const relayUrl = `${localUrls["relay-cdm"]}/cdm/client/relay_developer`;
    const headers = { "xx-relay-api-key": "test-key", "content-type": "application/json" };
    const onboard = await fetch(`${relayUrl}/onboard`, {
      method: "POST",
      headers,
      body: JSON.stringify({ product_group_id: "default", customer: { ccid: "NEW-42", first_name: "Ada" } }),
    });
    expect(onboard.status).toBe(200);
    const relay = await fetch(`${relayUrl}/customer/NEW-42`, { headers });
    expect(await relay.json()).toEqual({ ccid: "NEW-42", first_name: "Ada", notification_channels: [] });
    const invalid = await fetch(`${relayUrl}/onboard`, {
      method: "POST",
      headers,
      body: JSON.stringify({ customer: { ccid: "NEW-43" } }),
    });
    expect(invalid.status).toBe(400);
    expect(await invalid.json()).toEqual({ message: "product_group_id is required" });
    expect(invalid.headers.get("sl-violations")).toContain("product_group_id");
    const health = await fetch(`${localUrls.hiirelevate}/health`);
    expect(health.status).toBe(200);
  });

  it("forwards no request target that names another host, from any server it started", async () => {
    const canary = await startCanary();
    try {
      const static405 = (status: number) => status === 0 || status === 400 || status === 405;
      await expectNoForwarding(docsUrl, canary, { refused: static405 });
      const headers = { "xx-relay-api-key": "test-key", "content-type": "application/json" };
      for (const url of Object.values(localUrls))
        await expectNoForwarding(url, canary, { headers, refused: (status) => status === 400 });
    } finally {
      await canary.close();
    }
  });

  it("runs one Prism per API", () => {
    expect(descendants(start!.child.pid!).filter((p) => p.args.includes("prism"))).toHaveLength(apis.length);
  });
});

/** Opens a page and collects its console errors, uncaught errors and failed local requests. */
async function open(path: string): Promise<{ page: Page; errors: string[] }> {
  const page = await context!.newPage();
  const errors: string[] = [];
  page.on("console", (message) => {
    if (message.type() === "error") errors.push(`console.error: ${message.text()}`);
  });
  page.on("pageerror", (error) => errors.push(`uncaught: ${error.message}`));
  page.on("requestfailed", (request) => {
    if (isLocal(request.url())) errors.push(`request failed: ${request.url()} ${request.failure()?.errorText ?? ""}`);
  });
  page.on("response", (response) => {
    if (response.status() >= 400) errors.push(`HTTP ${response.status()}: ${response.url()}`);
  });
  await page.goto(`${docsUrl}/${path}`, { waitUntil: "load" });
  return { page, errors };
}

async function screenshot(page: Page, name: string, fullPage: boolean): Promise<void> {
  const file = join(screenshotsDir, `${name}.png`);
  await page.screenshot({ path: file, fullPage });
  console.log(`screenshot: ${relative(repoRoot, file)}`);
}

/** Redoc has rendered once the sidebar lists the tags (the prerendered HTML alone has no search). */
async function waitForRedoc(page: Page): Promise<void> {
  await page.locator(".menu-content .menu-item-type-group").first().waitFor({ timeout: 20_000 });
  await page.locator('[data-testid="search-trigger"]').waitFor({ timeout: 20_000 });
  // The search box says "Loading…" until its index is built.
  await page.waitForFunction(
    () => !/Loading/.test(document.querySelector('[data-testid="search-trigger"]')?.textContent ?? "Loading"),
    null,
    {
      timeout: 20_000,
    },
  );
}

/** Opens each tag group of the sidebar in turn (they close each other) and collects every item's text. */
async function navigationTexts(page: Page, expected: string[]): Promise<string[]> {
  const texts = new Set<string>();
  const entries = page.locator('.menu-content a[href^="#/"]');
  const read = async () => {
    for (const text of await entries.allTextContents()) texts.add(text.trim());
  };
  const groups = page.locator(".menu-content .menu-item-type-group > a");
  const count = await groups.count();
  for (let i = 0; i < count; i++) {
    await groups.nth(i).click();
    await page.waitForTimeout(150);
    await read();
  }
  // A group's entries render a moment after its click, later on a busy machine: read again until
  // every expected entry is there, for at most 10 s.
  const deadline = Date.now() + 10_000;
  while (!expected.every((entry) => [...texts].some((text) => text.startsWith(entry))) && Date.now() < deadline) {
    await page.waitForTimeout(100);
    await read();
  }
  return [...texts];
}

/**
 * What is wrong with the code samples shown on a page: a sample wider than its panel (clipped), or
 * a copy button over any character of its code. Hidden panels (other tabs) are skipped.
 */
async function samplesMisfit(page: Page): Promise<string[]> {
  return page.evaluate(() => {
    const problems: string[] = [];
    const overlaps = (a: DOMRect, b: DOMRect) =>
      a.left < b.right && a.right > b.left && a.top < b.bottom && a.bottom > b.top;
    for (const pre of document.querySelectorAll('pre[data-component-name="CodeBlock/CodeBlockContainer"]')) {
      if (pre.getBoundingClientRect().width === 0) continue;
      const start = (pre.textContent ?? "").trim().slice(0, 50);
      if (pre.scrollWidth > pre.clientWidth + 1)
        problems.push(`clipped (${pre.scrollWidth} > ${pre.clientWidth} px): ${start}`);
      const block = pre.closest('[data-component-name="CodeBlock/CodeBlock"]') ?? pre.parentElement;
      const buttons = [...(block?.querySelectorAll('[data-testid="copy-button"]') ?? [])]
        .map((button) => button.getBoundingClientRect())
        .filter((box) => box.width > 0);
      const walker = document.createTreeWalker(pre, NodeFilter.SHOW_TEXT);
      for (let node = walker.nextNode(); node; node = walker.nextNode()) {
        const text = node.textContent ?? "";
        // Each character on its own, so the blank end of a line next to the button does not count.
        for (let i = 0; i < text.length; i++) {
          if (!text[i]!.trim()) continue;
          const range = document.createRange();
          range.setStart(node, i);
          range.setEnd(node, i + 1);
          for (const box of range.getClientRects())
            if (buttons.some((button) => overlaps(box, button))) problems.push(`copy button covers "${text.trim()}"`);
        }
      }
    }
    return [...new Set(problems)];
  });
}

/**
 * The visible code in table cells (the mock examples' `Prefer` headers), and each of its words that
 * is split across two lines: a header value must read, and copy, as it is sent.
 */
async function wordsBrokenInCells(page: Page): Promise<{ checked: number; broken: string[] }> {
  return page.evaluate(() => {
    let checked = 0;
    const broken: string[] = [];
    for (const code of document.querySelectorAll("td code")) {
      if (code.getBoundingClientRect().width === 0) continue;
      checked++;
      const walker = document.createTreeWalker(code, NodeFilter.SHOW_TEXT);
      for (let node = walker.nextNode(); node; node = walker.nextNode()) {
        for (const word of (node.textContent ?? "").matchAll(/\S+/g)) {
          const range = document.createRange();
          range.setStart(node, word.index);
          range.setEnd(node, word.index + word[0].length);
          const lines = new Set([...range.getClientRects()].map((box) => Math.round(box.top)));
          if (lines.size > 1) broken.push(word[0]);
        }
      }
    }
    return { checked, broken };
  });
}

async function headingInView(page: Page, text: string): Promise<boolean> {
  const heading = page.locator("h1, h2").filter({ hasText: text }).first();
  await heading.waitFor({ timeout: 10_000 });
  const box = await heading.boundingBox();
  return box !== null && box.y >= 0 && box.y + box.height <= viewport.height;
}

describe("docs in Chromium", () => {
  it("runs Chromium", () => {
    expect(context).toBeDefined();
    console.log(`browser: ${browser!.label}, version ${context!.browser()?.version() ?? "(persistent context)"}`);
  });

  it("index.html: loads cleanly, links every API page with its version, downloads, try-it page and local servers", async () => {
    const { page, errors } = await open("index.html");
    for (const { api } of apis) {
      const card = page.locator(`article#${api.name}`);
      await expect(card.locator("a.reference").getAttribute("href")).resolves.toBe(`${api.name}.html`);
      const version = String((loadSpec(api.bundleJson).info as { version: string }).version);
      await expect(card.locator(".version").textContent()).resolves.toBe(`v${version}`);
      await expect(card.locator(".sandbox").textContent()).resolves.toBe(localUrls[api.name]);
      await expect(card.locator(".static-mock").textContent()).resolves.toBe(`http://127.0.0.1:${api.mockPort}`);
      await expect(card.locator("a.try-it").getAttribute("href")).resolves.toBe(`${api.name}-try-it.html`);
      for (const ext of ["yaml", "json"]) {
        const href = await card.locator(`a[href="openapi/${api.name}.${ext}"]`).getAttribute("href");
        const response = await page.request.get(`${docsUrl}/${href}`);
        expect(response.status(), href!).toBe(200);
      }
    }
    await screenshot(page, "index", true);
    expect(errors).toEqual([]);
    expect(offHost).toEqual([]);
    await page.close();
  });

  it("drift.html: loads cleanly under its policy (styles from site.css, no script), linked from the index", async () => {
    const { page, errors } = await open("drift.html");
    await expect(page.locator("h1").textContent()).resolves.toBe("Drift report");
    await expect(page.locator('a[href="index.html"]').count()).resolves.toBe(1);
    await screenshot(page, "drift", true);
    expect(errors).toEqual([]);
    expect(offHost).toEqual([]);
    await page.close();
  });

  // One page load per API (a Redoc page is 2.6 MB and takes seconds to render): opened on a deep
  // link, then its navigation and its search are checked on the same page.
  describe.each(apis)("$api.name", ({ api, operations }) => {
    // The first operation with a request body: its sample panels are the richest.
    const op: DocOperation = operations.find((o) => o.method === "post") ?? operations[0]!;
    let page: Page;
    let errors: string[];
    beforeAll(async () => {
      ({ page, errors } = await open(`${api.name}.html${operationAnchor(op)}`));
      await waitForRedoc(page);
    });
    afterAll(() => page?.close());

    it("lands on the operation of a deep link, with its TypeScript sample and a response sample", async () => {
      expect(await headingInView(page, op.summary), `"${op.summary}" is not in view`).toBe(true);
      // The text as shown (innerText), not every text node: hidden tabs must not count.
      // biome-ignore lint/performance/useDomNodeTextContent: see above
      const text = await page.locator("body").innerText();
      expect(text).toContain(`from "@cx-openapi/${api.name}"`);
      expect(text).toMatch(/Response/);
      expect(await samplesMisfit(page)).toEqual([]);
      const cells = await wordsBrokenInCells(page);
      expect(cells.checked, "no mock-examples table shown").toBeGreaterThan(0);
      expect(cells.broken).toEqual([]);
      await screenshot(page, api.name, false);
      // The curl tab: the same request against the local server, wrapped the same way.
      // This operation's panel: the one whose header shows its path (Redoc renders its neighbours too).
      const exactPath = new RegExp(`^${op.path.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")}$`);
      const samples = page
        .locator(".panel-request-samples")
        .filter({ has: page.locator('[data-component-name="Panel/PanelHeader"] span', { hasText: exactPath }) })
        .first();
      await samples.getByText(`@cx-openapi/${api.name}`, { exact: true }).first().click();
      await page.locator('[role="menuitem"]').getByText("curl", { exact: true }).click();
      // biome-ignore lint/performance/useDomNodeTextContent: the text as shown, as above
      const curl = await samples.locator("pre").first().innerText();
      const request = sampleRequest(loadSpec(api.bundleJson), getOperation(loadSpec(api.bundleJson), op.operationId));
      expect(curl).toContain(`'${localUrls[api.name]}${request.target}'`);
      expect(await samplesMisfit(page)).toEqual([]);
      await screenshot(page, `${api.name}-curl`, false);
      // Redoc remembers the tab in localStorage: back to TypeScript, the default, for the other pages.
      await samples.getByText("curl", { exact: true }).first().click();
      await page.locator('[role="menuitem"]').getByText(`@cx-openapi/${api.name}`, { exact: true }).click();
      expect(errors).toEqual([]);
      expect(offHost).toEqual([]);
    });

    it("loads with no console error and no request off 127.0.0.1, and lists every operation in the navigation", async () => {
      // redocly.yaml's title, theme and logo took effect.
      const title = String((loadSpec(api.bundleJson).info as { title: string }).title);
      expect(await page.title()).toBe(`${title} · cx-openapi API reference`);
      const brand = await page.evaluate(() =>
        getComputedStyle(document.documentElement).getPropertyValue("--color-brand-6").trim(),
      );
      expect(brand).toBe("#0f766e");
      const logo = page.locator('[data-testid="logo"] img');
      await expect(logo.getAttribute("src")).resolves.toBe("logo.svg");
      expect(await logo.evaluate((img: HTMLImageElement) => img.complete && img.naturalWidth > 0)).toBe(true);
      // The page links its try-it page (at the top of its introduction, rendered once scrolled to).
      await page.evaluate(() => window.scrollTo(0, 0));
      await page.locator(`a[href="${api.name}-try-it.html"]`).first().waitFor({ timeout: 10_000 });
      const navigation = await navigationTexts(
        page,
        operations.map((op) => op.summary),
      );
      const missing = operations.filter((op) => !navigation.some((text) => text.startsWith(op.summary)));
      expect(missing.map((op) => `${op.operationId} "${op.summary}"`)).toEqual([]);
      expect(errors).toEqual([]);
      expect(offHost).toEqual([]);
    });

    const searchable = operations.filter((op) => /onboard/i.test(op.summary));
    // Only where there is something to find (the Relay CDM API); the last test makes sure it ran.
    if (searchable.length > 0)
      it('finds "onboard" with the search box', async () => {
        await page.locator('[data-testid="search-trigger"]').click();
        await page.keyboard.type("onboard");
        const results = page.locator('[data-component-name="Search/SearchItem"]');
        await results.first().waitFor({ timeout: 10_000 });
        const found = await results.allTextContents();
        for (const op of searchable)
          expect(
            found.some((text) => text.includes(op.summary)),
            op.summary,
          ).toBe(true);
        expect(errors).toEqual([]);
        expect(offHost).toEqual([]);
      });
  });

  /**
   * Stores, the way a reader's app would, the person the getCustomer sample asks for (a Relay
   * onboarding; a HiiRelevate seed, as no sample creates a customer under the example's id), and
   * returns what the page's answer must show of them.
   */
  const storePerson: Record<string, (doc: OpenApiDoc, url: string) => Promise<string[]>> = {
    "relay-cdm": async (doc, url) => {
      const onboard = sampleRequest(doc, getOperation(doc, "onboardCustomer"));
      const body = onboard.body as { customer: Record<string, unknown> };
      const stored = await fetch(`${url}${onboard.target}`, {
        method: onboard.method,
        headers: onboard.headers,
        body: JSON.stringify({ ...body, customer: { ...body.customer, first_name: "Ada" } }),
      });
      expect(stored.status, await stored.text()).toBe(200);
      return [`"ccid": "${String(body.customer.ccid)}"`, '"first_name": "Ada"'];
    },
    hiirelevate: async (doc, url) => {
      const id = decodeURIComponent(
        /\/customers\/([^/]+)$/.exec(sampleRequest(doc, getOperation(doc, "getCustomer")).target)![1]!,
      );
      const created = sampleRequest(doc, getOperation(doc, "createCustomer")).body as Record<string, unknown>;
      const tenant = plainTokenTenant(localCredential);
      const customers = [{ ...created, id, displayName: "Ada" }];
      const stored = await fetch(`${url}/__sandbox/seed`, {
        method: "PUT",
        headers: { "content-type": "application/json" },
        body: JSON.stringify({ hiirelevate: { tenants: { [tenant]: { customers } } } }),
      });
      expect(stored.status, await stored.text()).toBe(204);
      return [`"id": "${id}"`, '"displayName": "Ada"'];
    },
  };

  describe.each(apis)("$api.name try-it page", ({ api, operations }) => {
    it("renders Swagger UI offline on the local servers only, and retrieves from the browser a person stored in the sandbox", async () => {
      const { page, errors } = await open(`${api.name}-try-it.html`);
      await page.locator(".opblock").first().waitFor({ timeout: 20_000 });
      const servers = await page.locator(".servers select option").allTextContents();
      expect(servers.map((text) => text.split(" ")[0])).toEqual([
        localUrls[api.name],
        `http://127.0.0.1:${api.mockPort}`,
      ]);
      expect(await page.locator(".opblock").count()).toBe(operations.length);
      // One call from the page, end to end: the sandbox answers with the stored person, not an example.
      const op = operations.find((o) => o.operationId === "getCustomer")!;
      const doc = loadSpec(api.bundleJson);
      const shows = await storePerson[api.name]!(doc, localUrls[api.name]!);
      const block = page.locator(`#operations-${op.tag}-${op.operationId}`);
      await block.locator(".opblock-summary").click();
      await block.locator("button.execute").click();
      const status = block.locator(".live-responses-table tr.response .response-col_status").first();
      await status.waitFor({ timeout: 10_000 });
      expect((await status.textContent())?.trim()).toBe("200");
      const shown = await block
        .locator(".live-responses-table tr.response .response-col_description")
        .first()
        .textContent();
      for (const text of shows) expect(shown).toContain(text);
      const url = await block.locator(".request-url pre").textContent();
      expect(url?.trim()).toBe(`${localUrls[api.name]}${sampleRequest(doc, getOperation(doc, op.operationId)).target}`);
      await block.scrollIntoViewIfNeeded();
      await screenshot(page, `${api.name}-try-it`, false);
      expect(errors).toEqual([]);
      expect(offHost).toEqual([]);
      await page.close();
    });
  });

  // The sandbox's CORS from a real browser, on the docs' origin: custom headers force preflights;
  // the answers' Retry-After must be readable by the page.
  it("a page on another origin onboards, retrieves, reads Retry-After and gets a HiiRelevate token", async () => {
    const { page, errors } = await open("index.html");
    const result = await page.evaluate(
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
      { relay: localUrls["relay-cdm"]!, hii: localUrls.hiirelevate! },
    );
    expect(result.origin).not.toBe(new URL(localUrls["relay-cdm"]!).origin);
    expect(result).toMatchObject({
      onboard: 200,
      firstName: "Ada",
      faultStatus: 503,
      retryAfter: "2",
      tokenType: "Bearer",
    });
    // The injected 503 (and the console's line about it) is the one error the page sees, as it asked for it.
    expect(errors.filter((error) => !/\b503\b/.test(error))).toEqual([]);
    expect(offHost).toEqual([]);
    await page.close();
  });

  it("records and aborts a request to another host (the guard the tests above rely on)", async () => {
    const { page } = await open("index.html");
    const seen = offHost.length;
    const outcome = await page.evaluate(() =>
      fetch("https://cdn.example.com/probe.js").then(
        () => "loaded",
        () => "blocked",
      ),
    );
    expect(outcome).toBe("blocked");
    expect(offHost.slice(seen)).toEqual(["https://cdn.example.com/probe.js"]);
    offHost.splice(seen);
    await page.close();
  });

  it('has searched for "onboard" on at least one page', () => {
    expect(apis.some(({ operations }) => operations.some((op) => /onboard/i.test(op.summary)))).toBe(true);
  });
});

// Last: the browser tests above use the running command.
describe("pnpm start, stopped", () => {
  it("stops the docs server, the sandbox and every Prism on Ctrl-C, with exit 0 and no error line", async () => {
    await expectCleanStop(start!, "SIGINT");
    await expect(fetch(`${docsUrl}/`)).rejects.toThrow();
    for (const url of Object.values(localUrls)) await expect(fetch(`${url}/`)).rejects.toThrow();
  });
});
