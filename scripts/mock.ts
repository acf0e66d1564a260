// pnpm mock: serves every API's bundled spec with Prism on 127.0.0.1, each on its own port.
// Ports: redocly.yaml's x-cx.mockPort, or `--<api>-port N` (e.g. `pnpm mock --relay-cdm-port 5010`).
import { parseArgs } from "node:util";
import { loadApis, startMock, type Api, type RunningMock } from "@cx-openapi/devkit";
import { bundleAll } from "./bundle.js";
import { main } from "./lib/run.js";

/** The `--<api>-port` options, one per API, for `parseArgs`. */
export function mockPortOptions(apis: Api[]): Record<string, { type: "string" }> {
  return Object.fromEntries(apis.map((api) => [`${api.name}-port`, { type: "string" as const }]));
}

/** Each API's mock port: its `--<api>-port` value, or its x-cx.mockPort. */
export function mockPorts(apis: Api[], values: Record<string, string | boolean | undefined>): Map<string, number> {
  return new Map(apis.map((api) => [api.name, parsePort(`--${api.name}-port`, values[`${api.name}-port`], api.mockPort)]));
}

/**
 * Starts one mock per API on the given ports (the bundles must exist) and returns their URLs and a
 * function that stops them all. A stop requested while mocks are still starting waits for them and
 * stops them too, so none is left running.
 */
export function startMocks(apis: Api[], ports: ReadonlyMap<string, number>): { ready: Promise<Map<string, string>>; stop: () => Promise<void> } {
  const starting: Promise<RunningMock>[] = [];
  let stopped = false;
  const stop = async () => {
    stopped = true;
    const settled = await Promise.allSettled(starting);
    await Promise.all(settled.flatMap((result) => (result.status === "fulfilled" ? [result.value.stop()] : [])));
  };
  const ready = (async () => {
    for (const api of apis) {
      const port = ports.get(api.name) ?? api.mockPort;
      starting.push(startMock({ spec: api.bundleJson, port, onLog: (line) => console.log(`[${api.name}] ${line}`) }));
    }
    try {
      const mocks = await Promise.all(starting);
      if (stopped) throw new Error("stopped while starting");
      return new Map(apis.map((api, i) => [api.name, mocks[i]!.url]));
    } catch (error) {
      await stop();
      throw error;
    }
  })();
  return { ready, stop };
}

/** Starts every mock and returns a function that stops them all. */
export async function serveMocks(args: string[]): Promise<{ urls: Map<string, string>; stop: () => Promise<void> }> {
  const apis = loadApis();
  const { values } = parseArgs({ args, options: mockPortOptions(apis), strict: true });
  const ports = mockPorts(apis, values);
  bundleAll();
  const { ready, stop } = startMocks(apis, ports);
  return { urls: await ready, stop };
}

export function parsePort(option: string, raw: string | boolean | undefined, fallback: number): number {
  if (raw === undefined) return fallback;
  const port = Number(raw);
  if (typeof raw !== "string" || !/^\d+$/.test(raw) || !Number.isInteger(port) || port < 1 || port > 65535) {
    throw new Error(`${option} must be a whole number from 1 to 65535; got ${JSON.stringify(raw)}`);
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
