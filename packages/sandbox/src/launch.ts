// Starts the sandbox of both APIs from files: the bundled specs (or a patched one per API), an
// optional data file and seed, and a fault profile per API.
import { existsSync, readFileSync } from "node:fs";
import { join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { apiNames, apiRegistry, loadSpec, prismInstalled, sandboxPorts, type ApiName } from "@cx-openapi/spec";
import type { CorsOrigins } from "./cors.js";
import { loadBundledSpec, prismCopies, readFaultFile } from "./launch-files.js";
import type { Limits } from "./limits.js";
import { createSandbox, type SandboxOptions } from "./sandbox.js";
import { serveSandbox, type Gate, type RunningSandbox, type ServeOptions } from "./server.js";
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
  /**
   * A bundled spec file per API in place of its bundle in `specDir` (`--spec <api>=<file>`): the
   * gate, Prism's or in process, and the request checks use it.
   */
  specFiles?: Partial<Record<ApiName, string>> | undefined;
  /** A fault profile file per API (`--faults <api>=<file>`): the rules every world starts with. */
  faultFiles?: Partial<Record<ApiName, string>> | undefined;
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
  // Every file is read and checked before anything listens or starts.
  const faults = Object.fromEntries(
    Object.entries(options.faultFiles ?? {}).map(([api, file]) => [api, readFaultFile(api as ApiName, file)]),
  );
  const { specFiles, specs } = specsOf(options);
  const sandbox = createSandbox({
    specs,
    persistence: persistenceOf(options),
    seed: options.seedFile === undefined ? undefined : readSeed(options.seedFile),
    empty: options.empty,
    journalPii: options.journalPii,
    faults,
  });
  const copies = gate === "prism" ? prismCopies(specs, options.specFiles ?? {}) : { files: {}, remove: () => {} };
  const running = await serveSandbox({
    ...serveOptions(options),
    sandbox,
    specFiles: { ...specFiles, ...copies.files },
    gate,
  }).catch((error: unknown) => {
    copies.remove();
    throw explainBusyPort(error, sandboxPortClaims(options.ports ?? defaultPorts), options.host);
  });
  const lines = apiNames.map(
    (api) => `  ${`${api} sandbox`.padEnd(20)} ${running.urls[api]}   (stateful, gate: ${gate})`,
  );
  return { running: { ...running, stop: () => running.stop().finally(copies.remove) }, lines };
}

/** What serveSandbox takes of the launch options as they are. */
function serveOptions(options: LaunchOptions): Omit<ServeOptions, "sandbox" | "specFiles"> {
  const { onLog, onGateFatal } = options;
  return {
    ports: options.ports ?? defaultPorts,
    ...(options.host === undefined ? {} : { host: options.host }),
    ...(options.adminToken === undefined ? {} : { adminToken: options.adminToken }),
    ...(options.corsOrigins === undefined ? {} : { corsOrigins: options.corsOrigins }),
    ...(options.limits === undefined ? {} : { limits: options.limits }),
    docsUrl: options.docsUrl,
    ...(onLog ? { onLog: (api: ApiName, line: string) => onLog(`[${api}] ${line}`) } : {}),
    ...(onGateFatal ? { onGateFatal } : {}),
  };
}

/** Each API's spec file (for Prism) and document: the one `--spec` gives, else its bundle in the folder. */
export function specsOf(options: Pick<LaunchOptions, "specDir" | "specFiles">): {
  specFiles: Record<ApiName, string>;
  specs: SandboxOptions["specs"];
} {
  const specDir = options.specDir ?? shippedSpecDir;
  const entries = apiNames.map((api) => {
    const given = options.specFiles?.[api];
    if (given !== undefined) return [api, resolve(given), loadBundledSpec(api, given)] as const;
    const file = join(specDir, apiRegistry[api].bundles.json);
    if (!existsSync(file)) throw new Error(`no bundled spec at ${file} (pass the folder of the bundles: --spec-dir)`);
    return [api, file, loadSpec(file)] as const;
  });
  return {
    specFiles: Object.fromEntries(entries.map(([api, file]) => [api, file])) as Record<ApiName, string>,
    specs: Object.fromEntries(entries.map(([api, , spec]) => [api, spec])) as SandboxOptions["specs"],
  };
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
