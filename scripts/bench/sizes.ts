// Browser bundle sizes of the publishable packages, as an app that uses them would ship them.
import { existsSync, readdirSync, readFileSync } from "node:fs";
import { builtinModules } from "node:module";
import { join, relative } from "node:path";
import { gzipSync } from "node:zlib";
import { build, type Metafile, type Plugin } from "esbuild";

export interface SizeRow {
  label: string;
  /** The package measured; undefined for the reference row. */
  pkg: string | undefined;
  /** The gzip budget of the bundle (gzipBudgets), for runtime + one client; undefined for the others. */
  budget: number | undefined;
  /** Undefined when the bundle failed (a Node built-in, or another esbuild error). */
  minified: number | undefined;
  gzip: number | undefined;
  /** Minified bytes per source (package or file), largest first. */
  parts: [string, number][];
}

export interface BuiltinImport {
  bundle: string;
  builtin: string;
  importer: string;
}

/**
 * Gzip budgets of the typical client bundles (runtime + client, as `typicalUse` writes them):
 * today's bundles rounded up. `pnpm bench --only sizes --check` (CI) fails when one outgrows its
 * budget, so a change that adds bytes says why (and raises the budget here) or saves them elsewhere.
 * They are not lower because the default protections stay on (retries, redirects within the origin,
 * redaction, the one deadline, the body limit): about 1.4 kB of gzip together, and without them the
 * Relay bundle would still weigh about 6.6 kB. docs/performance.md gives the figures and the reasons.
 */
export const gzipBudgets: Readonly<Record<string, number>> = {
  "@cx-openapi/relay-cdm": 8_192,
  "@cx-openapi/hiirelevate": 9_472,
};

interface Publishable {
  name: string;
  dir: string;
  isClient: boolean;
}

/** packages/* whose package.json is not `"private": true`. */
export function publishablePackages(root: string): Publishable[] {
  const packagesDir = join(root, "packages");
  return readdirSync(packagesDir, { withFileTypes: true })
    .filter((entry) => entry.isDirectory())
    .flatMap((entry) => {
      const dir = join(packagesDir, entry.name);
      let manifest: { name?: string; private?: boolean; dependencies?: Record<string, string> };
      try {
        manifest = JSON.parse(readFileSync(join(dir, "package.json"), "utf8")) as typeof manifest;
      } catch {
        return [];
      }
      if (manifest.private === true || !manifest.name) return [];
      return [{ name: manifest.name, dir, isClient: Boolean(manifest.dependencies?.["@cx-openapi/runtime"]) }];
    })
    .sort((a, b) => Number(a.isClient) - Number(b.isClient) || a.name.localeCompare(b.name));
}

/**
 * The module of each package that a browser app loads, when it is not src/index.ts: the sandbox's
 * main entry is a Node server and CLI; in a browser only its MSW handlers (`./msw`) run, on the
 * browser-safe entry of @cx-openapi/spec (`./openapi`).
 */
const browserEntries: Record<string, { file: string; subpath: string }> = {
  "@cx-openapi/sandbox": { file: "src/msw.ts", subpath: "/msw" },
  "@cx-openapi/spec": { file: "src/browser.ts", subpath: "/openapi" },
};
const browserEntry = (pkg: Publishable) => browserEntries[pkg.name] ?? { file: "src/index.ts", subpath: "" };

/**
 * What an app typically writes with each package: create a client, make one call. Tree-shaking then
 * keeps what real use keeps. `PKG` stands for the package's browser entry (browserEntry).
 */
const typicalUse: Record<string, { label: string; code: string }> = {
  "@cx-openapi/runtime": {
    label: "createApiClient + GET",
    code: `import { createApiClient } from PKG;
const api = createApiClient({
  baseUrl: "https://api.example.com",
  client: { name: "app", version: "1.0.0" },
  auth: { header: "x-api-key", value: "key" },
  pii: { piiProperties: [], piiPathParameters: [] },
});
export const get = (id) => api.GET("/things/{id}", { params: { path: { id } } });`,
  },
  "@cx-openapi/relay-cdm": {
    label: "createRelayCdmClient + GET + unwrap",
    code: `import { createRelayCdmClient, unwrap } from PKG;
const relay = createRelayCdmClient({ apiKey: "key", environment: "production" });
export const getCustomer = (ccid) =>
  unwrap(relay.GET("/cdm/client/{client_id}/customer/{ccid}", { params: { path: { client_id: "relay_developer", ccid } } }));`,
  },
  "@cx-openapi/hiirelevate": {
    label: "createHiiRelevateClient + clientCredentials + GET",
    code: `import { clientCredentials, createHiiRelevateClient } from PKG;
const token = clientCredentials({ tokenUrl: "https://auth.example.com/oauth2/token", clientId: "id", clientSecret: "secret" });
const hii = createHiiRelevateClient({ baseUrl: "https://customers.example.com", token });
export const getCustomer = (customerId) => hii.GET("/customers/{customerId}", { params: { path: { customerId } } });`,
  },
  "@cx-openapi/spec": {
    label: "createValidator + validateResponse",
    code: `import { createValidator } from PKG;
export const check = (spec, operationId, status, body) =>
  createValidator(spec).validateResponse({ operationId, status, contentType: "application/json", body });`,
  },
  "@cx-openapi/sandbox": {
    label: "sandboxHandlers for Storybook or a browser test",
    code: `import { sandboxHandlers } from PKG;
export const mocks = (specs) => sandboxHandlers({ specs, baseUrls: { "relay-cdm": "http://127.0.0.1:4010" } }).handlers;`,
  },
};

/**
 * Each client's drift entry (`/drift`), on its own: what an app adds to its bundle when it turns
 * drift reports on (the checking code, the evidence writer and the API's precompiled validators).
 * Its budget is generous: it guards against pulling in Ajv's compiler or a Node built-in, not bytes.
 */
const driftEntry = {
  file: "src/drift.ts",
  subpath: "/drift",
  label: "driftReporter + driftEvidence",
  code: `import { driftEvidence, driftReporter } from PKG;
export const evidence = driftEvidence();
export const drift = driftReporter({ sample: 0.1, evidence, onDeviation: (event) => console.warn(event) });`,
};
export const driftGzipBudgets: Readonly<Record<string, number>> = {
  "@cx-openapi/relay-cdm": 24_576,
  "@cx-openapi/hiirelevate": 24_576,
};

/** The drift entries' rows, for the clients that have one. */
function driftEntries(packages: Publishable[]): Parameters<typeof bundleSize>[1][] {
  return packages
    .filter((pkg) => pkg.isClient && existsSync(join(pkg.dir, driftEntry.file)))
    .map((pkg) => ({
      label: `${pkg.name}${driftEntry.subpath} (${driftEntry.label})`,
      pkg: `${pkg.name}${driftEntry.subpath}`,
      budget: driftGzipBudgets[pkg.name],
      code: driftEntry.code.replaceAll("PKG", JSON.stringify(join(pkg.dir, driftEntry.file))),
      resolveDir: pkg.dir,
    }));
}

/** The bare openapi-fetch equivalent, for reference: what the runtime adds is the difference. */
const openapiFetchAlone = `import createClient from "openapi-fetch";
const api = createClient({ baseUrl: "https://api.example.com", headers: { "x-api-key": "key" } });
export const get = (id) => api.GET("/things/{id}", { params: { path: { id } } });`;

const builtinPattern = new RegExp(
  `^(node:.*|(${builtinModules.map((name) => name.replace(/[/]/g, "\\/")).join("|")})(\\/.*)?)$`,
);

/**
 * Flags imports of Node built-ins, naming the importer. An import the browser resolution handles
 * (a package's `browser` field mapping it away) is let through.
 */
function nodeBuiltins(root: string, bundle: string, found: BuiltinImport[]): Plugin {
  return {
    name: "no-node-builtins",
    setup(b) {
      b.onResolve({ filter: builtinPattern }, async (args) => {
        if ((args.pluginData as { probing?: boolean } | undefined)?.probing) return undefined;
        const resolved = await b.resolve(args.path, {
          kind: args.kind,
          importer: args.importer,
          resolveDir: args.resolveDir,
          pluginData: { probing: true },
        });
        if (resolved.errors.length === 0 && !resolved.external) return resolved;
        const importer = args.importer ? relative(root, args.importer) : "(entry)";
        found.push({ bundle, builtin: args.path, importer });
        return { errors: [{ text: `Node built-in "${args.path}" imported by ${importer}` }] };
      });
    },
  };
}

async function bundleSize(
  root: string,
  entry: {
    label: string;
    pkg: string | undefined;
    budget: number | undefined;
    code: string;
    resolveDir: string;
  },
  found: BuiltinImport[],
): Promise<SizeRow> {
  try {
    const result = await build({
      stdin: { contents: entry.code, resolveDir: entry.resolveDir, sourcefile: "usage.js", loader: "js" },
      bundle: true,
      minify: true,
      format: "esm",
      platform: "browser",
      write: false,
      metafile: true,
      logLevel: "silent",
      plugins: [nodeBuiltins(root, entry.label, found)],
    });
    const output = result.outputFiles[0]!.contents;
    return {
      label: entry.label,
      pkg: entry.pkg,
      budget: entry.budget,
      minified: output.byteLength,
      gzip: gzipSync(output, { level: 9 }).byteLength,
      parts: parts(root, result.metafile),
    };
  } catch (error) {
    const errors = (error as { errors?: { text: string; location?: { file: string; line: number } | null }[] }).errors;
    if (!errors) throw error;
    // Built-ins the plugin caught are in `found`; anything else esbuild refused is reported as is.
    for (const problem of errors) {
      if (problem.text.startsWith("Node built-in")) continue;
      const where = problem.location ? ` (${problem.location.file}:${problem.location.line})` : "";
      found.push({ bundle: entry.label, builtin: "?", importer: `${problem.text}${where}` });
    }
    return {
      label: entry.label,
      pkg: entry.pkg,
      budget: entry.budget,
      minified: undefined,
      gzip: undefined,
      parts: [],
    };
  }
}

/** Minified bytes per package (node_modules) or per source file (ours), largest first. */
function parts(root: string, metafile: Metafile): [string, number][] {
  const totals = new Map<string, number>();
  for (const output of Object.values(metafile.outputs)) {
    for (const [file, { bytesInOutput }] of Object.entries(output.inputs)) {
      const inModules = /node_modules\/((?:@[^/]+\/)?[^/]+)\/(?!.*node_modules\/)/.exec(file);
      const name = inModules
        ? inModules[1]!
        : relative(join(root, "packages"), join(root, file)).replace(/\/src\//, "/");
      totals.set(name, (totals.get(name) ?? 0) + bytesInOutput);
    }
  }
  return [...totals].filter(([, bytes]) => bytes > 0).sort((a, b) => b[1] - a[1]);
}

/** Bundles each publishable package for the browser: typical use, and everything it exports. */
export async function measureSizes(
  root: string,
): Promise<{ rows: SizeRow[]; builtins: BuiltinImport[]; untemplated: string[] }> {
  const builtins: BuiltinImport[] = [];
  const untemplated: string[] = [];
  const packages = publishablePackages(root);
  const runtime = packages.find((p) => p.name === "@cx-openapi/runtime");
  const entries: Parameters<typeof bundleSize>[1][] = [];
  if (runtime) {
    entries.push({
      label: "openapi-fetch alone (createClient + GET), reference",
      pkg: undefined,
      budget: undefined,
      code: openapiFetchAlone,
      resolveDir: runtime.dir,
    });
  }
  for (const pkg of packages) {
    const entry = browserEntry(pkg);
    const entryFile = JSON.stringify(join(pkg.dir, entry.file));
    const use = typicalUse[pkg.name];
    if (use) {
      const name = `${pkg.name}${entry.subpath}`;
      const label = pkg.isClient ? `${name} = runtime + client (${use.label})` : `${name} (${use.label})`;
      entries.push({
        label,
        pkg: pkg.name,
        budget: pkg.isClient ? gzipBudgets[pkg.name] : undefined,
        code: use.code.replaceAll("PKG", entryFile),
        resolveDir: pkg.dir,
      });
    } else {
      untemplated.push(pkg.name);
    }
  }
  entries.push(...driftEntries(packages));
  for (const pkg of packages) {
    const entry = browserEntry(pkg);
    const entryFile = JSON.stringify(join(pkg.dir, entry.file));
    entries.push({
      label: `${pkg.name}${entry.subpath}, everything (export *)`,
      pkg: pkg.name,
      budget: undefined,
      code: `export * from ${entryFile};`,
      resolveDir: pkg.dir,
    });
  }
  const rows: SizeRow[] = [];
  for (const entry of entries) rows.push(await bundleSize(root, entry, builtins));
  return { rows, builtins, untemplated };
}
