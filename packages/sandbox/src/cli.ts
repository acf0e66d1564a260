// cx-sandbox's command line: serves the stateful sandbox of both APIs on 127.0.0.1 (bin.ts runs it).
import { parseArgs } from "node:util";
import { apiNames, apiRegistry, type ApiName } from "@cx-openapi/spec";
import { defaultPorts, launchSandbox, type Launched, type LaunchOptions } from "./launch.js";
import { defaultLimits, limitBounds, type Limits } from "./limits.js";

/** One `--<api>-port` option per API of the registry. */
const portOptions = Object.fromEntries(apiNames.map((api) => [`${api}-port`, { type: "string" }])) as Record<
  `${ApiName}-port`,
  { type: "string" }
>;
const portUsage = apiNames
  .map(
    (api) =>
      `${`  --${api}-port N`.padEnd(25)}${apiRegistry[api].title} (default ${defaultPorts[api]}; 0 picks a free one)`,
  )
  .join("\n");

export const usage = `Usage: cx-sandbox [options]
${portUsage}
  --data FILE            keep the state in FILE across restarts (written atomically)
  --seed FILE            start from these fixtures (and return to them on reset)
  --gate prism|in-process  check every answer with Prism's proxy (default when Prism is installed)
                         or with the sandbox's own validator
  --spec-dir DIR         where <api>.json bundles are (default: the ones this package ships)
  --max-body-bytes N     larger request bodies get 413 (default ${defaultLimits.bodyBytes})
  --max-depth N          JSON bodies nested deeper get 400 (default ${defaultLimits.depth})
  --max-violations N     a 400 lists at most N violations (default ${defaultLimits.violations})
  --host HOST            listen on HOST (default 127.0.0.1). Beyond loopback the sandbox's own
                         routes need --admin-token, and only --cors-origin origins may call it
  --admin-token TOKEN    require "Authorization: Bearer TOKEN" on /__sandbox/* (or set
                         CX_SANDBOX_ADMIN_TOKEN)
  --cors-origin ORIGIN   a web origin allowed to call the APIs (repeat it; beyond loopback only)
  --help                 this text`;

const options = {
  ...portOptions,
  data: { type: "string" },
  seed: { type: "string" },
  gate: { type: "string" },
  "spec-dir": { type: "string" },
  "max-body-bytes": { type: "string" },
  "max-depth": { type: "string" },
  "max-violations": { type: "string" },
  host: { type: "string" },
  "admin-token": { type: "string" },
  "cors-origin": { type: "string", multiple: true },
  help: { type: "boolean" },
} as const;

/** What the command line asks for, as launchSandbox's options; throws on a bad option. */
export function parseCli(args: string[], env: NodeJS.ProcessEnv = process.env): LaunchOptions | undefined {
  const { values } = parseArgs({ args, strict: true, options });
  if (values.help) return undefined;
  const adminToken = values["admin-token"] ?? env.CX_SANDBOX_ADMIN_TOKEN;
  return {
    specDir: values["spec-dir"],
    ports: Object.fromEntries(
      apiNames.map((api) => [api, whole(`--${api}-port`, values[`${api}-port`], 0, 65535) ?? defaultPorts[api]]),
    ),
    dataFile: values.data,
    seedFile: values.seed,
    gate: values.gate,
    host: values.host,
    adminToken: adminToken === "" ? undefined : adminToken,
    corsOrigins: values["cors-origin"],
    limits: limitsOf(values),
  };
}

/** Starts what the command line asks for; undefined after printing --help. */
export async function runCli(
  args: string[],
  hooks: Pick<LaunchOptions, "onLog" | "onGateFatal"> = {},
): Promise<Launched | undefined> {
  const launch = parseCli(args);
  if (!launch) {
    console.log(usage);
    return undefined;
  }
  return launchSandbox({ ...launch, ...hooks });
}

function limitsOf(values: Record<string, unknown>): Partial<Limits> {
  const limits: Partial<Limits> = {};
  const set = (key: keyof Limits, flag: string) => {
    const value = whole(`--${flag}`, values[flag] as string | undefined, ...limitBounds[key]);
    if (value !== undefined) limits[key] = value;
  };
  set("bodyBytes", "max-body-bytes");
  set("depth", "max-depth");
  set("violations", "max-violations");
  return limits;
}

function whole(option: string, raw: string | undefined, min: number, max: number): number | undefined {
  if (raw === undefined) return undefined;
  const value = Number(raw);
  if (!/^\d+$/.test(raw) || value < min || value > max)
    throw new Error(`${option} must be a whole number from ${min} to ${max}; got ${JSON.stringify(raw)}`);
  return value;
}
