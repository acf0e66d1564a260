// The local servers `pnpm mock` and `pnpm start` run for every API: the static, example-only Prism
// mocks, or the stateful sandbox behind its Prism gate, each on its own port, with the
// `--<api>-port` options that choose them.
import { launchSandbox, type LaunchOptions } from "@cx-openapi/sandbox";
import { startPrism, type ApiName, type RunningPrism } from "@cx-openapi/spec";
import { bundleDir, type Api } from "./apis.js";
import { parsePort } from "./cli.js";

/** What is starting: each API's URL once all are up, and a stop that stops them all. */
export interface LocalServers {
  ready: Promise<Map<string, string>>;
  stop: () => Promise<void>;
}

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
export function startMocks(apis: Api[], ports: ReadonlyMap<string, number>): LocalServers {
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

/** Where the sandbox keeps its state and what it starts from (`--data`, `--persist`, `--seed`, `--empty`). */
export type SandboxState = Pick<LaunchOptions, "dataFile" | "persist" | "seedFile" | "empty">;

/** The stateful sandbox of every API behind its Prism gate, shaped like `startMocks`. */
export function startSandbox(
  apis: Api[],
  ports: ReadonlyMap<string, number>,
  state: SandboxState = {},
  docsUrl?: string,
): LocalServers {
  const launched = launchSandbox({ specDir: bundleDir, ports: Object.fromEntries(ports), ...state, docsUrl });
  return {
    ready: launched.then(({ running }) => new Map(apis.map((api) => [api.name, running.urls[api.name as ApiName]]))),
    stop: () =>
      launched.then(
        ({ running }) => running.stop(),
        () => undefined,
      ),
  };
}
