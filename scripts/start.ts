// pnpm start: builds everything (bundles, generated code, docs), then serves the docs and, on 4010
// and 4011, the stateful sandbox behind Prism's validating proxy (`--static`: the example-only Prism
// mocks instead). See scripts/lib/serve-local.ts.
//   pnpm start [--docs-port 8080] [--<api>-port N ...] [--static] [--data FILE | --persist]
//              [--seed FILE | --empty] [--skip-gen]
// Every port is checked first: a busy one fails at once, naming its flag, before anything is built.
// --skip-gen reuses the existing bundles and generated code (the docs are still rebuilt): faster, and
// it leaves dist/openapi untouched (each Prism serves a private copy, so a rebuild does not restart it).
// Everything listens on 127.0.0.1 only. Ctrl-C or SIGTERM (or losing the parent process) stops the
// docs server and every mock before exiting, so no Prism process is left behind.
import { checkPortsFree, explainBusyPort, launchOptionsOf, type SandboxCliValues } from "@cx-openapi/sandbox";
import { loadApis, type Api } from "./lib/apis.js";
import { cli, parsePort } from "./lib/cli.js";
import { mockPortOptions, mockPortUsage, mockPorts, type SandboxState } from "./lib/mocks.js";
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
  --persist                     the sandbox keeps it in .sandbox/state.json, private
  --seed FILE                   the sandbox starts from these fixtures instead of the spec's examples
  --empty                       the sandbox starts blank, without the spec's examples
  --skip-gen                    reuse the existing bundles and generated code (the docs are still rebuilt)`,
  options: {
    "docs-port": { type: "string" },
    "skip-gen": { type: "boolean" },
    static: { type: "boolean" },
    data: { type: "string" },
    persist: { type: "boolean" },
    seed: { type: "string" },
    empty: { type: "boolean" },
    ...mockPortOptions(apis),
  },
  async run(values) {
    const docsPort = parsePort("--docs-port", values["docs-port"], defaultDocsPort);
    const ports = mockPorts(apis, values, sandboxPort);
    const state = sandboxState(values);
    const claims = [
      { port: docsPort, flag: "--docs-port" },
      ...[...ports].map(([api, port]) => ({ port, flag: `--${api}-port` })),
    ];
    // Before any work (generating, building the docs, starting Prism): a busy port fails at once.
    await checkPortsFree(claims);
    const local = {
      apis,
      docsPort,
      ports,
      static: values.static === true,
      state,
      skipGen: values["skip-gen"] === true,
    };
    await serveLocal(local).catch((error: unknown) => {
      throw explainBusyPort(error, claims);
    });
  },
});

/** The sandbox's state options, checked: none with --static, and no two that contradict each other. */
function sandboxState(values: SandboxCliValues & { static?: boolean | undefined }): SandboxState {
  const { data, persist, seed, empty } = values;
  const given = Object.entries({ data, persist, seed, empty }).flatMap(([flag, value]) =>
    value === undefined ? [] : [`--${flag}`],
  );
  if (values.static && given.length)
    throw new Error(
      `${given.join(", ")} ${given.length > 1 ? "are" : "is"} for the stateful sandbox, not with --static`,
    );
  // The sandbox's own reading of them: a contradiction is refused naming both flags.
  const options = launchOptionsOf(values);
  return { dataFile: options.dataFile, persist: options.persist, seedFile: options.seedFile, empty: options.empty };
}
