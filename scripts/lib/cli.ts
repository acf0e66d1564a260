// The one way a script becomes a command: strict flags (node:util parseArgs), `--help`, a
// main-module check that works in any path (spaces and all), one-line errors, and a clean stop on
// Ctrl-C or SIGTERM for commands that keep running.
import { existsSync, realpathSync } from "node:fs";
import { relative, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { parseArgs, type ParseArgsConfig } from "node:util";

type Options = NonNullable<ParseArgsConfig["options"]>;
type Values<O extends Options> = ReturnType<
  typeof parseArgs<{ options: O; strict: true; allowPositionals: true }>
>["values"];

export interface Command<O extends Options> {
  /** The usage text `--help` prints: a first line `Usage: pnpm <name> [options]`, then the options. */
  usage: string;
  options?: O;
  /** Whether positional arguments are accepted (default: none). */
  positionals?: boolean;
  run(values: Values<O>, positionals: string[]): Promise<void> | void;
}

/** Whether the module at `url` (its `import.meta.url`) is the script node was started with. */
export function isMain(url: string): boolean {
  const script = process.argv[1];
  if (!script) return false;
  const real = (path: string) => {
    try {
      return realpathSync(path);
    } catch {
      return path;
    }
  };
  return real(resolve(script)) === real(fileURLToPath(url));
}

/** An error whose message is all the user needs (no stack): bad flags, bad values. */
export class UsageError extends Error {}

/** Parses `args` strictly against the command's options; `--help` and `-h` are always known. */
export function parseCommand<O extends Options>(
  command: Command<O>,
  args: string[],
): { help: boolean; values: Values<O>; positionals: string[] } {
  // `pnpm x -- --flag` passes the `--` through; it is not an end-of-options marker for us.
  const argv = args.filter((arg) => arg !== "--");
  try {
    const { values, positionals } = parseArgs({
      args: argv,
      options: { ...command.options, help: { type: "boolean", short: "h" } },
      strict: true,
      allowPositionals: command.positionals ?? false,
    });
    const { help, ...rest } = values as Record<string, unknown>;
    return { help: help === true, values: rest as Values<O>, positionals };
  } catch (error) {
    throw new UsageError(
      `${(error as Error).message.split("\n")[0]}\n${command.usage.split("\n")[0]} (--help lists the options)`,
    );
  }
}

/** Every command defined in the modules loaded so far, by module URL (for the test that checks them all). */
export const commands = new Map<string, Command<Options>>();

/**
 * Runs `command` when `url` is the main module: parses the arguments, prints the usage on `--help`,
 * and turns a thrown error into one `✖` line and exit code 1 (2 for bad arguments).
 */
export function cli<O extends Options>(url: string, command: Command<O>): void {
  commands.set(url, command as unknown as Command<Options>);
  if (!isMain(url)) return;
  enterTypedDirectory();
  Promise.resolve()
    .then(async () => {
      const { help, values, positionals } = parseCommand(command, process.argv.slice(2));
      if (help) return void console.log(command.usage);
      await command.run(values, positionals);
    })
    .catch((error: unknown) => {
      console.error(`\n✖ ${error instanceof Error ? error.message : String(error)}`);
      process.exit(error instanceof UsageError ? 2 : 1);
    });
}

/**
 * `pnpm <script>` runs a script in the workspace root, whatever folder it was typed in; the paths on
 * its command line are the user's, relative to that folder (pnpm's INIT_CWD). Only for the script
 * pnpm started: a script another one spawns inherits INIT_CWD and keeps its own working directory.
 */
function enterTypedDirectory(): void {
  const typedIn = process.env.INIT_CWD;
  const script = process.argv[1];
  if (!typedIn || !script || typedIn === process.cwd()) return;
  const started = process.env.npm_lifecycle_script ?? "";
  if (!started.includes(relative(process.cwd(), resolve(script)))) return;
  if (existsSync(typedIn)) process.chdir(typedIn);
}

/**
 * Keeps a long-running command until Ctrl-C, SIGTERM, or the loss of its parent process (pnpm does
 * not pass SIGTERM on to the script it runs), then calls `stop` and exits 0: stopping on request
 * is a success. A failing stop exits 1.
 */
export function stopOnSignal(stop: () => Promise<void>): void {
  let stopping = false;
  const shutdown = (reason: string) => {
    if (stopping) return;
    stopping = true;
    console.log(`\n${reason}: stopping…`);
    stop().then(
      () => process.exit(0),
      (error: unknown) => {
        console.error(`✖ stopping failed: ${error instanceof Error ? error.message : String(error)}`);
        process.exit(1);
      },
    );
  };
  // `on`, not `once`: a Ctrl-C reaches us twice (from the terminal's process group and from pnpm,
  // which passes it on), and a second signal without a listener would kill us mid-stop.
  process.on("SIGINT", () => shutdown("SIGINT"));
  process.on("SIGTERM", () => shutdown("SIGTERM"));
  const parent = process.ppid;
  setInterval(() => {
    if (process.ppid !== parent) shutdown("parent process exited");
  }, 500).unref();
}

/** A port flag's value: a whole number from 1 to 65535, or the fallback when not given. */
export function parsePort(option: string, raw: string | boolean | undefined, fallback: number): number {
  if (raw === undefined) return fallback;
  const port = Number(raw);
  if (typeof raw !== "string" || !/^\d+$/.test(raw) || !Number.isInteger(port) || port < 1 || port > 65535) {
    throw new UsageError(`${option} must be a whole number from 1 to 65535; got ${JSON.stringify(raw)}`);
  }
  return port;
}
