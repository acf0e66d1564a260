// pnpm start: builds everything (bundles, generated code, docs), then serves the docs and, on 4010
// and 4011, the stateful sandbox behind Prism's validating proxy (`--static`: the example-only Prism
// mocks instead).
//   pnpm start [--docs-port 8080] [--<api>-port N ...] [--static] [--data FILE] [--seed FILE] [--skip-gen]
// --skip-gen reuses the existing bundles and generated code (the docs are still rebuilt): faster, and
// it leaves dist/openapi untouched (each Prism serves a private copy, so a rebuild does not restart it).
// Everything listens on 127.0.0.1 only. Ctrl-C or SIGTERM (or losing the parent process) stops the
// docs server and every mock before exiting, so no Prism process is left behind.
import { existsSync } from "node:fs";
import { launchSandbox } from "@cx-openapi/sandbox";
import type { ApiName } from "@cx-openapi/spec";
import { bundleDir, loadApis, type Api } from "./lib/apis.js";
import { buildDocs, docsDir } from "./docs.js";
import { cli, parsePort, stopOnSignal } from "./lib/cli.js";
import { serveStatic, type StaticServer } from "./lib/static-server.js";
import { mockPortOptions, mockPortUsage, mockPorts, startMocks } from "./mock.js";

export const defaultDocsPort = 8080;

const apis = loadApis();
const sandboxPort = (api: Api) => api.sandboxPort;

cli(import.meta.url, {
  usage: `Usage: pnpm start [options]

Builds the bundles, generated code and docs, then serves the docs and every API's stateful
sandbox (behind Prism's validating proxy) on 127.0.0.1 until Ctrl-C or SIGTERM (exit 0).

  --docs-port N                 the docs server (default ${defaultDocsPort})
${mockPortUsage(apis, sandboxPort)}
  --static                      serve the example-only Prism mocks instead of the sandbox
  --data FILE                   the sandbox keeps its state in FILE across restarts
  --seed FILE                   the sandbox starts from these fixtures
  --skip-gen                    reuse the existing bundles and generated code (the docs are still rebuilt)`,
  options: {
    "docs-port": { type: "string" },
    "skip-gen": { type: "boolean" },
    static: { type: "boolean" },
    data: { type: "string" },
    seed: { type: "string" },
    ...mockPortOptions(apis),
  },
  async run(values) {
    const docsPort = parsePort("--docs-port", values["docs-port"], defaultDocsPort);
    const ports = mockPorts(apis, values, sandboxPort);
    if (values.static && (values.data || values.seed))
      throw new Error("--data and --seed are for the stateful sandbox, not with --static");
    const kind = values.static ? "mock" : "sandbox";
    const mockUrls = new Map(apis.map((api) => [api.name, `http://127.0.0.1:${ports.get(api.name)}`]));

    // Whatever has started when a stop is requested is stopped, even halfway through starting up.
    let docs: Promise<StaticServer> | undefined;
    let stopMocks: (() => Promise<void>) | undefined;
    stopOnSignal(async () => {
      await Promise.allSettled([stopMocks?.(), docs?.then((server) => server.close())]);
    });

    if (values["skip-gen"]) {
      const missing = apis.filter((api) => !existsSync(api.bundleJson) || !existsSync(api.bundleYaml));
      if (missing.length)
        throw new Error(`--skip-gen: no bundle of ${missing.map((api) => api.name).join(", ")}; run pnpm gen first`);
      console.log("▶ Bundle and generate: skipped (--skip-gen)");
    } else {
      console.log("▶ Bundle and generate");
      // Loaded only here: openapi-typescript brings the TypeScript compiler (a second of start-up).
      const { generateAll } = await import("./gen.js");
      await generateAll();
    }
    // The mocks start while the docs build: both take a few seconds.
    console.log(`▶ Docs, and the ${kind === "mock" ? "mocks" : "sandbox"}`);
    const mocks = values.static ? startMocks(apis, ports) : startSandbox(apis, ports, values.data, values.seed);
    stopMocks = mocks.stop;
    docs = buildDocs({ bundle: false, mockUrls }).then(() => serveStatic({ root: docsDir, port: docsPort }));
    const [server, urls] = await Promise.all([docs, mocks.ready]).catch(async (error: unknown) => {
      await Promise.allSettled([mocks.stop(), docs?.then((s) => s.close())]);
      throw error;
    });

    const width = Math.max(4, ...apis.map((api) => `${api.name} ${kind}`.length));
    console.log("\ncx-openapi is running:");
    console.log(`  ${"docs".padEnd(width)}  ${server.url}/`);
    for (const [name, url] of urls) console.log(`  ${`${name} ${kind}`.padEnd(width)}  ${url}`);
    console.log("Press Ctrl-C to stop.");
  },
});

/** The stateful sandbox of every API behind its Prism gate, shaped like `startMocks`. */
function startSandbox(apis: Api[], ports: ReadonlyMap<string, number>, dataFile?: string, seedFile?: string) {
  const launched = launchSandbox({ specDir: bundleDir, ports: Object.fromEntries(ports), dataFile, seedFile });
  return {
    ready: launched.then(({ running }) => new Map(apis.map((api) => [api.name, running.urls[api.name as ApiName]]))),
    stop: () =>
      launched.then(
        ({ running }) => running.stop(),
        () => undefined,
      ),
  };
}
