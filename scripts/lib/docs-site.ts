// The pure parts of `pnpm run docs`: what Redoc is given, how its output is made offline, the index page.
import { isHttpMethod, isObject, operationEntries, type OpenApiDoc } from "./openapi.js";

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

/**
 * What Redoc renders for one API: the bundle, plus the docs-only additions. The spec sources stay
 * untouched; only the copy handed to `redocly build-docs` changes.
 * - Redoc hides `x-` keys, so every node marked `x-inferred: true` must say so in its description:
 *   one that does not mention "inferred" gets an "Inferred:" lead-in (plain text: server
 *   descriptions are not Markdown), and an inferred operation
 *   also gets an "Inferred" badge next to its title.
 * - The logo from redocly.yaml (`openapi.x-logo`), unless the spec brings its own `info.x-logo`.
 */
export function docsDocument(bundle: OpenApiDoc, logo: Logo | undefined): { doc: OpenApiDoc; inferredMarked: number } {
  const doc = structuredClone(bundle);
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
      if (isOperation) {
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
  if (logo && isObject(doc.info) && doc.info["x-logo"] === undefined) doc.info["x-logo"] = { ...logo };
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
  mockUrl: string;
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
        <dt>Local</dt><dd><code class="mock">${escapeHtml(e.mockUrl)}</code></dd>
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
  <footer><code>pnpm start</code> serves the stateful sandbox on the local URLs above (it remembers what you send, behind Prism&#8217;s validating proxy): use it for frontend work. <code>pnpm start --static</code>, or <code>pnpm mock</code> on ports 4020 and 4021, serves Prism&#8217;s example-only mocks. Built by <code>pnpm run docs</code>.</footer>
</body>
</html>
`;
}
