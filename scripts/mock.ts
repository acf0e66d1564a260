// pnpm mock: serves every API's bundled spec with Prism on 127.0.0.1, each on its own port: the
// static, example-only mock (the stateful sandbox is `pnpm sandbox`, on other ports, so both can run).
// Ports: redocly.yaml's x-cx.mockPort (4020, 4021), or `--<api>-port N` (e.g. `pnpm mock --relay-cdm-port 5010`).
import { loadApis, type Api } from "./lib/apis.js";
import { ensureBundles } from "./lib/bundle.js";
import { cli, parsePort, stopOnSignal } from "./lib/cli.js";
import { startPrism, type RunningPrism } from "@cx-openapi/spec";

/** The `--<api>-port` options, one per API, for `parseArgs`. */
export function mockPortOptions(apis: Api[]): Record<string, { type: "string" }> {
  return Object.fromEntries(apis.map((api) => [`${api.name}-port`, { type: "string" as const }]));
}

/** Each API's port: its `--<api>-port` value, or the fallback (the static mock's x-cx.mockPort). */
export function mockPorts(
  apis: Api[],
  values: Record<string, string | boolean | undefined>,
  fallback: (api: Api) => number = (api) => api.mockPort,
): Map<string, number> {
  return new Map(
    apis.map((api) => [api.name, parsePort(`--${api.name}-port`, values[`${api.name}-port`], fallback(api))]),
  );
}

/**
 * Starts one mock per API on the given ports (the bundles must exist) and returns their URLs and a
 * function that stops them all. A stop requested while mocks are still starting waits for them and
 * stops them too, so none is left running.
 */
export function startMocks(
  apis: Api[],
  ports: ReadonlyMap<string, number>,
): { ready: Promise<Map<string, string>>; stop: () => Promise<void> } {
  const starting: Promise<RunningPrism>[] = [];
  let stopped = false;
  const stop = async () => {
    stopped = true;
    const settled = await Promise.allSettled(starting);
    await Promise.all(settled.flatMap((result) => (result.status === "fulfilled" ? [result.value.stop()] : [])));
  };
  const ready = (async () => {
    for (const api of apis) {
      const port = ports.get(api.name) ?? api.mockPort;
      starting.push(startPrism({ spec: api.bundleJson, port, onLog: (line) => console.log(`[${api.name}] ${line}`) }));
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

/** The usage lines of the `--<api>-port` options. */
export function mockPortUsage(apis: Api[], port: (api: Api) => number = (api) => api.mockPort): string {
  return apis
    .map((api) => `${`  --${api.name}-port N`.padEnd(32)}${api.name}'s port (default ${port(api)})`)
    .join("\n");
}

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
