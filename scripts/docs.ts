// pnpm run docs: builds dist/docs/, the offline API reference. (Plain `pnpm docs` is npm's built-in
// "open the package homepage" command, which pnpm forwards to npm before looking at scripts.)
//   dist/docs/index.html        every API with its version, downloads and mock URL
//   dist/docs/<api>.html        one Redoc page per API (`redocly build-docs --inlineBundle`)
//   dist/docs/openapi/<api>.*   the bundled specs (copied from dist/openapi) the pages link to
// Nothing in dist/docs loads anything from another host: the Redoc script is inlined, the Redocly
// badge images are replaced, and the build fails if any other external resource is left.
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
import { extname, join, relative } from "node:path";
import { parse } from "yaml";
import { isObject, type OpenApiDoc } from "./lib/openapi.js";
import { loadApis, repoRoot } from "./lib/apis.js";
import { ensureBundles } from "./lib/bundle.js";
import { cli } from "./lib/cli.js";
import {
  docOperations,
  docsDocument,
  indexPage,
  makeOffline,
  operationSamples,
  type IndexEntry,
  type Logo,
} from "./lib/docs-site.js";
import { runTool } from "./lib/process.js";
import { defaultPorts, type ApiName } from "@cx-openapi/sandbox";

export const docsDir = join(repoRoot, "dist/docs");
/** Static files of the docs (the logo); the page template (.hbs) is read by Redocly itself. */
const assetsDir = join(repoRoot, "docs");
const assetExtensions = new Set([".svg", ".png", ".ico", ".css"]);

export interface DocsOptions {
  /** Bundle the specs where they changed (default true; `pnpm start` has just bundled them). */
  bundle?: boolean;
  /** The mock URL to show for each API; defaults to http://127.0.0.1:<x-cx.mockPort>. */
  mockUrls?: ReadonlyMap<string, string>;
}

export interface BuiltDocs {
  dir: string;
  index: string;
  pages: { api: string; file: string; operations: number }[];
}

export function buildDocs({ bundle = true, mockUrls }: DocsOptions = {}): BuiltDocs {
  const started = performance.now();
  const apis = bundle ? ensureBundles() : loadApis();
  const config = redoclyDocsConfig();
  const logo = docsLogo(config);

  rmSync(docsDir, { recursive: true, force: true });
  mkdirSync(join(docsDir, "openapi"), { recursive: true });
  for (const file of readdirSync(assetsDir)) {
    if (assetExtensions.has(extname(file))) copyFileSync(join(assetsDir, file), join(docsDir, file));
  }
  if (logo && !/^(?:[a-z]+:|\/\/)/i.test(logo.url) && !existsSync(join(docsDir, logo.url))) {
    throw new Error(
      `redocly.yaml: openapi.x-logo.url "${logo.url}" is not a file of ${relative(repoRoot, assetsDir)}/`,
    );
  }

  const work = mkdtempSync(join(tmpdir(), "cx-openapi-docs-"));
  const entries: IndexEntry[] = [];
  const pages: BuiltDocs["pages"] = [];
  try {
    for (const api of apis) {
      for (const file of [api.bundleYaml, api.bundleJson])
        copyFileSync(file, join(docsDir, "openapi", file.split("/").pop()!));
      const bundled = JSON.parse(readFileSync(api.bundleJson, "utf8")) as OpenApiDoc;
      const { doc } = docsDocument(bundled, logo);
      const input = join(work, `${api.name}.json`);
      writeFileSync(input, JSON.stringify(doc));
      const options = join(work, `${api.name}.options.json`);
      writeFileSync(options, JSON.stringify(redocOptions(config, bundled)));
      const page = `${api.name}.html`;
      const output = join(docsDir, page);
      runTool("redocly", ["build-docs", input, "--inlineBundle", "--openapi", options, "-o", output]);
      writeFileSync(output, makeOffline(readFileSync(output, "utf8"), page));

      const operations = docOperations(bundled);
      const info = isObject(bundled.info) ? bundled.info : {};
      entries.push({
        name: api.name,
        title: String(info.title ?? api.name),
        version: String(info.version ?? "?"),
        summary: String(info.summary ?? ""),
        operations: operations.length,
        inferredOperations: operations.filter((op) => op.inferred).length,
        page,
        yaml: `openapi/${api.name}.yaml`,
        json: `openapi/${api.name}.json`,
        mockUrl: mockUrls?.get(api.name) ?? `http://127.0.0.1:${defaultPorts[api.name as ApiName]}`,
        clientPackage: packageName(api.packageDir),
      });
      pages.push({ api: api.name, file: output, operations: operations.length });
    }
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
  const index = join(docsDir, "index.html");
  writeFileSync(index, makeOffline(indexPage({ entries, logoUrl: logo?.url }), "index.html"));
  console.log(
    `Docs built in ${((performance.now() - started) / 1000).toFixed(1)} s: ${relative(repoRoot, docsDir)}/ (${pages.length} APIs)`,
  );
  return { dir: docsDir, index, pages };
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

cli(import.meta.url, {
  usage: `Usage: pnpm run docs

Builds dist/docs/: an index of every API and one offline Redoc page per API, with the bundled specs.
(Plain \`pnpm docs\` is a pnpm built-in; \`pnpm start\` builds and serves the same pages.)`,
  run: () => void buildDocs(),
});
