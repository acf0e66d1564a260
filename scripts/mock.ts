// pnpm mock: serves every API's bundled spec with Prism on 127.0.0.1, each on its own port: the
// static, example-only mock (the stateful sandbox is `pnpm sandbox`, on other ports, so both can run).
// Ports: redocly.yaml's x-cx.mockPort (4020, 4021), or `--<api>-port N` (e.g. `pnpm mock --relay-cdm-port 5010`).
import { loadApis } from "./lib/apis.js";
import { ensureBundles } from "./lib/bundle.js";
import { cli, stopOnSignal } from "./lib/cli.js";
import { mockPortOptions, mockPortUsage, mockPorts, startMocks } from "./lib/mocks.js";

const apis = loadApis();

cli(import.meta.url, {
  usage: `Usage: pnpm mock [options]

Serves every API's bundled spec with Prism on 127.0.0.1 until Ctrl-C or SIGTERM (exit 0).

${mockPortUsage(apis)}`,
  options: mockPortOptions(apis),
  async run(values) {
    const ports = mockPorts(apis, values);
    ensureBundles();
    const { ready, stop } = startMocks(apis, ports);
    stopOnSignal(stop);
    for (const [name, url] of await ready) console.log(`Mock of ${name}: ${url}`);
    console.log("Press Ctrl-C to stop.");
  },
});
