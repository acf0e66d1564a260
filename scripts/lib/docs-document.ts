// What Redoc is given for one API (the bundle plus the docs-only additions: the inferred markers,
// the logo, the local servers, their curl samples and the mock examples), and what the docs list of
// a spec's operations.
import { curlCommand, sampleRequest } from "./curl-samples.js";
import { deref, isHttpMethod, isObject, listOperations, operationEntries, type OpenApiDoc } from "@cx-openapi/spec";

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
  const inferredMarked = markInferred(doc, !allInferred);
  if (logo && isObject(doc.info) && doc.info["x-logo"] === undefined) doc.info["x-logo"] = { ...logo };
  const lead: string[] = [];
  if (allInferred)
    lead.push(
      `> **Every one of the ${entries.length} operations of this API is inferred**, not read from the vendor's docs: each operation's description says which parts (path, method, status, body) are inferred, and why.`,
    );
  if (local) lead.push(addLocalServers(doc, bundle, local));
  const info = isObject(doc.info) ? doc.info : {};
  const own = typeof info.description === "string" ? info.description.trimEnd() : "";
  const description = [...lead, own, local?.mocksSection ?? ""].filter(Boolean).join("\n\n");
  if (description && isObject(doc.info)) doc.info.description = `${description}\n`;
  return { doc, inferredMarked };
}

/**
 * The badge of an inferred operation, where only some operations of the API are. Redoc 3 reads a
 * badge's colour as the name of one of its tag styles (a CSS colour styles one of the three places
 * a badge shows, in grey text): `warning` is its amber, the colour of inferred on the index too.
 */
const inferredBadge = { name: "Inferred", color: "warning" };

/**
 * Makes every node marked `x-inferred: true` say so in its description (Redoc hides `x-` keys);
 * with `badges`, an inferred operation also gets the "Inferred" badge. Returns how many it marked.
 */
function markInferred(doc: OpenApiDoc, badges: boolean): number {
  let marked = 0;
  const visit = (node: unknown, isOperation: boolean) => {
    if (Array.isArray(node)) {
      for (const child of node) visit(child, false);
      return;
    }
    if (!isObject(node)) return;
    if (node["x-inferred"] === true) {
      marked += 1;
      describeInferred(node);
      if (isOperation && badges) {
        const own = Array.isArray(node["x-badges"]) ? (node["x-badges"] as unknown[]) : [];
        node["x-badges"] = [...own, { ...inferredBadge }];
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
  return marked;
}

/** An inferred node's description, led by "Inferred:" unless it already says so (plain text: server descriptions are not Markdown). */
function describeInferred(node: Record<string, unknown>): void {
  const description = typeof node.description === "string" ? node.description : "";
  if (/\binferred\b/i.test(description)) return;
  node.description = description
    ? `Inferred: ${description}`
    : "Inferred by the cx-openapi authors; not documented by the vendor.";
}

/**
 * Adds the local servers after the spec's own, and to every operation a curl sample against the
 * first of them and the table of its `Prefer` examples. Returns the line that links the try-it page.
 */
function addLocalServers(doc: OpenApiDoc, bundle: OpenApiDoc, local: LocalDocs): string {
  const [first] = local.servers;
  if (!first) throw new Error("docsDocument: local.servers is empty");
  doc.servers = [...(Array.isArray(doc.servers) ? doc.servers : []), ...local.servers.map((s) => ({ ...s }))];
  const operations = new Map(listOperations(bundle).map((o) => [o.operationId, o]));
  for (const { op } of operationEntries(doc)) {
    const operationId = String(op.operationId);
    const request = sampleRequest(bundle, operations.get(operationId)!);
    const samples = Array.isArray(op["x-codeSamples"]) ? (op["x-codeSamples"] as unknown[]) : [];
    op["x-codeSamples"] = [...samples, { lang: "Shell", label: "curl", source: curlCommand(request, first.url) }];
    const table = preferTable(preferExamples(bundle, operationId));
    if (table) op.description = `${typeof op.description === "string" ? op.description.trimEnd() : ""}\n${table}\n`;
  }
  return `**[Try it](${local.tryItPage})**: call this API from your browser against the local sandbox (\`pnpm start\`, ${first.url}).`;
}
