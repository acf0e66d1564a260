// GET / on each API's port: what this port serves (the API's name, version and operations, the
// sandbox's own routes) and where to go next (the docs, the try-it page, the inspector, the other
// APIs), as HTML for a browser and as JSON for `Accept: application/json`.
import { apiNames, apiRegistry, listOperations } from "@cx-openapi/spec";
import { afterEach, describe, expect, it } from "vitest";
import type { PortIndex } from "../../src/port-index.js";
import { serveSandbox, type RunningSandbox } from "../../src/server.js";
import { inProcess, loadSpecs, specFiles } from "../helpers.js";

let running: RunningSandbox | undefined;
afterEach(async () => {
  await running?.stop();
  running = undefined;
});

const serve = async (docsUrl?: string) => {
  running = await serveSandbox({
    sandbox: inProcess(),
    specFiles,
    gate: "in-process",
    ...(docsUrl ? { docsUrl } : {}),
  });
  return running.urls;
};

describe("GET / on an API's port", () => {
  it("answers JSON for Accept: application/json: the API, its operations, the sandbox's routes and links", async () => {
    const urls = await serve("http://127.0.0.1:8080/");
    for (const api of apiNames) {
      const answer = await fetch(`${urls[api]}/`, { headers: { accept: "application/json" } });
      expect([answer.status, answer.headers.get("content-type")]).toEqual([200, "application/json"]);
      const index = (await answer.json()) as PortIndex;
      const spec = loadSpecs()[api];
      const { version } = spec.info as { version: string };
      expect(index).toMatchObject({ api, title: apiRegistry[api].title, version });
      expect(index.operations).toEqual(
        listOperations(spec).map((op) => ({
          method: op.method.toUpperCase(),
          path: op.path,
          operationId: op.operationId,
        })),
      );
      expect(index.sandboxRoutes).toEqual(
        expect.arrayContaining([
          expect.objectContaining({ method: "GET", path: "/__sandbox/requests" }),
          expect.objectContaining({ method: "GET", path: "/__sandbox/" }),
          expect.objectContaining({ method: "POST", path: "/__sandbox/reset" }),
        ]),
      );
      expect(index.links).toEqual({
        inspector: `${urls[api]}/__sandbox/`,
        docs: "http://127.0.0.1:8080/",
        tryIt: `http://127.0.0.1:8080/${api}-try-it.html`,
        apis: Object.fromEntries(apiNames.map((name) => [name, `${urls[name]}/`])),
      });
    }
  });

  it("without served docs, says how to get them", async () => {
    const urls = await serve();
    const index = (await (
      await fetch(`${urls["relay-cdm"]}/`, { headers: { accept: "application/json" } })
    ).json()) as PortIndex;
    expect([index.links.docs, index.links.tryIt]).toEqual([null, null]);
    expect(index.docs).toMatch(/pnpm start/);
    expect(index.docs).toMatch(/pnpm docs:build/);
  });

  it("answers HTML for a browser, with every operation and a link to the inspector, the docs and the other API", async () => {
    const urls = await serve("http://127.0.0.1:8080/");
    const answer = await fetch(`${urls.hiirelevate}/`, { headers: { accept: "text/html,*/*;q=0.8" } });
    expect([answer.status, answer.headers.get("content-type")]).toEqual([200, "text/html; charset=utf-8"]);
    expect(answer.headers.get("content-security-policy")).toContain("default-src 'none'");
    const html = await answer.text();
    for (const op of listOperations(loadSpecs().hiirelevate)) expect(html).toContain(op.operationId);
    expect(html).toContain(`href="${urls.hiirelevate}/__sandbox/"`);
    expect(html).toContain('href="http://127.0.0.1:8080/hiirelevate-try-it.html"');
    expect(html).toContain(`href="${urls["relay-cdm"]}/"`);
    expect(html).not.toContain("<script");
    // curl's default Accept gets the page too; other methods still reach the API (its 404).
    expect((await fetch(`${urls.hiirelevate}/`, { headers: { accept: "*/*" } })).headers.get("content-type")).toMatch(
      /^text\/html/,
    );
    expect((await fetch(`${urls.hiirelevate}/`, { method: "POST" })).status).toBe(404);
  });
});
