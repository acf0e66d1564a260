// GET / on an API's port: what the port serves (the API, its operations, the sandbox's own routes)
// and where to go from there (the docs and the try-it page, the inspector, the other APIs' ports).
// HTML for a browser; JSON for `Accept: application/json`.
import { apiRegistry, listOperations, type ApiName, type OpenApiDoc } from "@cx-openapi/spec/openapi";
import { tokenPath } from "./token-route.js";
import type { SandboxResponse } from "./types.js";

export interface PortIndexContext {
  api: ApiName;
  spec: OpenApiDoc;
  /** Each API's front URL (the sandbox knows them all). */
  urls: Record<ApiName, string>;
  /** Where the docs are served (`pnpm start`'s), if anywhere. */
  docsUrl?: string | undefined;
}

export interface PortIndex {
  api: ApiName;
  title: string;
  version: string;
  operations: { method: string; path: string; operationId: string }[];
  sandboxRoutes: { method: string; path: string; what: string }[];
  links: { inspector: string; docs: string | null; tryIt: string | null; apis: Record<string, string> };
  docs: string;
}

const sandboxRoutes: PortIndex["sandboxRoutes"] = [
  {
    method: "GET",
    path: "/__sandbox/",
    what: "the inspector: the live request journal, the state, faults and overrides",
  },
  {
    method: "GET",
    path: "/__sandbox/requests",
    what: "the request journal, newest first (?namespace=; ?stream: live, as server-sent events)",
  },
  { method: "GET", path: "/__sandbox/requests.har", what: "the request journal as HAR 1.2" },
  { method: "DELETE", path: "/__sandbox/requests", what: "clears the request journal" },
  { method: "GET", path: "/__sandbox/state", what: "the whole state, credentials left out" },
  { method: "GET", path: "/__sandbox/pubsub", what: "the Pub/Sub pushes received" },
  { method: "POST", path: "/__sandbox/reset", what: "this API back to its seed (?api=all: every API)" },
  { method: "PUT", path: "/__sandbox/seed", what: "new fixtures; the state is reset to them" },
  { method: "GET, PUT, DELETE", path: "/__sandbox/faults", what: "the fault rules" },
  { method: "GET, PUT, DELETE", path: "/__sandbox/overrides", what: "the response overrides" },
  { method: "GET, PUT", path: "/__sandbox/clock", what: "the sandbox's clock" },
];

const noDocs =
  "The docs are not served with this sandbox. In the cx-openapi repository, pnpm start serves them " +
  "(with a try-it page per API) on http://127.0.0.1:8080/, and pnpm docs:build builds them into dist/docs/.";

export function portIndex({ api, spec, urls, docsUrl }: PortIndexContext): PortIndex {
  const docs = docsUrl ? new URL(docsUrl) : undefined;
  const token =
    api === "hiirelevate" ? [{ method: "POST", path: tokenPath, what: "OAuth2 client-credentials tokens" }] : [];
  return {
    api,
    title: apiRegistry[api].title,
    version: String((spec.info as { version?: unknown } | undefined)?.version ?? ""),
    operations: listOperations(spec).map((op) => ({
      method: op.method.toUpperCase(),
      path: op.path,
      operationId: op.operationId,
    })),
    sandboxRoutes: [...token, ...sandboxRoutes],
    links: {
      inspector: `${urls[api]}/__sandbox/`,
      docs: docs ? docs.href : null,
      tryIt: docs ? new URL(`${api}-try-it.html`, docs).href : null,
      apis: Object.fromEntries(Object.entries(urls).map(([name, url]) => [name, `${url}/`])),
    },
    docs: docs ? `The docs: ${docs.href}` : noDocs,
  };
}

/** The index as the caller asks for it: JSON for `Accept: application/json`, else a page. */
export function portIndexAnswer(ctx: PortIndexContext, accept: string | undefined): SandboxResponse {
  const index = portIndex(ctx);
  const wantsJson = /\bapplication\/json\b/.test(accept ?? "") && !/\btext\/html\b/.test(accept ?? "");
  if (wantsJson) return { status: 200, headers: { "content-type": "application/json" }, body: index };
  return {
    status: 200,
    headers: {
      "content-type": "text/html; charset=utf-8",
      "content-security-policy":
        "default-src 'none'; style-src 'self'; img-src data:; base-uri 'none'; form-action 'none'; frame-ancestors 'none'",
      "x-content-type-options": "nosniff",
    },
    text: indexPage(index),
  };
}

const escapeHtml = (text: string) =>
  text.replace(/[&<>"']/g, (c) => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" })[c] ?? c);

const link = (href: string, text: string) => `<a href="${escapeHtml(href)}">${escapeHtml(text)}</a>`;

function indexPage(index: PortIndex): string {
  const row = (cells: string[]) => `<tr>${cells.map((cell) => `<td>${cell}</td>`).join("")}</tr>`;
  const operations = index.operations.map((op) =>
    row([escapeHtml(op.method), `<code>${escapeHtml(op.path)}</code>`, escapeHtml(op.operationId)]),
  );
  const routes = index.sandboxRoutes.map((r) =>
    row([escapeHtml(r.method), `<code>${escapeHtml(r.path)}</code>`, escapeHtml(r.what)]),
  );
  const { links } = index;
  const apis = Object.entries(links.apis).map(([name, url]) => link(url, `${name} (${url})`));
  const docs = links.docs
    ? `${link(links.docs, "Docs")} · ${link(links.tryIt ?? links.docs, "Try it")}`
    : escapeHtml(index.docs);
  return `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escapeHtml(index.title)} sandbox</title>
<link rel="icon" href="data:,">
<link rel="stylesheet" href="/__sandbox/inspector.css">
</head>
<body class="port-index">
<header><h1>${escapeHtml(index.title)} <span class="version">v${escapeHtml(index.version)}</span></h1>
<p>The cx-openapi sandbox of <code>${escapeHtml(index.api)}</code>. ${link(links.inspector, "Inspector")} · ${docs}</p>
<p>Ports: ${apis.join(" · ")}</p></header>
<main>
<h2>Operations</h2>
<table><thead><tr><th>Method</th><th>Path</th><th>operationId</th></tr></thead><tbody>
${operations.join("\n")}
</tbody></table>
<h2>The sandbox's own routes</h2>
<table><thead><tr><th>Method</th><th>Path</th><th>What</th></tr></thead><tbody>
${routes.join("\n")}
</tbody></table>
</main>
</body>
</html>
`;
}
