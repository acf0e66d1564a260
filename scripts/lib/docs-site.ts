// The pure parts of `pnpm run docs`: what Redoc is given, how its output is made offline, the index page.
import { createHash } from "node:crypto";
import { curlCommand, parameterExample, sampleRequest } from "./curl-samples.js";
import {
  deref,
  isHttpMethod,
  isObject,
  listOperations,
  operationEntries,
  type OpenApiDoc,
  type Parameter,
} from "@cx-openapi/spec";

export interface DocOperation {
  operationId: string;
  summary: string;
  method: string;
  path: string;
  tag: string;
  inferred: boolean;
}

/** Every operation of a bundled spec, in document order, with what the docs show of it. */
export function docOperations(doc: OpenApiDoc): DocOperation[] {
  return operationEntries(doc).flatMap(({ path, method, op }) => {
    if (typeof op.operationId !== "string") return [];
    const tags = Array.isArray(op.tags) ? (op.tags as unknown[]) : [];
    return [
      {
        operationId: op.operationId,
        summary: typeof op.summary === "string" ? op.summary : op.operationId,
        method,
        path,
        tag: typeof tags[0] === "string" ? tags[0] : "default",
        inferred: op["x-inferred"] === true,
      },
    ];
  });
}

export interface CodeSample {
  operationId: string;
  method: string;
  path: string;
  lang: string;
  label: string;
  source: string;
}

/** Every operation with its code samples (an empty list when it has none), in document order. */
export function operationSamples(
  doc: OpenApiDoc,
): { operationId: string; method: string; path: string; samples: CodeSample[] }[] {
  return operationEntries(doc).flatMap(({ path, method, op }) => {
    const operationId = op.operationId;
    if (typeof operationId !== "string") return [];
    const raw = Array.isArray(op["x-codeSamples"]) ? (op["x-codeSamples"] as unknown[]) : [];
    const samples = raw.filter(isObject).map((s) => ({
      operationId,
      method,
      path,
      lang: String(s.lang ?? ""),
      label: String(s.label ?? ""),
      source: String(s.source ?? ""),
    }));
    return [{ operationId, method, path, samples }];
  });
}

/** The Redoc 3 deep link of an operation: `#tag/<tag>/operation/<operationId>`. */
export function operationAnchor(op: Pick<DocOperation, "tag" | "operationId">): string {
  return `#tag/${encodeURIComponent(op.tag)}/operation/${encodeURIComponent(op.operationId)}`;
}

/** The `info.x-logo` shape Redoc reads (also what redocly.yaml's `openapi.x-logo` holds). */
export interface Logo {
  url: string;
  href?: string;
  altText?: string;
  backgroundColor?: string;
}

/** A local server the docs add to each page: where `pnpm start` or `pnpm mock` serves the API. */
export interface LocalServer {
  url: string;
  description: string;
}

/** What the docs add to a page for the local servers: the servers, the curl samples, the try-it link. */
export interface LocalDocs {
  /** The first is the one the curl samples and the try-it page call (`pnpm start`'s). */
  servers: LocalServer[];
  /** The try-it page of this API, relative to the reference page. */
  tryItPage: string;
  /** Markdown appended to `info.description`: the section on the mocks. */
  mocksSection: string;
}

/** One response example a mock can be asked for with `Prefer`. */
export interface PreferExample {
  status: string;
  name: string;
  summary: string;
  /** The `Prefer` header value that selects it on the static mock. */
  prefer: string;
}

/**
 * The named response examples of an operation, with the `Prefer` header that selects each on the
 * static mock (Prism): `example=<name>` for the status Prism answers by default (the lowest 2xx),
 * `code=<status>, example=<name>` for the others.
 */
export function preferExamples(doc: OpenApiDoc, operationId: string): PreferExample[] {
  const op = listOperations(doc).find((o) => o.operationId === operationId);
  if (!op) throw new Error(`No operation "${operationId}" in the spec`);
  const statuses = Object.keys(op.responses);
  const defaultStatus = statuses.filter((s) => /^2\d\d$/.test(s)).sort()[0];
  return statuses.flatMap((status) =>
    Object.values(op.responses[status]?.content ?? {}).flatMap((media) =>
      Object.entries(media.examples ?? {}).map(([name, raw]) => {
        const example = deref<{ summary?: unknown }>(doc, raw);
        return {
          status,
          name,
          summary: isObject(example) && typeof example.summary === "string" ? example.summary : "",
          prefer: status === defaultStatus ? `example=${name}` : `code=${status}, example=${name}`,
        };
      }),
    ),
  );
}

/** The Markdown table of an operation's `Prefer` examples (empty when it has none). */
function preferTable(rows: PreferExample[]): string {
  if (!rows.length) return "";
  const cell = (text: string) => text.replace(/\|/g, "\\|").replace(/\n/g, " ");
  return [
    "",
    "**Mock examples.** The static mock answers with one of these response examples; pick it with the",
    "`Prefer` request header (the sandbox ignores `Prefer`: it answers from its state).",
    "",
    "| Status | Request header | Example |",
    "|---|---|---|",
    ...rows.map((r) => `| ${r.status} | \`Prefer: ${r.prefer}\` | ${cell(r.summary || r.name)} |`),
  ].join("\n");
}

/**
 * What Redoc renders for one API: the bundle, plus the docs-only additions. The spec sources stay
 * untouched; only the copy handed to `redocly build-docs` changes.
 * - Redoc hides `x-` keys, so every node marked `x-inferred: true` must say so in its description:
 *   one that does not mention "inferred" gets an "Inferred:" lead-in (plain text: server
 *   descriptions are not Markdown). Where only some operations are inferred, those get an
 *   "Inferred" badge; where all are, one note at the top of the page says so instead (the same
 *   badge on every operation would tell nothing).
 * - The logo from redocly.yaml (`openapi.x-logo`), unless the spec brings its own `info.x-logo`.
 * - With `local`: the local servers after the spec's own (the spec's `servers` must be https, so
 *   they are added here), a curl sample per operation against the first of them, the `Prefer`
 *   examples of each operation, the try-it link and the section on the mocks.
 */
export function docsDocument(
  bundle: OpenApiDoc,
  logo: Logo | undefined,
  local?: LocalDocs,
): { doc: OpenApiDoc; inferredMarked: number } {
  const doc = structuredClone(bundle);
  const entries = operationEntries(doc);
  const allInferred = entries.length > 0 && entries.every(({ op }) => op["x-inferred"] === true);
  let inferredMarked = 0;
  const visit = (node: unknown, isOperation: boolean) => {
    if (Array.isArray(node)) {
      for (const child of node) visit(child, false);
      return;
    }
    if (!isObject(node)) return;
    if (node["x-inferred"] === true) {
      inferredMarked += 1;
      const description = typeof node.description === "string" ? node.description : "";
      if (!/\binferred\b/i.test(description)) {
        node.description = description
          ? `Inferred: ${description}`
          : "Inferred by the cx-openapi authors; not documented by the vendor.";
      }
      if (isOperation && !allInferred) {
        const badges = Array.isArray(node["x-badges"]) ? (node["x-badges"] as unknown[]) : [];
        node["x-badges"] = [...badges, { name: "Inferred", color: "#b45309" }];
      }
    }
    for (const [key, child] of Object.entries(node)) {
      // Examples are data, not documentation: an example value carrying `x-inferred` stays as it is.
      if (key === "example" || key === "examples" || key === "x-codeSamples") continue;
      visit(child, false);
    }
  };
  for (const item of Object.values(doc.paths ?? {})) {
    if (!isObject(item)) continue;
    for (const [key, child] of Object.entries(item)) visit(child, isHttpMethod(key));
  }
  for (const [key, child] of Object.entries(doc)) if (key !== "paths") visit(child, false);
  const info = isObject(doc.info) ? doc.info : {};
  if (logo && isObject(doc.info) && doc.info["x-logo"] === undefined) doc.info["x-logo"] = { ...logo };
  const lead: string[] = [];
  if (allInferred)
    lead.push(
      `> **Every one of the ${entries.length} operations of this API is inferred**, not read from the vendor's docs: each operation's description says which parts (path, method, status, body) are inferred, and why.`,
    );
  if (local) {
    const [first] = local.servers;
    if (!first) throw new Error("docsDocument: local.servers is empty");
    doc.servers = [...(Array.isArray(doc.servers) ? doc.servers : []), ...local.servers.map((s) => ({ ...s }))];
    lead.push(
      `**[Try it](${local.tryItPage})**: call this API from your browser against the local sandbox (\`pnpm start\`, ${first.url}).`,
    );
    const operations = new Map(listOperations(bundle).map((o) => [o.operationId, o]));
    for (const { op } of entries) {
      const operationId = String(op.operationId);
      const request = sampleRequest(bundle, operations.get(operationId)!);
      const samples = Array.isArray(op["x-codeSamples"]) ? (op["x-codeSamples"] as unknown[]) : [];
      op["x-codeSamples"] = [...samples, { lang: "Shell", label: "curl", source: curlCommand(request, first.url) }];
      const table = preferTable(preferExamples(bundle, operationId));
      if (table) op.description = `${typeof op.description === "string" ? op.description.trimEnd() : ""}\n${table}\n`;
    }
  }
  const parts = [...lead, typeof info.description === "string" ? info.description.trimEnd() : ""];
  if (local) parts.push(local.mocksSection);
  const description = parts.filter(Boolean).join("\n\n");
  if (description && isObject(doc.info)) doc.info.description = `${description}\n`;
  return { doc, inferredMarked };
}

/** An empty SVG: what the Redocly badge images become, so the page loads nothing from a CDN. */
export const emptySvg =
  "data:image/svg+xml,%3Csvg xmlns=%22http://www.w3.org/2000/svg%22 width=%220%22 height=%220%22/%3E";

/**
 * Assets Redoc's bundle loads from Redocly's CDNs, and what replaces them. The "API docs by
 * Redocly" badge images hide themselves when empty; the icon packs are never used by our pages
 * (the browser test proves no request leaves 127.0.0.1), and point at a local folder that does not
 * exist rather than at a CDN.
 */
const cdnAssets: [RegExp, string][] = [
  [/https:\/\/cdn\.redoc\.ly\/redoc\/logo-mini(?:-full)?\.svg/g, emptySvg],
  [/https:\/\/cdn\.redocly\.com\/icons\//g, "./icons/"],
  [/https:\/\/cdn\.redocly\.com\/redoc\/[^"'`\s)]*/g, "./redoc-cdn-disabled"],
];

/** Hosts an offline page must not load anything from, whatever the reference to them looks like. */
const forbiddenHosts =
  /\b(?:cdn\.redoc\.ly|cdn\.redocly\.com|fonts\.googleapis\.com|fonts\.gstatic\.com|unpkg\.com|cdn\.jsdelivr\.net)\b/;

/**
 * The Content-Security-Policy of a Redoc page: it runs its own inline scripts only (by hash, so no
 * injected script runs), loads nothing from another host, and calls nothing but 127.0.0.1.
 */
export function redocPolicy(html: string): string {
  const hashes = inlineScripts(html).map((text) => `'sha256-${createHash("sha256").update(text).digest("base64")}'`);
  return [
    "default-src 'none'",
    `script-src ${hashes.join(" ")}`,
    "style-src 'self' 'unsafe-inline'",
    "img-src 'self' data:",
    "font-src 'self' data:",
    "worker-src blob:",
    "connect-src 'self' http://127.0.0.1:*",
    "form-action 'none'",
    "base-uri 'none'",
  ].join("; ");
}

/** The text of every inline <script> of a page, read as an HTML parser does (a script ends at the first `</script`). */
export function inlineScripts(html: string): string[] {
  const scripts: string[] = [];
  const open = /<script\b([^>]*)>/gi;
  const close = /<\/script[\s/>]/gi;
  for (let match = open.exec(html); match; match = open.exec(html)) {
    close.lastIndex = open.lastIndex;
    const end = close.exec(html)?.index;
    if (end === undefined) break;
    const attributes = match[1] ?? "";
    if (!/\bsrc\s*=/i.test(attributes) && !/type\s*=\s*["']?application\/(?:ld\+)?json/i.test(attributes))
      scripts.push(html.slice(open.lastIndex, end));
    open.lastIndex = end;
  }
  return scripts;
}

/** A Redoc page with its Content-Security-Policy, as the first element of its head. */
export function withPolicy(html: string): string {
  const meta = `<meta http-equiv="Content-Security-Policy" content="${redocPolicy(html)}">`;
  return html.replace(/<head>/i, `<head>\n  ${meta}`);
}

/** Replaces the CDN assets in a Redoc page and fails when any external resource load is left. */
export function makeOffline(html: string, page: string): string {
  let out = html;
  for (const [pattern, replacement] of cdnAssets) out = out.replace(pattern, replacement);
  const problems = externalResources(out);
  const cdn = forbiddenHosts.exec(out);
  if (cdn) problems.push(`a reference to ${cdn[0]}`);
  if (problems.length) throw new Error(`${page} would load external resources:\n  ${problems.join("\n  ")}`);
  return out;
}

/** External resources an HTML page's markup or CSS loads (links to other sites are fine). */
export function externalResources(html: string): string[] {
  const found: string[] = [];
  const patterns: [RegExp, string][] = [
    [/<script\b[^>]*\bsrc\s*=\s*["']?(?:https?:)?\/\/[^"'\s>]+/gi, "script"],
    [/<link\b[^>]*\bhref\s*=\s*["']?(?:https?:)?\/\/[^"'\s>]+[^>]*>/gi, "link"],
    [
      /<(?:img|iframe|source|video|audio|embed)\b[^>]*\bsrc\s*=\s*["']?(?:https?:)?\/\/[^"'\s>]+/gi,
      "embedded resource",
    ],
    [/url\(\s*["']?(?:https?:)?\/\/[^)"']+/gi, "CSS url()"],
    [/@import\s+(?:url\()?\s*["'](?:https?:)?\/\/[^"']+/gi, "CSS @import"],
    [/\bimport\s*(?:[\w{}*\s,]+from\s*)?["']https?:\/\/[^"']+/g, "ES module import"],
  ];
  for (const [pattern, kind] of patterns) {
    for (const match of html.matchAll(pattern)) {
      // A <link> that only navigates (rel=canonical etc.) loads nothing; stylesheets, preloads and icons do.
      if (
        kind === "link" &&
        !/\brel\s*=\s*["']?(?:stylesheet|preload|modulepreload|icon|prefetch|preconnect|dns-prefetch|manifest)/i.test(
          match[0],
        )
      )
        continue;
      found.push(`${kind}: ${match[0].slice(0, 160)}`);
    }
  }
  return found;
}

export interface IndexEntry {
  name: string;
  title: string;
  version: string;
  summary: string;
  operations: number;
  inferredOperations: number;
  page: string;
  yaml: string;
  json: string;
  /** The try-it page. */
  tryItPage: string;
  /** The local servers: `pnpm start`'s (the sandbox), then `pnpm mock`'s (the static mock). */
  servers: LocalServer[];
  clientPackage: string;
}

const escapeHtml = (text: string) =>
  text.replace(/[&<>"']/g, (c) => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" })[c] ?? c);

/** The docs landing page: one card per API, with its version, downloads and mock URL. Self-contained. */
export function indexPage({ entries, logoUrl }: { entries: IndexEntry[]; logoUrl: string | undefined }): string {
  const cards = entries
    .map((e) => {
      const inferred = e.inferredOperations
        ? `<p class="note"><span class="badge inferred">Inferred</span> ${e.inferredOperations} of ${e.operations} operations are inferred, not read from the vendor's docs.</p>`
        : "";
      return `    <article class="api" id="${escapeHtml(e.name)}">
      <h2><a href="${escapeHtml(e.page)}">${escapeHtml(e.title)}</a> <span class="version" title="info.version">v${escapeHtml(e.version)}</span></h2>
      <p>${escapeHtml(e.summary)}</p>
      ${inferred}
      <dl>
        <dt>Reference</dt><dd><a class="reference" href="${escapeHtml(e.page)}">${escapeHtml(e.page)}</a> (${e.operations} operations)</dd>
        <dt>Spec</dt><dd><a href="${escapeHtml(e.yaml)}" download>${escapeHtml(e.yaml.split("/").pop() ?? e.yaml)}</a> · <a href="${escapeHtml(e.json)}" download>${escapeHtml(e.json.split("/").pop() ?? e.json)}</a></dd>
        <dt>Try it</dt><dd><a class="try-it" href="${escapeHtml(e.tryItPage)}">${escapeHtml(e.tryItPage)}</a> (calls the local sandbox from this browser)</dd>
        <dt>Sandbox</dt><dd><code class="sandbox">${escapeHtml(e.servers[0]?.url ?? "")}</code> <code>pnpm start</code>: stateful, remembers what you send</dd>
        <dt>Static mock</dt><dd><code class="static-mock">${escapeHtml(e.servers[1]?.url ?? "")}</code> <code>pnpm mock</code>: the spec's examples, picked with <code>Prefer</code></dd>
        <dt>Client</dt><dd><code>${escapeHtml(e.clientPackage)}</code></dd>
      </dl>
    </article>`;
    })
    .join("\n");
  const logo = logoUrl ? `<img class="logo" src="${escapeHtml(logoUrl)}" alt="cx-openapi" height="40">` : "";
  return `<!DOCTYPE html>
<html lang="en">
<head>
  <meta charset="utf-8">
  <meta name="viewport" content="width=device-width, initial-scale=1">
  <meta name="referrer" content="no-referrer">
  <title>cx-openapi API reference</title>
  ${logoUrl ? `<link rel="icon" href="${escapeHtml(logoUrl)}" type="image/svg+xml">` : ""}
  <style>
    :root { --brand: #0f766e; --brand-dark: #134e4a; --brand-light: #f0fdfa; --text: #1f2933; --muted: #52606d; --inferred: #b45309; }
    * { box-sizing: border-box; }
    body { margin: 0; font-family: system-ui, -apple-system, "Segoe UI", Roboto, "Helvetica Neue", Arial, sans-serif; color: var(--text); background: #f8fafc; line-height: 1.5; }
    header { background: var(--brand-light); border-bottom: 1px solid #ccfbf1; padding: 24px 32px; display: flex; align-items: center; gap: 16px; }
    header h1 { margin: 0; font-size: 1.5rem; color: var(--brand-dark); }
    header p { margin: 0; color: var(--muted); }
    main { max-width: 960px; margin: 0 auto; padding: 24px 32px 48px; display: grid; gap: 24px; }
    .api { background: #fff; border: 1px solid #e4e7eb; border-radius: 10px; padding: 20px 24px; }
    .api h2 { margin: 0 0 8px; font-size: 1.25rem; }
    a { color: var(--brand); }
    a:hover { color: var(--brand-dark); }
    .version { font-size: 0.8rem; font-weight: 600; background: var(--brand); color: #fff; border-radius: 999px; padding: 2px 10px; vertical-align: middle; }
    .badge.inferred { font-size: 0.75rem; font-weight: 600; color: #fff; background: var(--inferred); border-radius: 4px; padding: 1px 6px; }
    .note { color: var(--muted); font-size: 0.9rem; }
    dl { display: grid; grid-template-columns: max-content 1fr; gap: 4px 16px; margin: 12px 0 0; }
    dt { font-weight: 600; color: var(--muted); }
    dd { margin: 0; }
    code { font-family: ui-monospace, SFMono-Regular, Menlo, Consolas, monospace; background: #f1f5f9; border-radius: 4px; padding: 1px 6px; }
    footer { text-align: center; color: var(--muted); font-size: 0.85rem; padding-bottom: 32px; }
  </style>
</head>
<body>
  <header>
    ${logo}
    <div>
      <h1>API reference</h1>
      <p>Hand-authored OpenAPI 3.1 descriptions, typed clients and mocks.</p>
    </div>
  </header>
  <main>
${cards}
  </main>
  <footer>The sandbox runs with <code>pnpm start</code> (with <code>--static</code>, the static mock takes its port); the static mock alone with <code>pnpm mock</code>. Each reference page ends with a section on both. Built by <code>pnpm run docs</code>.</footer>
</body>
</html>
`;
}

/** Every security scheme of a spec with the credential the local servers accept (what try-it fills in). */
export function localCredentials(doc: OpenApiDoc, credential: string): Record<string, string> {
  const schemes = isObject(doc.components?.securitySchemes) ? doc.components.securitySchemes : {};
  return Object.fromEntries(Object.keys(schemes).map((name) => [name, credential]));
}

/**
 * The spec a try-it page carries: the bundle with the local servers as its only servers, and each
 * parameter's `example` set to the value the curl sample sends (Swagger UI fills its fields from a
 * parameter's own example, not from its schema's `examples`), so Execute sends the curl request.
 */
export function tryItDocument(bundle: OpenApiDoc, servers: LocalServer[]): OpenApiDoc {
  const doc = structuredClone(bundle);
  doc.servers = servers.map((s) => ({ ...s }));
  const withExample = (raw: unknown) => {
    const parameter = deref<Parameter>(bundle, raw);
    const example = parameterExample(bundle, parameter);
    return example === undefined || parameter.example !== undefined ? raw : { ...parameter, example };
  };
  for (const { item, op } of operationEntries(doc)) {
    for (const owner of [item, op])
      if (Array.isArray(owner.parameters)) owner.parameters = owner.parameters.map(withExample);
  }
  return doc;
}

/** JSON that can sit inside a <script> element: no `</script>` or `<!--` can end it early. */
const scriptJson = (value: unknown) => JSON.stringify(value).replace(/</g, "\\u003c");

/**
 * The try-it page of one API: Swagger UI from ./swagger-ui/, set up by ./try-it.js, on a spec whose
 * only servers are the local ones. Its Content-Security-Policy lets the page load nothing but its
 * own files and call nothing but 127.0.0.1, whatever the spec or Swagger UI would do.
 */
export function tryItPage({
  title,
  referencePage,
  spec,
  credentials,
}: {
  title: string;
  referencePage: string;
  spec: OpenApiDoc;
  credentials: Record<string, string>;
}): string {
  const servers = (Array.isArray(spec.servers) ? spec.servers : []).filter(isObject);
  const list = servers
    .map((s) => `<li><code>${escapeHtml(String(s.url))}</code>: ${escapeHtml(String(s.description ?? ""))}</li>`)
    .join("");
  return `<!DOCTYPE html>
<html lang="en">
<head>
  <meta charset="utf-8">
  <meta name="viewport" content="width=device-width, initial-scale=1">
  <meta name="referrer" content="no-referrer">
  <meta http-equiv="Content-Security-Policy" content="default-src 'none'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; font-src 'self' data:; connect-src 'self' http://127.0.0.1:*; form-action 'none'; base-uri 'none'">
  <title>Try it: ${escapeHtml(title)} · cx-openapi</title>
  <link rel="icon" href="logo.svg" type="image/svg+xml">
  <link rel="stylesheet" href="swagger-ui/swagger-ui.css">
  <style>
    body { margin: 0; font-family: system-ui, -apple-system, "Segoe UI", Roboto, "Helvetica Neue", Arial, sans-serif; color: #1f2933; }
    header.try-it { background: #f0fdfa; border-bottom: 1px solid #ccfbf1; padding: 16px 32px; display: flex; gap: 16px; align-items: center; flex-wrap: wrap; }
    header.try-it h1 { margin: 0; font-size: 1.25rem; color: #134e4a; }
    header.try-it a { color: #0f766e; }
    header.try-it p, header.try-it ul { margin: 4px 0 0; color: #52606d; font-size: 0.9rem; }
  </style>
</head>
<body>
  <header class="try-it">
    <a href="index.html"><img src="logo.svg" alt="cx-openapi: all APIs" height="36"></a>
    <div>
      <h1>Try it: ${escapeHtml(title)}</h1>
      <p>Calls go only to the local servers below, with the credential <code>${escapeHtml(Object.values(credentials)[0] ?? "")}</code> filled in (they accept any). Start them with <code>pnpm start</code>. <a class="reference" href="${escapeHtml(referencePage)}">The reference</a> · <a href="index.html">All APIs</a></p>
      <ul>${list}</ul>
    </div>
  </header>
  <div id="swagger-ui"></div>
  <script type="application/json" id="try-it-config">${scriptJson({ spec, credentials })}</script>
  <script src="swagger-ui/swagger-ui-bundle.js"></script>
  <script src="try-it.js"></script>
</body>
</html>
`;
}
