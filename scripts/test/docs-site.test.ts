// What the docs are built from and how: the content every operation needs, the "inferred" markers,
// the offline guard and the static server's path handling. The browser test covers the result.
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { isObject, listOperations, loadSpec } from "../lib/openapi.js";
import { loadApis, repoRoot } from "../lib/apis.js";
import {
  docOperations,
  docsDocument,
  emptySvg,
  externalResources,
  makeOffline,
  operationAnchor,
  operationSamples,
} from "../lib/docs-site.js";
import { resolveFile } from "../lib/static-server.js";

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

  it('makes every "x-inferred" marker visible: its description says "inferred", an inferred operation has a badge', () => {
    const before = JSON.stringify(doc);
    const { doc: shown, inferredMarked } = docsDocument(doc, { url: "logo.svg" });
    expect(JSON.stringify(doc), "the bundle itself must not change").toBe(before);
    const nodes = inferredNodes(shown);
    expect(inferredMarked).toBe(nodes.length);
    const silent = nodes
      .filter(({ node }) => !/\binferred\b/i.test(String(node.description ?? "")))
      .map(({ pointer }) => pointer);
    expect(silent).toEqual([]);
    for (const op of docOperations(shown).filter((o) => o.inferred)) {
      const raw = (shown.paths?.[op.path] as Record<string, Record<string, unknown>>)[op.method]!;
      expect(raw["x-badges"]).toEqual([{ name: "Inferred", color: "#b45309" }]);
    }
    expect((shown.info as Record<string, unknown>)["x-logo"]).toEqual({ url: "logo.svg" });
  });

  it("links every operation with Redoc's deep-link format", () => {
    for (const op of docOperations(doc)) expect(operationAnchor(op)).toBe(`#tag/${op.tag}/operation/${op.operationId}`);
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
  it.each(["/index.html", "/openapi/relay-cdm.json", "/", "/a%20b.html", "/index.html?x=1#y"])(
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
  ])("refuses %s", (target) => expect(resolveFile(root, target)).toBeUndefined());
});
