// pnpm sandbox: bundles the specs (only what changed), then serves the stateful sandbox of every API
// behind Prism on its x-cx.sandboxPort (4010, 4011), without the docs. The options are cx-sandbox's,
// and the specs are this repository's bundles.
import { runCli } from "@cx-openapi/sandbox";
import { bundleDir, loadApis } from "./lib/apis.js";
import { ensureBundles } from "./lib/bundle.js";
import { cli, stopOnSignal } from "./lib/cli.js";

const apis = loadApis();
const portUsage = apis
  .map((api) => `${`  --${api.name}-port N`.padEnd(32)}${api.name} (default ${api.sandboxPort}; 0 picks a free one)`)
  .join("\n");

cli(import.meta.url, {
  usage: `Usage: pnpm sandbox [options]

Serves the stateful sandbox of every API, each behind Prism's validating proxy, on 127.0.0.1 until
Ctrl-C or SIGTERM (exit 0).

${portUsage}
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
    ...Object.fromEntries(apis.map((api) => [`${api.name}-port`, { type: "string" as const }])),
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
    const launched = await runCli(["--spec-dir", bundleDir, ...args], {
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
