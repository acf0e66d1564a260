#!/usr/bin/env node
// cx-sandbox: serves the stateful sandbox of both APIs on 127.0.0.1.
//   cx-sandbox [--relay-cdm-port 4010] [--hiirelevate-port 4011] [--data FILE] [--seed FILE]
//              [--gate prism|in-process] [--spec-dir DIR] [--quiet]
import { existsSync, readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { parseArgs } from "node:util";
import { apiNames, createSandbox, type ApiName } from "./sandbox.js";
import { serveSandbox, type Gate, type RunningSandbox } from "./server.js";
import { SandboxDataError } from "./store.js";

export const defaultPorts: Record<ApiName, number> = { "relay-cdm": 4010, hiirelevate: 4011 };

const usage = `Usage: cx-sandbox [options]
  --relay-cdm-port N     Relay CDM port (default ${defaultPorts["relay-cdm"]}; 0 picks a free one)
  --hiirelevate-port N   HiiRelevate port (default ${defaultPorts.hiirelevate})
  --data FILE            keep the state in FILE across restarts (written atomically)
  --seed FILE            start from these fixtures (and return to them on reset)
  --gate prism|in-process  check every answer with Prism's proxy (default when Prism is installed)
                         or with the sandbox's own validator
  --spec-dir DIR         where <api>.json bundles are (default: the ones this package ships)
  --help                 this text`;

export interface CliResult {
  running: RunningSandbox;
  lines: string[];
}

/** Starts what the command line asks for; throws on a bad option or an unreadable file. */
export async function runCli(args: string[], onLog?: (line: string) => void): Promise<CliResult | undefined> {
  const { values } = parseArgs({
    args,
    strict: true,
    options: {
      "relay-cdm-port": { type: "string" },
      "hiirelevate-port": { type: "string" },
      data: { type: "string" },
      seed: { type: "string" },
      gate: { type: "string" },
      "spec-dir": { type: "string" },
      help: { type: "boolean" },
    },
  });
  if (values.help) {
    console.log(usage);
    return undefined;
  }
  const gate = (values.gate ?? (prismInstalled() ? "prism" : "in-process")) as Gate;
  if (gate !== "prism" && gate !== "in-process") throw new Error(`--gate must be prism or in-process; got ${JSON.stringify(values.gate)}`);
  const specDir = values["spec-dir"] ?? defaultSpecDir();
  const specFiles = Object.fromEntries(apiNames.map((api) => [api, `${specDir}/${api}.json`])) as Record<ApiName, string>;
  for (const file of Object.values(specFiles)) if (!existsSync(file)) throw new Error(`no bundled spec at ${file} (run pnpm bundle, or pass --spec-dir)`);
  const specs = Object.fromEntries(apiNames.map((api) => [api, JSON.parse(readFileSync(specFiles[api], "utf8"))])) as Record<ApiName, never>;
  let seed: unknown;
  if (values.seed !== undefined) {
    try {
      seed = JSON.parse(readFileSync(values.seed, "utf8"));
    } catch (error) {
      throw new SandboxDataError(`--seed ${values.seed}: cannot read it as JSON (${error instanceof Error ? error.message : String(error)})`);
    }
  }
  const sandbox = createSandbox({ specs, dataFile: values.data, seed });
  const ports = Object.fromEntries(apiNames.map((api) => [api, parsePort(`--${api}-port`, values[`${api}-port`], defaultPorts[api])]));
  const running = await serveSandbox({ sandbox, specFiles, ports, gate, ...(onLog ? { onLog: (api, line) => onLog(`[${api}] ${line}`) } : {}) });
  const lines = apiNames.map((api) => `  ${api.padEnd(12)} ${running.urls[api]}   (stateful sandbox, gate: ${gate})`);
  return { running, lines };
}

function parsePort(option: string, raw: string | undefined, fallback: number): number {
  if (raw === undefined) return fallback;
  const port = Number(raw);
  if (!/^\d+$/.test(raw) || port > 65535) throw new Error(`${option} must be a whole number from 0 to 65535; got ${JSON.stringify(raw)}`);
  return port;
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

if (import.meta.url === `file://${process.argv[1]}` || process.argv[1]?.endsWith("/cx-sandbox")) {
  runCli(process.argv.slice(2)).then(
    (result) => {
      if (!result) return;
      console.log(`cx-sandbox is running:\n${result.lines.join("\n")}\nPress Ctrl-C to stop.`);
      const stop = () => void result.running.stop().then(() => process.exit(0));
      process.once("SIGINT", stop);
      process.once("SIGTERM", stop);
    },
    (error: unknown) => {
      console.error(`✖ ${error instanceof Error ? error.message : String(error)}`);
      process.exit(1);
    },
  );
}
