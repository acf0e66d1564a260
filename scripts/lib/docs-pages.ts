// The docs' own pages, beside the Redoc reference pages: the index of every API and each API's
// try-it page, filled from docs/templates/ and styled by docs/site.css.
import { deref, isObject, operationEntries, type OpenApiDoc, type Parameter } from "@cx-openapi/spec";
import { parameterExample } from "./curl-samples.js";
import type { LocalServer } from "./docs-document.js";
import { Html, joinHtml, renderTemplate } from "./templates.js";

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

/** The logo the pages show when redocly.yaml names none: docs/logo.svg. */
export const defaultLogoUrl = "logo.svg";

const fileName = (path: string) => path.split("/").pop() ?? path;

/** One API's card on the index: its version, reference page, downloads, try-it page and local servers. */
function indexCard(entry: IndexEntry): Html {
  const { inferredOperations: inferred, operations } = entry;
  return renderTemplate("index-api.html", {
    name: entry.name,
    title: entry.title,
    version: entry.version,
    summary: entry.summary,
    inferred: inferred ? renderTemplate("index-inferred.html", { inferred, operations }) : new Html(""),
    page: entry.page,
    operations,
    yaml: entry.yaml,
    yamlName: fileName(entry.yaml),
    json: entry.json,
    jsonName: fileName(entry.json),
    tryItPage: entry.tryItPage,
    sandboxUrl: entry.servers[0]?.url ?? "",
    staticMockUrl: entry.servers[1]?.url ?? "",
    clientPackage: entry.clientPackage,
  });
}

/** The docs landing page: one card per API. */
export function indexPage({ entries, logoUrl }: { entries: IndexEntry[]; logoUrl: string | undefined }): string {
  const apis = joinHtml(entries.map(indexCard));
  return `${renderTemplate("index.html", { logoUrl: logoUrl ?? defaultLogoUrl, apis })}\n`;
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

/**
 * JSON that can sit inside a <script> element as it is (the HTML parser decodes no entity there):
 * no `</script>` or `<!--` can end it early.
 */
const scriptJson = (value: unknown) => new Html(JSON.stringify(value).replace(/</g, "\\u003c"));

/**
 * The try-it page of one API: Swagger UI from ./swagger-ui/, set up by ./try-it.js, on a spec whose
 * only servers are the local ones. Its Content-Security-Policy (in the template) lets the page load
 * nothing but its own files, run no inline script, and call nothing but 127.0.0.1, whatever the
 * spec or Swagger UI would do.
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
  const list = servers.map((s) =>
    renderTemplate("try-it-server.html", { url: String(s.url), description: String(s.description ?? "") }),
  );
  return `${renderTemplate("try-it.html", {
    title,
    credential: Object.values(credentials)[0] ?? "",
    referencePage,
    servers: joinHtml(list, ""),
    config: scriptJson({ spec, credentials }),
  })}\n`;
}
