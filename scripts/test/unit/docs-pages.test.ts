// The docs' own pages (the index and the try-it pages) are filled from docs/templates/ and styled by
// docs/site.css alone, which also gives the Redoc pages their colours: one place for the palette.
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { repoRoot } from "../../lib/apis.js";
import { externalResources } from "../../lib/docs-offline.js";
import { indexPage, tryItPage, type IndexEntry } from "../../lib/docs-pages.js";
import { driftPage } from "../../lib/drift-page.js";
import { driftReport } from "../../lib/drift-report.js";
import { fillTemplate, fillText } from "../../lib/templates.js";

const docsFile = (name: string) => readFileSync(join(repoRoot, "docs", name), "utf8");
const hexColour = /#[0-9a-f]{3,8}\b/i;

describe("fillTemplate", () => {
  it("escapes every value but HTML made from a template", () => {
    const bold = fillTemplate("<b>{{name}}</b>", { name: "<i>" }, "bold.html");
    const page = fillTemplate('<p title="{{text}}">{{bold}} {{count}}</p>', { text: `"&'<`, bold, count: 3 }, "p.html");
    expect(String(page)).toBe('<p title="&quot;&amp;&#39;&lt;"><b>&lt;i&gt;</b> 3</p>');
    expect(fillText("[{{url}}]", { url: "http://127.0.0.1:1/?a&b" }, "x.md")).toBe("[http://127.0.0.1:1/?a&b]");
  });

  it("refuses a placeholder without a value and a value without a placeholder, naming the template", () => {
    expect(() => fillTemplate("{{a}} {{b}}", { a: "1" }, "x.html")).toThrow("x.html: no value for {{b}}");
    expect(() => fillTemplate("{{a}}", { a: "1", c: "2" }, "x.html")).toThrow("x.html: no placeholder {{c}}");
    expect(() => fillText("{{toString}}", {}, "x.md")).toThrow("x.md: no value for {{toString}}");
  });
});

const entry: IndexEntry = {
  name: "relay-cdm",
  title: "Relay <CDM> & co",
  version: "1.0.0",
  summary: 'A "summary" <script>alert(1)</script>',
  operations: 4,
  inferredOperations: 1,
  page: "relay-cdm.html",
  yaml: "openapi/relay-cdm.yaml",
  json: "openapi/relay-cdm.json",
  tryItPage: "relay-cdm-try-it.html",
  servers: [
    { url: "http://127.0.0.1:4010", description: "sandbox" },
    { url: "http://127.0.0.1:4020", description: "static mock" },
  ],
  clientPackage: "@cx-openapi/relay-cdm",
};

const pages = {
  index: indexPage({ entries: [entry], logoUrl: "logo.svg" }),
  "try-it": tryItPage({
    title: "Relay <CDM>",
    referencePage: "relay-cdm.html",
    spec: { openapi: "3.1.0", info: { title: "T", version: "1" }, servers: entry.servers, paths: {} },
    credentials: { apiKey: "any" },
  }),
  drift: driftPage(driftReport([]), { sources: [], mode: "site" }),
};

describe("the index, try-it and drift pages", () => {
  it.each(Object.entries(pages))("%s takes its styles from site.css alone: no inline style, no colour", (_, html) => {
    expect(html).toContain('<link rel="stylesheet" href="site.css">');
    expect(html).not.toMatch(/<style|\sstyle=/);
    expect(html).not.toMatch(hexColour);
  });

  it("index shows what the spec says as text, never as markup", () => {
    expect(pages.index).toContain("Relay &lt;CDM&gt; &amp; co");
    expect(pages.index).toContain("&lt;script&gt;alert(1)&lt;/script&gt;");
    expect(pages.index).not.toContain("<script");
    expect(pages.index).toContain("1 of 4 operations are inferred");
  });

  it("index links the drift report, which links back", () => {
    expect(pages.index).toContain('<a class="drift" href="drift.html">');
    expect(pages.drift).toContain('<a href="index.html">');
  });

  it("try-it runs no inline script: its policy and its scripts are files", () => {
    expect(pages["try-it"]).toContain("script-src 'self';");
    expect(pages["try-it"]).toMatch(/<h1>Try it: Relay &lt;CDM&gt;<\/h1>/);
    const inline = [...pages["try-it"].matchAll(/<script(?![^>]*\bsrc=)([^>]*)>/g)].map((m) => m[1]);
    expect(inline).toEqual([' type="application/json" id="try-it-config"']);
  });
});

describe("docs/site.css", () => {
  const css = docsFile("site.css");

  it("holds the palette the Redoc page template takes its theme colours from", () => {
    const template = docsFile("redoc-template.hbs");
    expect(template).toContain('<link rel="stylesheet" href="site.css">');
    expect(template).not.toMatch(hexColour);
    const defined = new Set([...css.matchAll(/(--[\w-]+)\s*:/g)].map((m) => m[1]));
    const used = [...template.matchAll(/var\((--[\w-]+)\)/g)].map((m) => m[1]);
    expect(used).toContain("--cx-brand-6");
    expect(used.filter((name) => !defined.has(name))).toEqual([]);
  });

  it("loads nothing from another host", () => {
    expect(externalResources(`<style>${css}</style>`)).toEqual([]);
  });
});
