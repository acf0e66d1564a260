// Per-call cost of raw fetch, bare openapi-fetch and createRelayCdmClient, all doing the same GET
// against a node:http server in a child process on 127.0.0.1.
import { fork, type ChildProcess } from "node:child_process";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { build } from "esbuild";
// The root's openapi-fetch is pinned to the runtime's version, so pnpm links both to the same files:
// the very module instance our runtime uses.
import createClient from "openapi-fetch";
import type * as RelayCdm from "@cx-openapi/relay-cdm";
import type { paths } from "@cx-openapi/relay-cdm";
import { jsTarget } from "../lib/packages.js";

export interface CallSettings {
  calls: number;
  rounds: number;
  warmup: number;
  concurrency: number;
}

export interface Contender {
  name: string;
  /** One GET of the customer; resolves to the parsed body. */
  call: () => Promise<unknown>;
}

export interface ModeResult {
  concurrency: number;
  /** Wall-clock µs per call of each round, per contender name. */
  rounds: Map<string, number[]>;
  /**
   * CPU µs (user + system) this process spent per call, each round, per contender name. Other
   * processes' load barely moves it, so it shows the client's own cost when the wall clock is noisy.
   */
  cpu: Map<string, number[]>;
}

const apiKey = "bench-api-key-0123456789";
const clientId = "relay_developer";
const ccid = "BAK-11984-007";
const path = "/cdm/client/{client_id}/customer/{ccid}";

/**
 * The Relay client as its package ships it: the client and the runtime compiled by esbuild as
 * `pnpm build` compiles them, openapi-fetch left external, so it is the very module the bare
 * contender uses. Not the TypeScript sources through tsx, whose transform adds work of its own.
 */
export async function builtRelayClient(root: string): Promise<typeof RelayCdm> {
  const outfile = join(root, "node_modules/.cache/cx-openapi-bench/relay-cdm.mjs");
  await build({
    entryPoints: [join(root, "packages/relay-cdm/src/index.ts")],
    outfile,
    bundle: true,
    format: "esm",
    platform: "neutral",
    target: jsTarget,
    external: ["openapi-fetch"],
    logLevel: "warning",
  });
  return (await import(pathToFileURL(outfile).href)) as typeof RelayCdm;
}

/** The three contenders, in table order; raw fetch first (it is the baseline). */
export function contenders(baseUrl: string, { apiKeyHeader, createRelayCdmClient }: typeof RelayCdm): Contender[] {
  const url = `${baseUrl}/cdm/client/${encodeURIComponent(clientId)}/customer/${encodeURIComponent(ccid)}`;
  const headers = { [apiKeyHeader]: apiKey };
  const bare = createClient<paths>({ baseUrl, headers });
  const ours = createRelayCdmClient({ apiKey, baseUrl });
  return [
    {
      name: "raw fetch",
      call: async () => {
        const response = await fetch(url, { headers });
        if (!response.ok) throw new Error(`raw fetch: HTTP ${response.status}`);
        return response.json();
      },
    },
    {
      name: "openapi-fetch",
      call: async () => {
        const { data, response } = await bare.GET(path, { params: { path: { client_id: clientId, ccid } } });
        if (!data) throw new Error(`openapi-fetch: HTTP ${response.status}`);
        return data;
      },
    },
    {
      name: "createRelayCdmClient",
      call: async () => {
        const result = await ours.GET(path, { params: { path: { client_id: clientId, ccid } } });
        if (result.status !== 200) throw new Error(`createRelayCdmClient: HTTP ${result.status}`);
        return result.data;
      },
    },
  ];
}

/** Runs `calls` calls, `concurrency` at a time; returns the wall and CPU time per call in µs. */
async function timeCalls(
  call: () => Promise<unknown>,
  calls: number,
  concurrency: number,
): Promise<{ wall: number; cpu: number }> {
  const cpuStarted = process.cpuUsage();
  const started = performance.now();
  if (concurrency <= 1) {
    for (let i = 0; i < calls; i++) await call();
  } else {
    let issued = 0;
    const worker = async () => {
      while (issued < calls) {
        issued++;
        await call();
      }
    };
    await Promise.all(Array.from({ length: Math.min(concurrency, calls) }, worker));
  }
  const wall = ((performance.now() - started) * 1000) / calls;
  const cpu = process.cpuUsage(cpuStarted);
  return { wall, cpu: (cpu.user + cpu.system) / calls };
}

/**
 * Warms every contender up, then runs `rounds` rounds of `calls` calls each, the contenders taking
 * turns and the starting contender rotating each round, so drift and noise hit all of them alike.
 */
export async function measureMode(
  list: Contender[],
  settings: CallSettings,
  concurrency: number,
  log: (line: string) => void,
): Promise<ModeResult> {
  for (const contender of list) {
    const first = (await contender.call()) as { ccid?: unknown } | undefined;
    if (first?.ccid !== ccid) throw new Error(`${contender.name}: unexpected body ${JSON.stringify(first)}`);
    await timeCalls(contender.call, settings.warmup, concurrency);
  }
  const rounds = new Map(list.map((contender) => [contender.name, [] as number[]]));
  const cpu = new Map(list.map((contender) => [contender.name, [] as number[]]));
  for (let round = 0; round < settings.rounds; round++) {
    const order = list.map((_, i) => list[(i + round) % list.length]!);
    for (const contender of order) {
      const time = await timeCalls(contender.call, settings.calls, concurrency);
      rounds.get(contender.name)!.push(time.wall);
      cpu.get(contender.name)!.push(time.cpu);
    }
    const line = list
      .map(
        (contender) =>
          `${contender.name} ${rounds.get(contender.name)!.at(-1)!.toFixed(0)} (cpu ${cpu.get(contender.name)!.at(-1)!.toFixed(0)})`,
      )
      .join(", ");
    log(`  round ${round + 1}/${settings.rounds}: ${line} µs/call`);
  }
  return { concurrency, rounds, cpu };
}

export interface BenchServer {
  baseUrl: string;
  stop(): Promise<void>;
}

/**
 * Forks scripts/bench/server.ts and waits for its port. The server is killed by `stop()`, on this
 * process's exit and on Ctrl-C / SIGTERM; it also exits by itself when its IPC channel closes.
 */
export async function startServer(root: string): Promise<BenchServer> {
  const child = fork(join(root, "scripts/bench/server.ts"), [], {
    cwd: root,
    execArgv: ["--import", "tsx"],
    env: { ...process.env, BENCH_API_KEY: apiKey, NODE_OPTIONS: "" },
    stdio: ["ignore", "inherit", "inherit", "ipc"],
  });
  const kill = () => {
    if (child.exitCode === null && child.signalCode === null) child.kill("SIGKILL");
  };
  const onSignal = (signal: NodeJS.Signals) => {
    kill();
    console.error(`\n✖ interrupted (${signal}); the bench server is stopped`);
    process.exit(signal === "SIGINT" ? 130 : 143);
  };
  process.once("exit", kill);
  process.once("SIGINT", onSignal);
  process.once("SIGTERM", onSignal);
  const stop = async () => {
    process.off("SIGINT", onSignal);
    process.off("SIGTERM", onSignal);
    process.off("exit", kill);
    await stopChild(child);
  };
  try {
    const port = await new Promise<number>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error("the bench server did not start within 20 s")), 20_000);
      child.once("message", (message: { port?: unknown }) => {
        clearTimeout(timer);
        if (typeof message.port === "number") resolve(message.port);
        else reject(new Error(`the bench server sent ${JSON.stringify(message)}`));
      });
      child.once("exit", (code, signal) => {
        clearTimeout(timer);
        reject(new Error(`the bench server exited before listening (code ${code}, signal ${signal})`));
      });
      child.once("error", (error) => {
        clearTimeout(timer);
        reject(error);
      });
    });
    return { baseUrl: `http://127.0.0.1:${port}`, stop };
  } catch (error) {
    await stop();
    throw error;
  }
}

async function stopChild(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise<void>((resolve) => child.once("exit", () => resolve()));
  child.kill("SIGTERM");
  let timer: NodeJS.Timeout | undefined;
  const forced = new Promise<void>((resolve) => {
    timer = setTimeout(() => {
      child.kill("SIGKILL");
      resolve();
    }, 3_000);
  });
  await Promise.race([exited, forced]);
  clearTimeout(timer);
  await exited;
}

export const median = (values: number[]): number => {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = sorted.length >> 1;
  return sorted.length % 2 ? sorted[middle]! : (sorted[middle - 1]! + sorted[middle]!) / 2;
};
