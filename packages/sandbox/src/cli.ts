// cx-sandbox's command line: serves the stateful sandbox of both APIs on 127.0.0.1 (bin.ts runs it).
//   cx-sandbox [--relay-cdm-port 4010] [--hiirelevate-port 4011] [--data FILE] [--seed FILE]
//              [--gate prism|in-process] [--spec-dir DIR]
import { parseArgs } from "node:util";
import { defaultPorts, launchSandbox, type Launched } from "./launch.js";
import { apiNames } from "./sandbox.js";

const usage = `Usage: cx-sandbox [options]
  --relay-cdm-port N     Relay CDM port (default ${defaultPorts["relay-cdm"]}; 0 picks a free one)
  --hiirelevate-port N   HiiRelevate port (default ${defaultPorts.hiirelevate})
  --data FILE            keep the state in FILE across restarts (written atomically)
  --seed FILE            start from these fixtures (and return to them on reset)
  --gate prism|in-process  check every answer with Prism's proxy (default when Prism is installed)
                         or with the sandbox's own validator
  --spec-dir DIR         where <api>.json bundles are (default: the ones this package ships)
  --help                 this text`;

/** Starts what the command line asks for; throws on a bad option or an unreadable file. */
export async function runCli(args: string[], onLog?: (line: string) => void): Promise<Launched | undefined> {
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
  return launchSandbox({
    specDir: values["spec-dir"],
    ports: Object.fromEntries(
      apiNames.map((api) => [api, parsePort(`--${api}-port`, values[`${api}-port`], defaultPorts[api])]),
    ),
    dataFile: values.data,
    seedFile: values.seed,
    gate: values.gate,
    onLog,
  });
}

function parsePort(option: string, raw: string | undefined, fallback: number): number {
  if (raw === undefined) return fallback;
  const port = Number(raw);
  if (!/^\d+$/.test(raw) || port > 65535)
    throw new Error(`${option} must be a whole number from 0 to 65535; got ${JSON.stringify(raw)}`);
  return port;
}
