// What `pnpm start` does: bundles and generates (unless told not to), builds the docs, then serves
// them and every API's local server (the stateful sandbox, or the static mocks) on 127.0.0.1 until
// a stop is requested. Whatever has started when the stop comes is stopped, even halfway through
// starting up, so no Prism process is left behind.
import { existsSync } from "node:fs";
import type { Api } from "./apis.js";
import { stopOnSignal } from "./cli.js";
import { buildDocs, docsDir } from "./docs-build.js";
import { startMocks, startSandbox, type SandboxState } from "./mocks.js";
import { serveStatic, type StaticServer } from "./static-server.js";

export const defaultDocsPort = 8080;

export interface LocalOptions {
  apis: Api[];
  docsPort: number;
  /** Each API's port. */
  ports: ReadonlyMap<string, number>;
  /** The example-only Prism mocks instead of the stateful sandbox. */
  static: boolean;
  /** Where the sandbox keeps its state and what it starts from. */
  state?: SandboxState;
  /** Reuse the existing bundles and generated code. */
  skipGen: boolean;
}

export async function serveLocal(options: LocalOptions): Promise<void> {
  const { apis, ports } = options;
  const kind = options.static ? "mock" : "sandbox";
  const mockUrls = new Map(apis.map((api) => [api.name, `http://127.0.0.1:${ports.get(api.name)}`]));
  let docs: Promise<StaticServer> | undefined;
  let stopServers: (() => Promise<void>) | undefined;
  stopOnSignal(async () => {
    await Promise.allSettled([stopServers?.(), docs?.then((server) => server.close())]);
  });

  await bundleAndGenerate(apis, options.skipGen);
  // The servers start while the docs build: both take a few seconds.
  console.log(`▶ Docs, and the ${kind === "mock" ? "mocks" : "sandbox"}`);
  const servers = options.static
    ? startMocks(apis, ports)
    : startSandbox(apis, ports, options.state, `http://127.0.0.1:${options.docsPort}/`);
  stopServers = servers.stop;
  docs = buildDocs({ bundle: false, mockUrls }).then(() => serveStatic({ root: docsDir, port: options.docsPort }));
  const [server, urls] = await Promise.all([docs, servers.ready]).catch(async (error: unknown) => {
    await Promise.allSettled([servers.stop(), docs?.then((s) => s.close())]);
    throw error;
  });

  const width = Math.max(4, ...apis.map((api) => `${api.name} ${kind}`.length));
  console.log("\ncx-openapi is running:");
  console.log(`  ${"docs".padEnd(width)}  ${server.url}/`);
  for (const [name, url] of urls) console.log(`  ${`${name} ${kind}`.padEnd(width)}  ${url}`);
  console.log("Press Ctrl-C to stop.");
}

async function bundleAndGenerate(apis: Api[], skip: boolean): Promise<void> {
  if (skip) {
    const missing = apis.filter((api) => !existsSync(api.bundleJson) || !existsSync(api.bundleYaml));
    if (missing.length)
      throw new Error(`--skip-gen: no bundle of ${missing.map((api) => api.name).join(", ")}; run pnpm gen first`);
    console.log("▶ Bundle and generate: skipped (--skip-gen)");
    return;
  }
  console.log("▶ Bundle and generate");
  // Loaded only here: openapi-typescript brings the TypeScript compiler (a second of start-up).
  const { generateAll } = await import("./generate.js");
  await generateAll();
}
