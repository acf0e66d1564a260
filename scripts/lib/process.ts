// The one way the tools run a child process: no shell, output captured (or passed through), a
// deadline on every run, and an environment without the variables a parent `pnpm run` sets.
import { spawn, spawnSync, type StdioOptions } from "node:child_process";
import { createRequire } from "node:module";
import { dirname, join } from "node:path";
import { repoRoot } from "./apis.js";

export interface RunOptions {
  cwd?: string;
  /** Added to the clean environment (see cleanEnv). */
  env?: Record<string, string>;
  /** Pass the child's output straight through instead of capturing it. */
  inherit?: boolean;
  /** Default 10 minutes: every wait has a deadline. */
  timeoutMs?: number;
}

export interface RunResult {
  code: number;
  stdout: string;
  stderr: string;
  /** stdout and stderr, in that order. */
  output: string;
}

const defaultTimeoutMs = 10 * 60_000;

/**
 * The environment for child processes: no telemetry or update checks from Redocly, and none of the
 * `npm_*` variables a parent `pnpm test` or `pnpm run` sets (they would configure a child npm or
 * pnpm as if it ran inside that script).
 */
export function cleanEnv(extra: Record<string, string> = {}): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {};
  for (const [key, value] of Object.entries(process.env)) {
    if (!/^(npm|pnpm)_/i.test(key) && key !== "NODE_OPTIONS" && key !== "INIT_CWD") env[key] = value;
  }
  return { ...env, REDOCLY_TELEMETRY: "off", REDOCLY_SUPPRESS_UPDATE_NOTICE: "true", ...extra };
}

/** A binary of this repository's node_modules/.bin. */
export const bin = (name: string) => join(repoRoot, "node_modules/.bin", name);

const packageDir = (name: string) =>
  dirname(createRequire(join(repoRoot, "package.json")).resolve(`${name}/package.json`));

/**
 * Two TypeScripts, each named by its package, as both install a `tsc` bin: 5.9's emits the
 * packages' declarations (the version of the compiler API openapi-typescript and the tests use);
 * 7's native compiler gives the same diagnostics several times faster, for the typecheck.
 */
export const tsc = {
  emit: () => join(packageDir("typescript"), "bin/tsc"),
  check: () => join(packageDir("typescript-native"), "bin/tsc"),
};

function describe(command: string, args: string[]): string {
  return [command.startsWith(repoRoot) ? command.slice(repoRoot.length + 1) : command, ...args].join(" ");
}

function result(
  command: string,
  args: string[],
  status: number | null,
  signal: string | null,
  stdout: string,
  stderr: string,
  error?: Error,
): RunResult {
  if (error) throw new Error(`${describe(command, args)}: ${error.message}`);
  if (status === null) throw new Error(`${describe(command, args)} was stopped by ${signal}`);
  return { code: status, stdout, stderr, output: `${stdout}${stderr}` };
}

/** Runs a command and waits for it; a non-zero exit is returned, not thrown. */
export function runSync(command: string, args: string[], options: RunOptions = {}): RunResult {
  const child = spawnSync(command, args, {
    cwd: options.cwd ?? repoRoot,
    env: cleanEnv(options.env),
    encoding: "utf8",
    stdio: options.inherit ? "inherit" : "pipe",
    timeout: options.timeoutMs ?? defaultTimeoutMs,
    maxBuffer: 256 * 1024 * 1024,
  });
  return result(command, args, child.status, child.signal, child.stdout ?? "", child.stderr ?? "", child.error);
}

/** The same, without blocking the event loop (for work that runs side by side). */
export function run(command: string, args: string[], options: RunOptions = {}): Promise<RunResult> {
  return new Promise((resolve, reject) => {
    const stdio: StdioOptions = options.inherit ? "inherit" : ["ignore", "pipe", "pipe"];
    const child = spawn(command, args, { cwd: options.cwd ?? repoRoot, env: cleanEnv(options.env), stdio });
    let stdout = "";
    let stderr = "";
    child.stdout?.on("data", (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr?.on("data", (chunk: Buffer) => (stderr += chunk.toString()));
    const timeoutMs = options.timeoutMs ?? defaultTimeoutMs;
    const timer = setTimeout(() => child.kill("SIGKILL"), timeoutMs);
    child.once("error", (error) => {
      clearTimeout(timer);
      reject(new Error(`${describe(command, args)}: ${error.message}`));
    });
    child.once("close", (code, signal) => {
      clearTimeout(timer);
      if (code === null)
        reject(
          new Error(
            `${describe(command, args)} was stopped by ${signal}${signal === "SIGKILL" ? ` (deadline ${timeoutMs} ms?)` : ""}`,
          ),
        );
      else resolve({ code, stdout, stderr, output: `${stdout}${stderr}` });
    });
  });
}

/** Throws with the command's output when it failed. */
export function check(command: string, args: string[], outcome: RunResult): RunResult {
  if (outcome.code !== 0)
    throw new Error(
      `${describe(command, args)} failed with exit code ${outcome.code}${outcome.output.trim() ? `:\n${outcome.output.trim()}` : ""}`,
    );
  return outcome;
}

/** Runs a command and throws when it fails. */
export const runOrThrow = (command: string, args: string[], options?: RunOptions) =>
  check(command, args, runSync(command, args, options));

/**
 * Runs a tool from node_modules/.bin in the repository root, prints its output, and throws when it
 * fails. Redocly's boxed "Node.js 20 is end-of-life" notice is dropped: it cannot be switched off
 * and says nothing about our specs.
 */
export function runTool(name: string, args: string[], options: RunOptions = {}): void {
  report(name, args, runSync(bin(name), args, options));
}

/** The same, without blocking the event loop: tools that run side by side. */
export async function runToolAsync(name: string, args: string[], options: RunOptions = {}): Promise<void> {
  report(name, args, await run(bin(name), args, options));
}

function report(name: string, args: string[], outcome: RunResult): void {
  process.stdout.write(stripNodeNotice(outcome.output));
  if (outcome.code !== 0) throw new Error(`${name} ${args.join(" ")} failed with exit code ${outcome.code}`);
}

function stripNodeNotice(text: string): string {
  return text.replace(/\n? *╔[^]*?╚═+╝\n?/g, "\n");
}
