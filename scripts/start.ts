// pnpm start: builds everything (bundles, generated code, docs), then serves the docs and the mocks.
//   pnpm start [--docs-port 8080] [--<api>-port N ...] [--skip-gen]
// --skip-gen reuses the existing bundles and generated code (the docs are still rebuilt): faster, and
// it leaves dist/openapi untouched, which Prism processes watching those files would restart on.
// Everything listens on 127.0.0.1 only. Ctrl-C or SIGTERM (or losing the parent process) stops the
// docs server and every mock before exiting, so no Prism process is left behind.
import { existsSync } from "node:fs";
import { loadApis } from "./lib/apis.js";
import { buildDocs, docsDir } from "./docs.js";
import { generateAll } from "./gen.js";
import { cli, parsePort, stopOnSignal } from "./lib/cli.js";
import { serveStatic, type StaticServer } from "./lib/static-server.js";
import { mockPortOptions, mockPortUsage, mockPorts, startMocks } from "./mock.js";

export const defaultDocsPort = 8080;

const apis = loadApis();

cli(import.meta.url, {
  usage: `Usage: pnpm start [options]

Builds the bundles, generated code and docs, then serves the docs and every API's mock on
127.0.0.1 until Ctrl-C or SIGTERM (exit 0).

  --docs-port N                 the docs server (default ${defaultDocsPort})
${mockPortUsage(apis)}
  --skip-gen                    reuse the existing bundles and generated code (the docs are still rebuilt)`,
  options: { "docs-port": { type: "string" }, "skip-gen": { type: "boolean" }, ...mockPortOptions(apis) },
  async run(values) {
    const docsPort = parsePort("--docs-port", values["docs-port"], defaultDocsPort);
    const ports = mockPorts(apis, values);
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
      await generateAll();
    }
    console.log("▶ Docs");
    buildDocs({ bundle: false, mockUrls });
    console.log("▶ Serve");
    docs = serveStatic({ root: docsDir, port: docsPort });
    const mocks = startMocks(apis, ports);
    stopMocks = mocks.stop;
    const [server, urls] = await Promise.all([docs, mocks.ready]).catch(async (error: unknown) => {
      await Promise.allSettled([mocks.stop(), docs?.then((s) => s.close())]);
      throw error;
    });

    const width = Math.max(4, ...apis.map((api) => api.name.length + 5));
    console.log("\ncx-openapi is running:");
    console.log(`  ${"docs".padEnd(width)}  ${server.url}/`);
    for (const [name, url] of urls) console.log(`  ${`${name} mock`.padEnd(width)}  ${url}`);
    console.log("Press Ctrl-C to stop.");
  },
});
