// What the docs are built from and how: the content every operation needs, the "inferred" markers,
// the offline guard and the static server's path handling. The browser test covers the result.
import { mkdirSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { isObject, listOperations, loadSpec } from "@cx-openapi/spec";
import { loadApis, repoRoot } from "../../lib/apis.js";
import { curlCommand, sampleRequest, shellQuote } from "../../lib/curl-samples.js";
import {
  docOperations,
  docsDocument,
  operationAnchor,
  operationSamples,
  preferExamples,
  type LocalDocs,
} from "../../lib/docs-document.js";
import { emptySvg, externalResources, makeOffline, withPolicy } from "../../lib/docs-offline.js";
import { localCredentials, tryItDocument, tryItPage } from "../../lib/docs-pages.js";
import { execFileSync } from "node:child_process";
import { createHash } from "node:crypto";
import { resolveFile, serveStatic } from "../../lib/static-server.js";
import { expectNoForwarding, rawRequest, startCanary } from "@cx-openapi/devkit/testing";

const apis = loadApis().map((api) => ({ api, doc: loadSpec(api.bundleJson) }));

const hasExample = (media: Record<string, unknown>) =>
  media.example !== undefined || (isObject(media.examples) && Object.keys(media.examples).length > 0);

/** Every node of a document with `x-inferred: true`, with its JSON pointer. */
function inferredNodes(doc: unknown): { pointer: string; node: Record<string, unknown> }[] {
  const found: { pointer: string; node: Record<string, unknown> }[] = [];
  const visit = (node: unknown, pointer: string) => {
    if (Array.isArray(node)) node.forEach((child, i) => visit(child, `${pointer}/${i}`));
    if (!isObject(node)) return;
    if (node["x-inferred"] === true) found.push({ pointer, node });
    for (const [key, child] of Object.entries(node))
      if (key !== "example" && key !== "examples") visit(child, `${pointer}/${key}`);
  };
  visit(doc, "#");
  return found;
}

describe.each(apis)("$api.name docs content", ({ doc }) => {
  it("gives every operation a request example (its body's, or the code sample when it has no body) and a response example when a response has a documented body", () => {
    const samples = new Map(operationSamples(doc).map((op) => [op.operationId, op.samples]));
    const problems: string[] = [];
    for (const op of listOperations(doc)) {
      const bodyExample = op.requestBody && Object.values(op.requestBody.content).some(hasExample);
      if (op.requestBody ? !bodyExample : !samples.get(op.operationId)?.length)
        problems.push(`${op.operationId}: no request example`);
      // A response body the vendor does not document (Relay's UndocumentedBody) has nothing to show.
      const documented = Object.values(op.responses).some((r) =>
        Object.values(r.content ?? {}).some(
          (m) => !isObject(m.schema) || m.schema.$ref !== "#/components/schemas/UndocumentedBody",
        ),
      );
      const responseExample = Object.values(op.responses).some((r) => Object.values(r.content ?? {}).some(hasExample));
      if (documented && !responseExample) problems.push(`${op.operationId}: no response example`);
    }
    expect(problems).toEqual([]);
  });

  it('makes every "x-inferred" marker visible: its description says "inferred"; inferred operations get a badge, or one note when all are', () => {
    const before = JSON.stringify(doc);
    const { doc: shown, inferredMarked } = docsDocument(doc, { url: "logo.svg" });
    expect(JSON.stringify(doc), "the bundle itself must not change").toBe(before);
    const nodes = inferredNodes(shown);
    expect(inferredMarked).toBe(nodes.length);
    const silent = nodes
      .filter(({ node }) => !/\binferred\b/i.test(String(node.description ?? "")))
      .map(({ pointer }) => pointer);
    expect(silent).toEqual([]);
    const operations = docOperations(shown);
    const allInferred = operations.every((o) => o.inferred);
    for (const op of operations.filter((o) => o.inferred)) {
      const raw = (shown.paths?.[op.path] as Record<string, Record<string, unknown>>)[op.method]!;
      // The same badge on every operation would say nothing: then the page says it once.
      expect(raw["x-badges"]).toEqual(allInferred ? undefined : [{ name: "Inferred", color: "warning" }]);
    }
    const description = String((shown.info as Record<string, unknown>).description);
    expect(description.includes(`Every one of the ${operations.length} operations of this API is inferred`)).toBe(
      allInferred,
    );
    expect((shown.info as Record<string, unknown>)["x-logo"]).toEqual({ url: "logo.svg" });
  });

  it("links every operation with Redoc's deep-link format", () => {
    for (const op of docOperations(doc)) expect(operationAnchor(op)).toBe(`#tag/${op.tag}/operation/${op.operationId}`);
  });
});

const local: LocalDocs = {
  servers: [
    { url: "http://127.0.0.1:4010", description: "Local stateful sandbox" },
    { url: "http://127.0.0.1:4020", description: "Local static mock" },
  ],
  tryItPage: "x-try-it.html",
  mocksSection: "# Local servers\n\nThe section on the mocks.",
};

describe.each(apis)("$api.name docs with the local servers", ({ doc }) => {
  const { doc: shown } = docsDocument(doc, undefined, local);
  const shownOperations = new Map(
    Object.values(shown.paths ?? {}).flatMap((item) =>
      Object.values(item).flatMap((op) =>
        isObject(op) && typeof op.operationId === "string" ? [[op.operationId, op]] : [],
      ),
    ),
  );

  it("lists the spec's servers, then the local ones; the spec itself keeps only its own", () => {
    const servers = shown.servers as { url: string }[];
    expect(servers.map((s) => s.url)).toEqual(
      [...(doc.servers as { url: string }[]), ...local.servers].map((s) => s.url),
    );
    expect(servers.slice(-local.servers.length)).toEqual(local.servers);
    expect(JSON.stringify(doc.servers)).not.toContain("127.0.0.1");
  });

  it("gives every operation a curl sample against the first local server, built from the spec's examples", () => {
    for (const op of listOperations(doc)) {
      const samples = shownOperations.get(op.operationId)!["x-codeSamples"] as { label: string; source: string }[];
      const curl = samples.find((s) => s.label === "curl");
      expect(curl?.source, op.operationId).toBe(curlCommand(sampleRequest(doc, op), "http://127.0.0.1:4010"));
      expect(curl!.source).toMatch(
        new RegExp(`^curl -i (-X ${op.method.toUpperCase()} )?'http://127\\.0\\.0\\.1:4010/`),
      );
      // The TypeScript sample stays the first (the tab Redoc shows first).
      expect(samples[0]?.label).toMatch(/^@cx-openapi\//);
    }
  });

  it("lists every named response example of an operation with the Prefer header that selects it", () => {
    for (const op of listOperations(doc)) {
      const named = Object.entries(op.responses).flatMap(([status, r]) =>
        Object.values(r.content ?? {}).flatMap((m) => Object.keys(m.examples ?? {}).map((name) => `${status} ${name}`)),
      );
      const listed = preferExamples(doc, op.operationId);
      expect(listed.map((e) => `${e.status} ${e.name}`)).toEqual(named);
      const description = String(shownOperations.get(op.operationId)!.description);
      for (const e of listed) expect(description).toContain(`\`Prefer: ${e.prefer}\``);
      if (listed.length === 0) expect(description).not.toContain("Mock examples");
    }
  });

  it("links the try-it page and ends with the section on the mocks", () => {
    const description = String((shown.info as Record<string, unknown>).description);
    expect(description).toContain("](x-try-it.html)");
    expect(description.trimEnd().endsWith(local.mocksSection)).toBe(true);
  });

  it("builds a try-it page whose spec has only the local servers, with a policy that allows nothing else", () => {
    const spec = tryItDocument(doc, local.servers);
    expect(spec.servers).toEqual(local.servers);
    const html = tryItPage({ title: "T", referencePage: "t.html", spec, credentials: localCredentials(doc, "any") });
    expect(() => makeOffline(html, "t-try-it.html")).not.toThrow();
    expect(html).toContain("connect-src 'self' http://127.0.0.1:*");
    expect(html).toMatch(/default-src 'none'/);
    // The spec inside the page cannot end its <script> element early.
    const config = /<script type="application\/json" id="try-it-config">(.*?)<\/script>/s.exec(html)?.[1];
    expect(JSON.parse(config!).spec).toEqual(spec);
  });
});

describe("shellQuote", () => {
  it.each(["plain", "it's", `"double" and 'single' $HOME \`cmd\` \\ \n newline`])("survives the shell: %s", (text) => {
    expect(execFileSync("sh", ["-c", `printf %s ${shellQuote(text)}`], { encoding: "utf8" })).toBe(text);
  });
});

describe("the HiiRelevate docs", () => {
  it("show the inferred markers (the spec marks most of it inferred)", () => {
    const hii = apis.find(({ api }) => api.name === "hiirelevate");
    expect(hii).toBeDefined();
    expect(inferredNodes(hii!.doc).length).toBeGreaterThan(10);
    expect(docOperations(hii!.doc).every((op) => op.inferred)).toBe(true);
  });
});

describe("the Redoc pages' Content-Security-Policy", () => {
  it("allows the page's own inline scripts by hash, and nothing injected, loaded or called elsewhere", () => {
    const own = 'document.title = "</scr" + "ipt>";';
    // "İ" lower-cases to two characters: the scripts must be found in the page as it is.
    const html = `<html><head><title>İİ</title><script>${own}</script></head><body><script type="module">run()</script><script type="application/json">{}</script></body></html>`;
    const page = withPolicy(html);
    const policy = /<meta http-equiv="Content-Security-Policy" content="([^"]+)">/.exec(page)?.[1] ?? "";
    expect(page.indexOf("Content-Security-Policy")).toBeLessThan(page.indexOf("<script"));
    const hash = (text: string) => `'sha256-${createHash("sha256").update(text).digest("base64")}'`;
    expect(policy).toContain(`script-src ${hash(own)} ${hash("run()")};`);
    expect(/script-src ([^;]+)/.exec(policy)?.[1]).not.toMatch(/unsafe/);
    expect(policy).toMatch(/^default-src 'none';/);
    expect(policy).toContain("connect-src 'self' http://127.0.0.1:*;");
  });
});

describe("makeOffline", () => {
  it("replaces the Redocly badge images and leaves links to other sites alone", () => {
    const html = `<a href="https://redocly.com/redoc/"><img src="https://cdn.redoc.ly/redoc/logo-mini-full.svg"></a><script>x=\`https://cdn.redoc.ly/redoc/logo-mini.svg\`</script>`;
    const out = makeOffline(html, "t.html");
    expect(out).not.toContain("cdn.redoc.ly");
    expect(out).toContain(emptySvg);
    expect(out).toContain('href="https://redocly.com/redoc/"');
  });

  it.each([
    ['<script type="module" src="https://cdn.example.com/redoc.js"></script>', "script"],
    ['<script type="module">import { hydrate } from "https://cdn.example.com/x.js";</script>', "ES module import"],
    ['<link rel="stylesheet" href="https://fonts.googleapis.com/css?family=Roboto">', "link"],
    ['<link rel="modulepreload" href="//cdn.example.com/x.js">', "link"],
    ['<img src="https://example.com/logo.png">', "embedded resource"],
    ["<style>body { background: url(https://example.com/bg.png) }</style>", "CSS url()"],
    ["<style>@import 'https://example.com/x.css';</style>", "CSS @import"],
  ])("refuses a page that would load %s", (html, kind) => {
    expect(externalResources(html).join("\n")).toContain(kind);
    expect(() => makeOffline(html, "t.html")).toThrow(/would load external resources/);
  });
});

describe("the static server's path handling", () => {
  const root = join(repoRoot, "dist/docs");
  it.each(["/index.html", "/openapi/relay-cdm.json", "/", "/a%20b.html", "/index.html?x=1"])(
    "serves %s from inside the root",
    (target) => {
      const file = resolveFile(root, target);
      expect(file).toBeDefined();
      expect(file!.path === root || file!.path.startsWith(`${root}/`)).toBe(true);
    },
  );

  it.each([
    "/../package.json",
    "/%2e%2e/package.json",
    "/openapi/..%2f..%2fpackage.json",
    "/..%5cpackage.json",
    "/%00.html",
    "/.git/config",
    "relative.html",
    "/%E0%A4%A.html",
    "//openapi",
    "/\\openapi",
    "/index.html#fragment",
  ])("refuses %s", (target) => expect(resolveFile(root, target)).toBeUndefined());

  it("answers a target that names another host with 400, never a redirect to it", async () => {
    const dir = mkdtempSync(join(tmpdir(), "cx-static-"));
    mkdirSync(join(dir, "openapi"));
    const [server, canary] = await Promise.all([serveStatic({ root: dir }), startCanary()]);
    try {
      await expectNoForwarding(server.url, canary, {
        refused: (status) => status === 400 || status === 405 || status === 0,
      });
      const folder = await rawRequest(server.url, { target: "//openapi" });
      expect([folder.status, folder.headers.location]).toEqual([400, undefined]);
      expect((await rawRequest(server.url, { target: "/openapi" })).headers.location).toBe("/openapi/");
    } finally {
      await Promise.all([server.close(), canary.close()]);
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
