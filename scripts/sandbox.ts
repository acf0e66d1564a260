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
  --hiirelevate-port N          HiiRelevate (default 4011; 0 picks a free one)
  --data FILE                   keep the state in FILE across restarts (written atomically)
  --seed FILE                   start from these fixtures (and return to them on reset)
  --gate prism|in-process       Prism's proxy (default) or the sandbox's own validator
  --max-body-bytes N            larger request bodies get 413 (default 1048576)
  --max-depth N                 JSON bodies nested deeper get 400 (default 64)
  --max-violations N            a 400 lists at most N violations (default 20)
  --host HOST                   listen on HOST (default 127.0.0.1); beyond loopback needs --admin-token
  --admin-token TOKEN           require it on /__sandbox/* (or CX_SANDBOX_ADMIN_TOKEN)
  --cors-origin ORIGIN          a web origin allowed to call the APIs beyond loopback (repeatable)`,
  options: {
    "relay-cdm-port": { type: "string" },
    "hiirelevate-port": { type: "string" },
    data: { type: "string" },
    seed: { type: "string" },
    gate: { type: "string" },
    "max-body-bytes": { type: "string" },
    "max-depth": { type: "string" },
    "max-violations": { type: "string" },
    host: { type: "string" },
    "admin-token": { type: "string" },
    "cors-origin": { type: "string", multiple: true },
  },
  async run(values) {
    ensureBundles();
    const args = Object.entries(values).flatMap(([name, value]) =>
      (Array.isArray(value) ? value : [value]).flatMap((v) => (typeof v === "string" ? [`--${name}`, v] : [])),
    );
    let stopping: (() => Promise<void>) | undefined;
    const launched = await runCli(args, {
      onGateFatal: (error) => {
        console.error(`✖ ${error.message}; stopping`);
        void stopping?.().finally(() => process.exit(1));
      },
    });
    if (!launched) return;
    stopping = () => launched.running.stop();
    stopOnSignal(stopping);
    console.log(`The sandbox is running:\n${launched.lines.join("\n")}\nPress Ctrl-C to stop.`);
  },
});
