// pnpm start: builds everything (bundles, generated code, docs), then serves the docs and, on 4010
// and 4011, the stateful sandbox behind Prism's validating proxy (`--static`: the example-only Prism
// mocks instead). See scripts/lib/serve-local.ts.
//   pnpm start [--docs-port 8080] [--<api>-port N ...] [--static] [--data FILE] [--seed FILE] [--skip-gen]
// --skip-gen reuses the existing bundles and generated code (the docs are still rebuilt): faster, and
// it leaves dist/openapi untouched (each Prism serves a private copy, so a rebuild does not restart it).
// Everything listens on 127.0.0.1 only. Ctrl-C or SIGTERM (or losing the parent process) stops the
// docs server and every mock before exiting, so no Prism process is left behind.
import { loadApis, type Api } from "./lib/apis.js";
import { cli, parsePort } from "./lib/cli.js";
import { mockPortOptions, mockPortUsage, mockPorts } from "./lib/mocks.js";
import { defaultDocsPort, serveLocal } from "./lib/serve-local.js";

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
    await serveLocal({
      apis,
      docsPort,
      ports,
      static: values.static === true,
      dataFile: values.data,
      seedFile: values.seed,
      skipGen: values["skip-gen"] === true,
    });
  },
});
