// pnpm sandbox: bundles the specs (only what changed), then serves the stateful sandbox of both APIs
// behind Prism on 4010 and 4011, without the docs. The options are cx-sandbox's.
import { runCli } from "@cx-openapi/sandbox";
import { ensureBundles } from "./lib/bundle.js";
import { cli, stopOnSignal } from "./lib/cli.js";

cli(import.meta.url, {
  usage: `Usage: pnpm sandbox [options]

Serves the stateful sandbox of both APIs, each behind Prism's validating proxy, on 127.0.0.1 until
Ctrl-C or SIGTERM (exit 0).

  --relay-cdm-port N            Relay CDM (default 4010; 0 picks a free one)
  --hiirelevate-port N          HiiRelevate (default 4011)
  --data FILE                   keep the state in FILE across restarts (written atomically)
  --seed FILE                   start from these fixtures (and return to them on reset)
  --gate prism|in-process       Prism's proxy (default) or the sandbox's own validator`,
  options: {
    "relay-cdm-port": { type: "string" },
    "hiirelevate-port": { type: "string" },
    data: { type: "string" },
    seed: { type: "string" },
    gate: { type: "string" },
  },
  async run(values) {
    ensureBundles();
    const args = Object.entries(values).flatMap(([name, value]) =>
      typeof value === "string" ? [`--${name}`, value] : [],
    );
    const launched = await runCli(args);
    if (!launched) return;
    stopOnSignal(() => launched.running.stop());
    console.log(`The sandbox is running:\n${launched.lines.join("\n")}\nPress Ctrl-C to stop.`);
  },
});
