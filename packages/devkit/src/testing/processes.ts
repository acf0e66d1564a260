// Starting a command the way a user does (`pnpm <script>` in its own process group) and watching
// it and everything below it.
import { spawn, spawnSync, type ChildProcess } from "node:child_process";
import { setTimeout as sleep } from "node:timers/promises";
import { expect } from "vitest";
import { repoRoot } from "../repo.js";

export interface ProcessInfo {
  pid: number;
  ppid: number;
  args: string;
}

/** Every process below `root` (children, grandchildren...), from `ps`. */
export function descendants(root: number): ProcessInfo[] {
  const ps = spawnSync("ps", ["-A", "-o", "pid=,ppid=,args="], { encoding: "utf8" });
  const all = ps.stdout
    .split("\n")
    .map((line) => /^\s*(\d+)\s+(\d+)\s+(.*)$/.exec(line))
    .flatMap((m) => (m ? [{ pid: Number(m[1]), ppid: Number(m[2]), args: m[3] ?? "" }] : []));
  const found: ProcessInfo[] = [];
  const queue = [root];
  while (queue.length) {
    const parent = queue.shift()!;
    for (const p of all.filter((candidate) => candidate.ppid === parent)) {
      found.push(p);
      queue.push(p.pid);
    }
  }
  return found;
}

/** Whether a child has ended, by an exit code or by a signal (then exitCode stays null). */
export const hasEnded = (child: ChildProcess) => child.exitCode !== null || child.signalCode !== null;

export function exited(child: ChildProcess): Promise<{ code: number | null; signal: NodeJS.Signals | null }> {
  if (hasEnded(child)) return Promise.resolve({ code: child.exitCode, signal: child.signalCode });
  return new Promise((resolve) => child.once("exit", (code, signal) => resolve({ code, signal })));
}

export async function waitFor(
  what: string,
  condition: () => boolean,
  timeoutMs: number,
  output: () => string,
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline)
      throw new Error(`Timed out after ${timeoutMs} ms waiting for ${what}. Output so far:\n${output()}`);
    await sleep(100);
  }
}

/** Whether a process still exists. */
export function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === "EPERM";
  }
}

export interface Started {
  child: ChildProcess;
  output(): string;
}

/** How to run `pnpm <args>`: the pnpm that runs this test, if any, else the one on PATH. */
export function pnpmCommand(args: string[]): [string, string[]] {
  const pnpm = process.env.npm_execpath;
  return pnpm && /pnpm/.test(pnpm) ? [process.execPath, [pnpm, ...args]] : ["pnpm", args];
}

export interface PnpmOptions {
  /** The command's environment: the caller's choice, e.g. without the npm_* variables of a parent pnpm. */
  env: NodeJS.ProcessEnv;
  /** Default: the repository's root. */
  cwd?: string;
}

/**
 * `pnpm <args>` in a process group of its own (as a terminal starts it, so a group SIGINT is a
 * Ctrl-C), with its output collected.
 */
export function startPnpm(args: string[], { env, cwd = repoRoot }: PnpmOptions): Started {
  const [command, argv] = pnpmCommand(args);
  const child = spawn(command, argv, {
    cwd,
    env,
    stdio: ["ignore", "pipe", "pipe"],
    detached: true,
  });
  let output = "";
  child.stdout!.on("data", (chunk: Buffer) => (output += chunk.toString()));
  child.stderr!.on("data", (chunk: Buffer) => (output += chunk.toString()));
  return { child, output: () => output };
}

/** Kills a command and everything below it, for a test that failed half-way. */
export function killTree(child: ChildProcess | undefined): void {
  if (!child?.pid || hasEnded(child)) return;
  const left = descendants(child.pid);
  child.kill("SIGKILL");
  for (const p of left) if (isAlive(p.pid)) process.kill(p.pid, "SIGKILL");
}

/** What a clean stop must not print: pnpm's failure line, our error mark, an uncaught error. */
export const errorLine = /ELIFECYCLE|ERR_PNPM|✖|Error:/;

/** `pnpm <args>` once it prints "Press Ctrl-C to stop"; if it ends first, the error carries its output. */
export async function startReady(
  args: string[],
  { timeoutMs = 120_000, ...options }: PnpmOptions & { timeoutMs?: number },
): Promise<Started> {
  const command = startPnpm(args, options);
  const { child } = command;
  try {
    await waitFor(
      `pnpm ${args[0]}`,
      () => command.output().includes("Press Ctrl-C to stop") || hasEnded(child),
      timeoutMs,
      () => `${command.output()}\nprocesses: ${JSON.stringify(descendants(child.pid!))}`,
    );
    if (hasEnded(child)) throw new Error(`pnpm ${args.join(" ")} ended before it was ready:\n${command.output()}`);
  } catch (error) {
    killTree(child);
    throw error;
  }
  return command;
}

/**
 * Stops a command as a user does (SIGINT: Ctrl-C, to its process group; SIGTERM: to pnpm) and checks
 * the stop was clean: exit code 0, "<signal>: stopping" and no error line after the signal, and
 * none of its processes left.
 */
export async function expectCleanStop({ child, output }: Started, signal: "SIGINT" | "SIGTERM"): Promise<void> {
  const everything = descendants(child.pid!);
  const beforeStop = output().length;
  if (signal === "SIGINT") process.kill(-child.pid!, "SIGINT");
  else process.kill(child.pid!, "SIGTERM");
  // An unref'd deadline: it must not keep the process alive once the command has exited.
  const exit = await Promise.race([exited(child), sleep(30_000, undefined, { ref: false })]);
  expect(exit, `no exit within 30 s of ${signal}:\n${output()}`).toEqual({ code: 0, signal: null });
  await waitFor("every child process to exit", () => everything.every((p) => !isAlive(p.pid)), 10_000, output);
  expect(descendants(child.pid!)).toEqual([]);
  expect(output().slice(beforeStop)).toContain(`${signal}: stopping`);
  expect(output().slice(beforeStop)).not.toMatch(errorLine);
}
