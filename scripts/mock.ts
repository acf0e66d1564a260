// pnpm mock: serves every API's bundled spec with Prism on 127.0.0.1, each on its own port.
// Ports: redocly.yaml's x-cx.mockPort, or `--<api>-port N` (e.g. `pnpm mock --relay-cdm-port 5010`).
import { parseArgs } from "node:util";
import { loadApis, startMock, type RunningMock } from "@cx-openapi/devkit";
import { bundleAll } from "./bundle.js";
import { main } from "./lib/run.js";

/** Starts every mock and returns a function that stops them all. */
export async function serveMocks(args: string[]): Promise<{ urls: Map<string, string>; stop: () => Promise<void> }> {
  const apis = loadApis();
  const { values } = parseArgs({
    args,
    options: Object.fromEntries(apis.map((api) => [`${api.name}-port`, { type: "string" as const }])),
    strict: true,
  });
  bundleAll();
  const running: RunningMock[] = [];
  const stop = async () => {
    await Promise.all(running.map((mock) => mock.stop()));
  };
  try {
    for (const api of apis) {
      const port = parsePort(api.name, values[`${api.name}-port`], api.mockPort);
      running.push(await startMock({ spec: api.bundleJson, port, onLog: (line) => console.log(`[${api.name}] ${line}`) }));
    }
  } catch (error) {
    await stop();
    throw error;
  }
  return { urls: new Map(apis.map((api, i) => [api.name, running[i]!.url])), stop };
}

function parsePort(apiName: string, raw: string | boolean | undefined, fallback: number): number {
  if (raw === undefined) return fallback;
  const port = Number(raw);
  if (!Number.isInteger(port) || port < 1 || port > 65535) {
    throw new Error(`--${apiName}-port must be a whole number from 1 to 65535; got ${JSON.stringify(raw)}`);
  }
  return port;
}

/**
 * Stops everything on Ctrl-C or SIGTERM, then exits. pnpm does not pass SIGTERM on to the script it
 * runs, so losing our parent process counts as a stop request too: no mock outlives the command.
 */
export function stopOnSignal(stop: () => Promise<void>): void {
  let stopping = false;
  const shutdown = (reason: string) => {
    if (stopping) return;
    stopping = true;
    console.log(`\n${reason}: stopping…`);
    stop().then(
      () => process.exit(0),
      () => process.exit(1),
    );
  };
  process.once("SIGINT", () => shutdown("SIGINT"));
  process.once("SIGTERM", () => shutdown("SIGTERM"));
  const parent = process.ppid;
  setInterval(() => {
    if (process.ppid !== parent) shutdown("parent process exited");
  }, 500).unref();
}

if (import.meta.url === `file://${process.argv[1]}`) {
  main(async () => {
    const { urls, stop } = await serveMocks(process.argv.slice(2));
    stopOnSignal(stop);
    for (const [name, url] of urls) console.log(`Mock of ${name}: ${url}`);
    console.log("Press Ctrl-C to stop.");
  });
}
