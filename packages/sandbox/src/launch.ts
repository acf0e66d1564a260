// Starts the sandbox of both APIs from files: the bundled specs, an optional data file and seed.
import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { apiNames, apiRegistry, loadSpec, prismInstalled, sandboxPorts, type ApiName } from "@cx-openapi/spec";
import type { CorsOrigins } from "./cors.js";
import type { Limits } from "./limits.js";
import { createSandbox, type SandboxOptions } from "./sandbox.js";
import { serveSandbox, type Gate, type RunningSandbox } from "./server.js";
import { explainBusyPort, sandboxPortClaims } from "./ports.js";
import { persistenceOf } from "./state-options.js";
import { SandboxDataError } from "./store.js";

/** The sandbox's default ports (each API's `x-cx.sandboxPort` in redocly.yaml). */
export const defaultPorts: Record<ApiName, number> = sandboxPorts();

/** The specs the built package ships beside its code (dist/specs); the workspace's sources have none. */
const shippedSpecDir = fileURLToPath(new URL("./specs", import.meta.url));

export interface Launched {
  running: RunningSandbox;
  /** One line per API, to print. */
  lines: string[];
}

export interface LaunchOptions {
  /** Where the `<api>.json` bundles are (default: the ones this package ships, in dist/specs). */
  specDir?: string | undefined;
  ports?: Partial<Record<ApiName, number>>;
  dataFile?: string | undefined;
  /** Keep the state in `.sandbox/state.json` under the working directory, private (not with `dataFile`). */
  persist?: boolean | undefined;
  /** Fixtures to start from, in place of the example data. */
  seedFile?: string | undefined;
  /** Start blank, without the example data (not with `seedFile`). */
  empty?: boolean | undefined;
  /** `prism` (the default where Prism is installed) or `in-process`. */
  gate?: string | undefined;
  /** 127.0.0.1 by default; beyond loopback needs `adminToken` (see serveSandbox). */
  host?: string | undefined;
  adminToken?: string | undefined;
  corsOrigins?: CorsOrigins | undefined;
  limits?: Partial<Limits> | undefined;
  /** Keep the values of the spec's `x-pii` fields in the request journal (masked by default). */
  journalPii?: boolean | undefined;
  /** Where the docs are served (`pnpm start`'s), for the links of each port's index and inspector. */
  docsUrl?: string | undefined;
  onLog?: ((line: string) => void) | undefined;
  /** Prism keeps exiting and the gate gave up (default: written to stderr). */
  onGateFatal?: ((error: Error) => void) | undefined;
}

/** Starts the sandbox of both APIs, each behind its gate, and returns what to print. */
export async function launchSandbox(options: LaunchOptions = {}): Promise<Launched> {
  const gate = (options.gate ?? (prismInstalled() ? "prism" : "in-process")) as Gate;
  if (gate !== "prism" && gate !== "in-process")
    throw new Error(`--gate must be prism or in-process; got ${JSON.stringify(options.gate)}`);
  const specFiles = bundledSpecs(options.specDir ?? shippedSpecDir);
  const specs = Object.fromEntries(apiNames.map((api) => [api, loadSpec(specFiles[api])])) as SandboxOptions["specs"];
  const sandbox = createSandbox({
    specs,
    persistence: persistenceOf(options),
    seed: options.seedFile === undefined ? undefined : readSeed(options.seedFile),
    empty: options.empty,
    journalPii: options.journalPii,
  });
  const { onLog, onGateFatal } = options;
  const running = await serveSandbox({
    sandbox,
    specFiles,
    ports: options.ports ?? defaultPorts,
    gate,
    ...(options.host === undefined ? {} : { host: options.host }),
    ...(options.adminToken === undefined ? {} : { adminToken: options.adminToken }),
    ...(options.corsOrigins === undefined ? {} : { corsOrigins: options.corsOrigins }),
    ...(options.limits === undefined ? {} : { limits: options.limits }),
    docsUrl: options.docsUrl,
    ...(onLog ? { onLog: (api, line) => onLog(`[${api}] ${line}`) } : {}),
    ...(onGateFatal ? { onGateFatal } : {}),
  }).catch((error: unknown) => {
    throw explainBusyPort(error, sandboxPortClaims(options.ports ?? defaultPorts), options.host);
  });
  const lines = apiNames.map(
    (api) => `  ${`${api} sandbox`.padEnd(20)} ${running.urls[api]}   (stateful, gate: ${gate})`,
  );
  return { running, lines };
}

function bundledSpecs(specDir: string): Record<ApiName, string> {
  const files = Object.fromEntries(apiNames.map((api) => [api, join(specDir, apiRegistry[api].bundles.json)]));
  for (const file of Object.values(files))
    if (!existsSync(file)) throw new Error(`no bundled spec at ${file} (pass the folder of the bundles: --spec-dir)`);
  return files as Record<ApiName, string>;
}

function readSeed(file: string): unknown {
  try {
    return JSON.parse(readFileSync(file, "utf8"));
  } catch (error) {
    throw new SandboxDataError(
      `--seed ${file}: cannot read it as JSON (${error instanceof Error ? error.message : String(error)})`,
    );
  }
}
