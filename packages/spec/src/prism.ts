// The one way to run Prism: `prism mock` on a spec, or `prism proxy` in front of an upstream. The
// commands (pnpm mock, pnpm proxy), the sandbox's contract gate and the contract tests all start it here.
import { spawn, type ChildProcess } from "node:child_process";
import { copyFileSync, mkdtempSync, rmSync } from "node:fs";
import { createRequire } from "node:module";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { basename, dirname, join } from "node:path";

export interface RunningPrism {
  url: string;
  port: number;
  /** The private copy of the spec Prism serves; removed once Prism exits. */
  spec: string;
  /** Settles when Prism exits for any reason, with why (its exit code or signal, and its last lines). */
  exited: Promise<string>;
  /** Stops Prism (SIGTERM, then SIGKILL after 5 s). */
  stop(): Promise<void>;
  /** Prism's process id, to check on it. */
  pid: number | undefined;
}

export interface PrismOptions {
  /** The spec file (JSON or YAML). Prism serves a private copy: see startPrism. */
  spec: string;
  /** `prism proxy` to this upstream instead of `prism mock`: requests and responses are validated, not invented. */
  upstream?: string;
  /** 0 (the default) picks a free port. */
  port?: number;
  host?: string;
  /** Called with each line Prism logs, once it is listening. */
  onLog?: (line: string) => void;
  startTimeoutMs?: number;
}

const require = createRequire(import.meta.url);
/** Resolved on first use, so the package loads where Prism is not installed (the in-process gate). */
const prismBin = () => join(dirname(require.resolve("@stoplight/prism-cli/package.json")), "dist/index.js");

/** Whether @stoplight/prism-cli can be found from here (it is an optional peer dependency). */
export function prismInstalled(): boolean {
  try {
    prismBin();
    return true;
  } catch {
    return false;
  }
}

/** Asks the OS for a free port on the loopback interface. */
export function freePort(host = "127.0.0.1"): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.unref();
    server.on("error", reject);
    server.listen(0, host, () => {
      const address = server.address();
      server.close(() =>
        typeof address === "object" && address ? resolve(address.port) : reject(new Error("no port")),
      );
    });
  });
}

/**
 * Binds `port` on `host` and closes it at once: rejects with the OS's error (EADDRINUSE) when the
 * port is taken. Checked before Prism starts, which costs a second of CPU only to find the same.
 */
function claimPort(host: string, port: number): Promise<void> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.unref();
    server.once("error", (error) => reject(new Error(`port ${port} on ${host}: ${error.message}`)));
    server.listen(port, host, () => server.close(() => resolve()));
  });
}

/** Starts on a port it picked itself: this many tries, since another process may take the port first. */
const pickedPortAttempts = 3;

/**
 * Starts `prism mock` on a spec (or `prism proxy` with `upstream`) and resolves once it listens.
 * Prism watches its spec file and restarts when it changes, so it serves a private copy, taken now
 * and removed when Prism exits: rebuilding the bundles never restarts a running Prism. A port it
 * picks (`port` 0) is free when picked but bound only once Prism has started, seconds later; if
 * another process took it meanwhile (EADDRINUSE), it starts again on a new one, twice at most. A
 * port taken before the start is found before Prism is started.
 * `pickPort` is how it picks one (default freePort).
 */
export async function startPrism(options: PrismOptions, pickPort = freePort): Promise<RunningPrism> {
  const dir = mkdtempSync(join(tmpdir(), "cx-prism-"));
  const remove = () => rmSync(dir, { recursive: true, force: true });
  try {
    const spec = join(dir, basename(options.spec));
    copyFileSync(options.spec, spec);
    const host = options.host ?? "127.0.0.1";
    const running = options.port
      ? await launch({ ...options, spec, host }, options.port)
      : await launchOnPickedPort({ ...options, spec, host }, () => pickPort(host));
    void running.exited.then(remove);
    return running;
  } catch (error) {
    remove();
    throw error;
  }
}

async function launchOnPickedPort(
  options: PrismOptions & { host: string },
  pick: () => Promise<number>,
  attempts = pickedPortAttempts,
): Promise<RunningPrism> {
  try {
    return await launch(options, await pick());
  } catch (error) {
    if (attempts > 1 && error instanceof Error && /EADDRINUSE/.test(error.message))
      return launchOnPickedPort(options, pick, attempts - 1);
    throw error;
  }
}

/**
 * Node runs Prism directly (no shell), so the PID we hold is Prism's own and stop() really stops it.
 * The proxy runs without `--errors`: it forwards every request and reports what breaks the spec in
 * the `sl-violations` response header, which the sandbox's gate reads.
 */
async function launch(options: PrismOptions & { host: string }, port: number): Promise<RunningPrism> {
  const { spec, upstream, host, onLog, startTimeoutMs = 30_000 } = options;
  await claimPort(host, port);
  // NODE_ENV=production would switch Prism to multiprocess mode, which forks a worker we don't hold.
  const env = { ...process.env, NODE_ENV: "development" };
  const command = upstream === undefined ? ["mock", spec] : ["proxy", spec, upstream];
  const child = spawn(process.execPath, [prismBin(), ...command, "-h", host, "-p", String(port)], {
    env,
    stdio: ["ignore", "pipe", "pipe"],
  });
  const tail = lastErrorLines(child, 10);
  const exited = new Promise<string>((resolve) =>
    child.once("exit", (code, signal) =>
      resolve(
        `${signal ? `signal ${signal}` : `exit code ${code}`}${tail.length ? `; last output: ${tail.join(" | ")}` : ""}`,
      ),
    ),
  );
  await waitUntilListening(child, startTimeoutMs, onLog);
  return { url: `http://${host}:${port}`, port, spec, exited, pid: child.pid, stop: () => stopProcess(child) };
}

/**
 * The last `count` lines the child wrote to stderr (a crash's stack trace), kept as it runs to say
 * why it exited. Not stdout: Prism logs each request's path there, which may hold personal data.
 */
function lastErrorLines(child: ChildProcess, count: number): string[] {
  const lines: string[] = [];
  const keep = (chunk: Buffer) => {
    for (const line of chunk.toString().split("\n")) if (line.trim()) lines.push(line.trim().slice(0, 300));
    lines.splice(0, Math.max(0, lines.length - count));
  };
  child.stderr?.on("data", keep);
  return lines;
}

function waitUntilListening(child: ChildProcess, timeoutMs: number, onLog?: (line: string) => void): Promise<void> {
  return new Promise((resolve, reject) => {
    let output = "";
    let listening = false;
    const timer = setTimeout(
      () => fail(new Error(`Prism did not start within ${timeoutMs} ms:\n${output}`)),
      timeoutMs,
    );
    const fail = (error: Error) => {
      clearTimeout(timer);
      child.kill("SIGKILL");
      reject(error);
    };
    const onData = (chunk: Buffer) => {
      const text = chunk.toString();
      if (listening) {
        if (onLog) for (const line of text.split("\n")) if (line.trim()) onLog(line);
        return;
      }
      output += text;
      if (output.includes("Prism is listening")) {
        listening = true;
        clearTimeout(timer);
        resolve();
      }
    };
    // Both streams are drained for the whole life of the process, or Prism blocks on a full pipe.
    child.stdout?.on("data", onData);
    child.stderr?.on("data", onData);
    child.once("exit", (code) => {
      if (!listening) fail(new Error(`Prism exited with code ${code} before listening:\n${output}`));
    });
  });
}

function stopProcess(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((resolve) => {
    const killer = setTimeout(() => child.kill("SIGKILL"), 5_000);
    child.once("exit", () => {
      clearTimeout(killer);
      resolve();
    });
    child.kill("SIGTERM");
  });
}
