// pnpm sandbox: bundles the specs (only what changed), then serves the stateful sandbox of every API
// behind Prism on its x-cx.sandboxPort (4010, 4011), without the docs. The options and their usage
// are cx-sandbox's own (packages/sandbox/src/cli.ts); the specs are this repository's bundles unless
// --spec-dir names others.
import {
  checkPortsFree,
  launchOptionsOf,
  launchSandbox,
  sandboxOptions,
  sandboxOptionUsage,
  sandboxPortClaims,
} from "@cx-openapi/sandbox";
import { bundleDir } from "./lib/apis.js";
import { ensureBundles } from "./lib/bundle.js";
import { cli, stopOnSignal } from "./lib/cli.js";

cli(import.meta.url, {
  usage: `Usage: pnpm sandbox [options]

Serves the stateful sandbox of every API, each behind Prism's validating proxy, on 127.0.0.1 until
Ctrl-C or SIGTERM (exit 0).

${sandboxOptionUsage("dist/openapi, this repository's bundles")}`,
  options: sandboxOptions,
  async run(values) {
    const options = launchOptionsOf(values);
    // Before any work (bundling, Prism): a busy port fails at once, naming its flag.
    await checkPortsFree(sandboxPortClaims(options.ports ?? {}), options.host);
    if (options.specDir === undefined) ensureBundles();
    let stopping: (() => Promise<void>) | undefined;
    const launched = await launchSandbox({
      ...options,
      specDir: options.specDir ?? bundleDir,
      onGateFatal: (error) => {
        console.error(`✖ ${error.message}; stopping`);
        void stopping?.().finally(() => process.exit(1));
      },
    });
    stopping = () => launched.running.stop();
    stopOnSignal(stopping);
    console.log(`The sandbox is running:\n${launched.lines.join("\n")}\nPress Ctrl-C to stop.`);
  },
});
