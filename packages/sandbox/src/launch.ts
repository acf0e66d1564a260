// Starts the sandbox of both APIs from files: the bundled specs, an optional data file and seed.
import { existsSync, readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import type { CorsOrigins } from "./cors.js";
import type { Limits } from "./limits.js";
import { apiNames, createSandbox, type ApiName } from "./sandbox.js";
import { serveSandbox, type Gate, type RunningSandbox } from "./server.js";
import { fileStore } from "./file-store.js";
import { SandboxDataError } from "./store.js";

/** The sandbox's default ports, the ones `pnpm start` and `pnpm sandbox` use. */
export const defaultPorts: Record<ApiName, number> = { "relay-cdm": 4010, hiirelevate: 4011 };

export interface Launched {
  running: RunningSandbox;
  /** One line per API, to print. */
  lines: string[];
}

export interface LaunchOptions {
  /** Where the `<api>.json` bundles are (default: the ones this package ships, else the repository's). */
  specDir?: string | undefined;
  ports?: Partial<Record<ApiName, number>>;
  dataFile?: string | undefined;
  seedFile?: string | undefined;
  /** `prism` (the default where Prism is installed) or `in-process`. */
  gate?: string | undefined;
  /** 127.0.0.1 by default; beyond loopback needs `adminToken` (see serveSandbox). */
  host?: string | undefined;
  adminToken?: string | undefined;
  corsOrigins?: CorsOrigins | undefined;
  limits?: Partial<Limits> | undefined;
  onLog?: ((line: string) => void) | undefined;
  /** Prism keeps exiting and the gate gave up (default: written to stderr). */
  onGateFatal?: ((error: Error) => void) | undefined;
}

/** Starts the sandbox of both APIs, each behind its gate, and returns what to print. */
export async function launchSandbox(options: LaunchOptions = {}): Promise<Launched> {
  const gate = (options.gate ?? (prismInstalled() ? "prism" : "in-process")) as Gate;
  if (gate !== "prism" && gate !== "in-process")
    throw new Error(`--gate must be prism or in-process; got ${JSON.stringify(options.gate)}`);
  const specFiles = bundledSpecs(options.specDir ?? defaultSpecDir());
  const specs = Object.fromEntries(
    apiNames.map((api) => [api, JSON.parse(readFileSync(specFiles[api], "utf8"))]),
  ) as Record<ApiName, never>;
  const sandbox = createSandbox({
    specs,
    persistence: options.dataFile === undefined ? undefined : fileStore(options.dataFile),
    seed: options.seedFile === undefined ? undefined : readSeed(options.seedFile),
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
    ...(onLog ? { onLog: (api, line) => onLog(`[${api}] ${line}`) } : {}),
    ...(onGateFatal ? { onGateFatal } : {}),
  });
  const lines = apiNames.map(
    (api) => `  ${`${api} sandbox`.padEnd(20)} ${running.urls[api]}   (stateful, gate: ${gate})`,
  );
  return { running, lines };
}

function bundledSpecs(specDir: string): Record<ApiName, string> {
  const files = Object.fromEntries(apiNames.map((api) => [api, `${specDir}/${api}.json`])) as Record<ApiName, string>;
  for (const file of Object.values(files))
    if (!existsSync(file)) throw new Error(`no bundled spec at ${file} (run pnpm bundle, or pass --spec-dir)`);
  return files;
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

function prismInstalled(): boolean {
  try {
    import.meta.resolve("@stoplight/prism-cli/package.json");
    return true;
  } catch {
    return false;
  }
}

/** The specs shipped next to the built package (dist/specs), else the repository's bundles. */
function defaultSpecDir(): string {
  const shipped = fileURLToPath(new URL("./specs", import.meta.url));
  return existsSync(shipped) ? shipped : fileURLToPath(new URL("../../../dist/openapi", import.meta.url));
}
