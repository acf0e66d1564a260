// Builds dist/docs/, the offline API reference (`pnpm docs:build`; `pnpm start` builds and serves it):
//   dist/docs/index.html        every API with its version, downloads, local servers and try-it page
//   dist/docs/<api>.html        one Redoc page per API (`redocly build-docs --inlineBundle`), with the
//                               local servers, a curl sample per operation and the section on the mocks
//   dist/docs/<api>-try-it.html one try-it page per API (Swagger UI, from swagger-ui-dist) calling
//                               only the local servers
//   dist/docs/drift.html        the drift report of the evidence committed under openapi/<api>/drift/
//   dist/docs/site.css          the palette and the styles of every page (docs/site.css)
//   dist/docs/openapi/<api>.*   the bundled specs (copied from dist/openapi) the pages link to
// Nothing in dist/docs loads anything from another host: the Redoc script is inlined, the Redocly
// badge images are replaced, Swagger UI is served from dist/docs/swagger-ui/, and the build fails if
// any other external resource is left.
// Title, theme and logo come from redocly.yaml's `openapi` section (see the comment there).
import {
  copyFileSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  writeFileSync,
} from "node:fs";
import { tmpdir } from "node:os";
import { createRequire } from "node:module";
import { dirname, extname, join, relative } from "node:path";
import { parse } from "yaml";
import { isObject, loadSpec, type OpenApiDoc } from "@cx-openapi/spec";
import { loadApis, repoRoot, type Api } from "./apis.js";
import { ensureBundles } from "./bundle.js";
import { localCredential } from "./curl-samples.js";
import { docOperations, docsDocument, operationSamples, type LocalServer, type Logo } from "./docs-document.js";
import { siteDriftPage } from "./drift-page.js";
import { makeOffline, withPolicy } from "./docs-offline.js";
import { indexPage, localCredentials, tryItDocument, tryItPage, type IndexEntry } from "./docs-pages.js";
import { runToolAsync } from "./process.js";
import { fillText } from "./templates.js";

export const docsDir = join(repoRoot, "dist/docs");
/** Static files of the docs (the logo, site.css, try-it.js); the templates are read where they are. */
const assetsDir = join(repoRoot, "docs");
const assetExtensions = new Set([".svg", ".png", ".ico", ".css", ".js"]);
/** The section on the mocks every reference page ends with (Markdown, with {{placeholders}}). */
const mocksSectionFile = join(assetsDir, "mocks.md");
/** Swagger UI's files the try-it pages load, and its licence, copied to dist/docs/swagger-ui/. */
const swaggerUiDir = dirname(createRequire(import.meta.url).resolve("swagger-ui-dist/package.json"));
const swaggerUiFiles = ["swagger-ui-bundle.js", "swagger-ui.css", "LICENSE", "NOTICE"];

export interface DocsOptions {
  /** Bundle the specs where they changed (default true; `pnpm start` has just bundled them). */
  bundle?: boolean;
  /**
   * Each API's URL under `pnpm start` (the sandbox, or with --static the static mock): the first
   * local server of the pages, the one the curl samples and try-it pages call. Defaults to
   * the sandbox's default ports (x-cx.sandboxPort). The static mock of `pnpm mock` is at its x-cx.mockPort.
   */
  mockUrls?: ReadonlyMap<string, string>;
  /** Where to write the site (default dist/docs/): a test builds its own, beside `pnpm start`'s. */
  dir?: string;
}

export interface BuiltDocs {
  dir: string;
  index: string;
  pages: { api: string; file: string; operations: number }[];
}

export async function buildDocs({ bundle = true, mockUrls, dir = docsDir }: DocsOptions = {}): Promise<BuiltDocs> {
  const started = performance.now();
  const apis = bundle ? ensureBundles() : loadApis();
  const config = redoclyDocsConfig();
  const logo = docsLogo(config);
  copyAssets(dir, logo);

  const work = mkdtempSync(join(tmpdir(), "cx-openapi-docs-"));
  let built: BuiltPage[];
  try {
    // Side by side: one Redocly process per API.
    const site = { dir, work, config, logo, mocksTemplate: readFileSync(mocksSectionFile, "utf8"), mockUrls };
    built = await Promise.all(apis.map((api) => buildPage(api, site)));
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
  const index = join(dir, "index.html");
  writeFileSync(
    index,
    makeOffline(indexPage({ entries: built.map((b) => b.entry), logoUrl: logo?.url }), "index.html"),
  );
  writeFileSync(join(dir, "drift.html"), makeOffline(siteDriftPage(apis), "drift.html"));
  const pages = built.map((b) => b.page);
  console.log(
    `Docs built in ${((performance.now() - started) / 1000).toFixed(1)} s: ${relative(repoRoot, dir)}/ (${pages.length} APIs)`,
  );
  return { dir, index, pages };
}

/** A fresh `dir` with the static files: Swagger UI, the docs' assets (each checked offline), the logo. */
function copyAssets(dir: string, logo: Logo | undefined): void {
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(join(dir, "openapi"), { recursive: true });
  mkdirSync(join(dir, "swagger-ui"));
  for (const file of swaggerUiFiles) copyFileSync(join(swaggerUiDir, file), join(dir, "swagger-ui", file));
  for (const file of readdirSync(assetsDir)) {
    if (!assetExtensions.has(extname(file))) continue;
    if (extname(file) === ".css") makeOffline(readFileSync(join(assetsDir, file), "utf8"), file);
    copyFileSync(join(assetsDir, file), join(dir, file));
  }
  if (logo && !/^(?:[a-z]+:|\/\/)/i.test(logo.url) && !existsSync(join(dir, logo.url))) {
    throw new Error(
      `redocly.yaml: openapi.x-logo.url "${logo.url}" is not a file of ${relative(repoRoot, assetsDir)}/`,
    );
  }
}

interface Site {
  dir: string;
  /** A scratch folder for Redocly's inputs. */
  work: string;
  config: Record<string, unknown>;
  logo: Logo | undefined;
  mocksTemplate: string;
  mockUrls: ReadonlyMap<string, string> | undefined;
}

interface BuiltPage {
  entry: IndexEntry;
  page: BuiltDocs["pages"][number];
}

/** One API's reference page, try-it page and spec downloads. */
async function buildPage(api: Api, site: Site): Promise<BuiltPage> {
  const { dir, mockUrls } = site;
  for (const file of [api.bundleYaml, api.bundleJson]) copyFileSync(file, join(dir, "openapi", file.split("/").pop()!));
  const bundled = loadSpec(api.bundleJson);
  const info = isObject(bundled.info) ? bundled.info : {};
  const title = String(info.title ?? api.name);
  const page = `${api.name}.html`;
  const tryIt = `${api.name}-try-it.html`;
  const servers = localServers(mockUrls?.get(api.name) ?? `http://127.0.0.1:${api.sandboxPort}`, api.mockPort);
  const output = await writeReferencePage(api, bundled, { site, page, tryIt, servers });
  const tryItHtml = tryItPage({
    title,
    referencePage: page,
    spec: tryItDocument(bundled, servers),
    credentials: localCredentials(bundled, localCredential),
  });
  writeFileSync(join(dir, tryIt), makeOffline(tryItHtml, tryIt));

  const operations = docOperations(bundled);
  const entry: IndexEntry = {
    name: api.name,
    title,
    version: String(info.version ?? "?"),
    summary: String(info.summary ?? ""),
    operations: operations.length,
    inferredOperations: operations.filter((op) => op.inferred).length,
    page,
    yaml: `openapi/${api.name}.yaml`,
    json: `openapi/${api.name}.json`,
    tryItPage: tryIt,
    servers,
    clientPackage: packageName(api.packageDir),
  };
  return { entry, page: { api: api.name, file: output, operations: operations.length } };
}

/** The Redoc page of one API, made offline and given its Content-Security-Policy; returns its path. */
async function writeReferencePage(
  api: Api,
  bundled: OpenApiDoc,
  { site, page, tryIt, servers }: { site: Site; page: string; tryIt: string; servers: LocalServer[] },
): Promise<string> {
  const mocksSection = fillText(
    site.mocksTemplate,
    { localUrl: servers[0]!.url, staticUrl: servers[1]!.url, credential: credentialText(bundled) },
    relative(repoRoot, mocksSectionFile),
  );
  const { doc } = docsDocument(bundled, site.logo, { servers, tryItPage: tryIt, mocksSection });
  const input = join(site.work, `${api.name}.json`);
  writeFileSync(input, JSON.stringify(doc));
  const options = join(site.work, `${api.name}.options.json`);
  writeFileSync(options, JSON.stringify(redocOptions(site.config, doc)));
  const output = join(site.dir, page);
  await runToolAsync("redocly", ["build-docs", input, "--inlineBundle", "--openapi", options, "-o", output]);
  writeFileSync(output, withPolicy(makeOffline(readFileSync(output, "utf8"), page)));
  return output;
}

/** The local servers of an API's pages: `pnpm start`'s first (what the samples call), then `pnpm mock`'s. */
function localServers(startUrl: string, mockPort: number): LocalServer[] {
  return [
    {
      url: startUrl,
      description:
        "Local stateful sandbox (pnpm start; pnpm start --static serves the static mock here instead). Not the vendor's service.",
    },
    {
      url: `http://127.0.0.1:${mockPort}`,
      description: "Local static mock (pnpm mock): answers with the spec's examples. Not the vendor's service.",
    },
  ];
}

/** What the mocks section calls the credential: the header of each security scheme. */
function credentialText(doc: OpenApiDoc): string {
  const schemes = Object.values(isObject(doc.components?.securitySchemes) ? doc.components.securitySchemes : {});
  const names = schemes
    .filter(isObject)
    .map((scheme) =>
      scheme.type === "apiKey" ? `\`${String(scheme.name)}\` value` : `bearer token (\`Authorization: Bearer any\`)`,
    );
  return names.join(" and ") || "credential";
}

/** redocly.yaml's `openapi` section: the Redoc options (page template, logo). */
function redoclyDocsConfig(): Record<string, unknown> {
  const config = parse(readFileSync(join(repoRoot, "redocly.yaml"), "utf8")) as { openapi?: unknown };
  if (config.openapi === undefined) return {};
  if (!isObject(config.openapi)) throw new Error("redocly.yaml: openapi must be a mapping of Redoc options");
  return config.openapi;
}

/**
 * The Redoc options of one page: redocly.yaml's, plus the code-sample languages of the spec. Redoc 3
 * shows an `x-codeSamples` entry only when its label is one of `codeSamples.languages`, so every
 * label the spec uses is listed, first (the tab shown by default), then "Payload" (the request
 * example). Passed with `--openapi`, which replaces redocly.yaml's section, hence the merge.
 */
function redocOptions(config: Record<string, unknown>, doc: OpenApiDoc): Record<string, unknown> {
  const languages = new Map<string, { lang: string; label: string }>();
  for (const op of operationSamples(doc)) {
    for (const sample of op.samples)
      languages.set(sample.label || sample.lang, { lang: sample.lang, label: sample.label || sample.lang });
  }
  const configured = isObject(config.codeSamples) ? config.codeSamples : {};
  return {
    ...config,
    codeSamples: { ...configured, languages: [...languages.values(), { lang: "Payload", label: "Payload" }] },
  };
}

/** The logo of every page: redocly.yaml's `openapi.x-logo`, in the shape of the spec extension. */
function docsLogo(config: Record<string, unknown>): Logo | undefined {
  const logo = config["x-logo"];
  if (logo === undefined) return undefined;
  if (!isObject(logo) || typeof logo.url !== "string") throw new Error('redocly.yaml: openapi.x-logo needs a "url"');
  return logo as unknown as Logo;
}

function packageName(dir: string): string {
  return (JSON.parse(readFileSync(join(dir, "package.json"), "utf8")) as { name: string }).name;
}
