// cx-sandbox's command line: serves the stateful sandbox of both APIs on 127.0.0.1 (bin.ts runs it).
// The options and their usage lines are defined here once: the repository's `pnpm sandbox` takes
// the same ones (scripts/sandbox.ts), so a new option is one edit.
import { parseArgs } from "node:util";
import { apiNames, apiRegistry, type ApiName } from "@cx-openapi/spec";
import { defaultPorts, launchSandbox, type Launched, type LaunchOptions } from "./launch.js";
import { apiFileValues } from "./launch-files.js";
import { defaultLimits, limitBounds, type Limits } from "./limits.js";
import { checkPortsFree, sandboxPortClaims } from "./ports.js";
import { checkStateOptions, type StateOptions } from "./state-options.js";

/** One `--<api>-port` option per API of the registry. */
const portOptions = Object.fromEntries(apiNames.map((api) => [`${api}-port`, { type: "string" }])) as Record<
  `${ApiName}-port`,
  { type: "string" }
>;

/** Every option of the sandbox's command line, for `parseArgs` (`--help` aside). */
export const sandboxOptions = {
  ...portOptions,
  data: { type: "string" },
  persist: { type: "boolean" },
  seed: { type: "string" },
  empty: { type: "boolean" },
  gate: { type: "string" },
  faults: { type: "string", multiple: true },
  spec: { type: "string", multiple: true },
  "spec-dir": { type: "string" },
  "max-body-bytes": { type: "string" },
  "max-depth": { type: "string" },
  "max-violations": { type: "string" },
  host: { type: "string" },
  "admin-token": { type: "string" },
  "cors-origin": { type: "string", multiple: true },
  "journal-pii": { type: "boolean" },
} as const;

/** What `parseArgs` makes of the options. */
export type SandboxCliValues = ReturnType<typeof parseArgs<{ options: typeof sandboxOptions }>>["values"];

/** The usage lines of `sandboxOptions`, one or more each; `specDir` says where the bundles are by default. */
export function sandboxOptionUsage(specDir = "the ones this package ships"): string {
  const ports = apiNames.map(
    (api) =>
      `${`  --${api}-port N`.padEnd(25)}${apiRegistry[api].title} (default ${defaultPorts[api]}; 0 picks a free one)`,
  );
  return [
    ...ports,
    `  --data FILE            keep the state in FILE across restarts (written atomically)
  --persist              keep it in .sandbox/state.json under the working directory, private
  --seed FILE            start from these fixtures instead of the spec's examples (and return
                         to them on reset)
  --empty                start blank, without the spec's examples
  --gate prism|in-process  check every answer with Prism's proxy (default when Prism is installed)
                         or with the sandbox's own validator
  --faults API=FILE      the fault rules API starts with, in every namespace: a JSON list as
                         PUT /__sandbox/faults takes it (a recorded faults.json). Repeat per API
  --spec API=FILE        API's bundled spec (JSON) in place of <api>.json: the gate and the request
                         checks use it (drift:propose's patched spec). Repeat per API
  --spec-dir DIR         where <api>.json bundles are (default: ${specDir})
  --max-body-bytes N     larger request bodies get 413 (default ${defaultLimits.bodyBytes})
  --max-depth N          JSON bodies nested deeper get 400 (default ${defaultLimits.depth})
  --max-violations N     a 400 lists at most N violations (default ${defaultLimits.violations})
  --host HOST            listen on HOST (default 127.0.0.1). Beyond loopback the sandbox's own
                         routes need --admin-token, and only --cors-origin origins may call it
  --admin-token TOKEN    require "Authorization: Bearer TOKEN" on /__sandbox/* (or set
                         CX_SANDBOX_ADMIN_TOKEN)
  --cors-origin ORIGIN   a web origin allowed to call the APIs (repeat it; beyond loopback only)
  --journal-pii          keep the x-pii values in the request journal (GET /__sandbox/requests);
                         masked by default. Credentials are never kept`,
  ].join("\n");
}

export const usage = `Usage: cx-sandbox [options]
${sandboxOptionUsage()}
  --help                 this text`;

/** The parsed options as launchSandbox's options; throws on a bad value, naming its flag. */
export function launchOptionsOf(values: SandboxCliValues, env: NodeJS.ProcessEnv = process.env): LaunchOptions {
  const adminToken = values["admin-token"] ?? env.CX_SANDBOX_ADMIN_TOKEN;
  return {
    specDir: values["spec-dir"],
    specFiles: apiFileValues("--spec", values.spec),
    faultFiles: apiFileValues("--faults", values.faults),
    ports: Object.fromEntries(
      apiNames.map((api) => [api, whole(`--${api}-port`, values[`${api}-port`], 0, 65535) ?? defaultPorts[api]]),
    ),
    ...stateOptionsOf(values),
    gate: values.gate,
    host: values.host,
    adminToken: adminToken === "" ? undefined : adminToken,
    corsOrigins: values["cors-origin"],
    limits: limitsOf(values),
    journalPii: values["journal-pii"],
  };
}

/** What the command line asks for, as launchSandbox's options (undefined for --help); throws on a bad option. */
export function parseCli(args: string[], env: NodeJS.ProcessEnv = process.env): LaunchOptions | undefined {
  const { values } = parseArgs({ args, strict: true, options: { ...sandboxOptions, help: { type: "boolean" } } });
  const { help, ...options } = values;
  return help ? undefined : launchOptionsOf(options, env);
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
  // Before any work: a busy port fails at once, naming its flag.
  await checkPortsFree(sandboxPortClaims(launch.ports ?? defaultPorts), launch.host);
  return launchSandbox({ ...launch, ...hooks });
}

/** Where the state is kept and what it starts from; throws naming both flags of a contradiction. */
function stateOptionsOf(values: SandboxCliValues): StateOptions {
  const state = { dataFile: values.data, persist: values.persist, seedFile: values.seed, empty: values.empty };
  checkStateOptions(state);
  return state;
}

function limitsOf(values: SandboxCliValues): Partial<Limits> {
  const limits: Partial<Limits> = {};
  const set = (key: keyof Limits, flag: "max-body-bytes" | "max-depth" | "max-violations") => {
    const value = whole(`--${flag}`, values[flag], ...limitBounds[key]);
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
