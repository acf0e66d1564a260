// pnpm bench: prints what our clients cost, for the README. Never asserts a timing: the targets get a
// PASS/MISS word for information and the exit code stays 0, unless something crashes or a browser
// bundle pulls in a Node built-in.
//
//   pnpm bench [--calls N] [--rounds R] [--warmup W] [--concurrency C] [--only calls|sizes|sandbox|limits]
//
// 1. Per-call time of raw fetch, bare openapi-fetch and createRelayCdmClient (compiled as its package
//    ships it) doing the same GET against a node:http server in a child process on 127.0.0.1,
//    sequential and C (16) at a time.
//    The contenders take turns in R rounds (9) of N calls (4,000) each; the figure is the median round.
//    Short rounds and many of them: a burst of other work spoils a round or two, not the median.
// 2. Browser bundle sizes (esbuild, minified ESM, gzip -9) of each publishable package.
// 3. The stateful sandbox: requests/s and p99 for a read and a write, direct and behind the Prism
//    gate, beside Prism's static mock (autocannon, 10 connections, 3 s per run).
// 4. The sandbox's limits: how long the worst bodies within them hold its event loop (target 50 ms).
// Environment: BENCH_CALLS, BENCH_ROUNDS, BENCH_WARMUP, BENCH_CONCURRENCY set the same defaults.
import { cpus, loadavg, platform, arch } from "node:os";
import { readFileSync } from "node:fs";
import { join, resolve } from "node:path";
import { version as esbuildVersion } from "esbuild";
import { builtRelayClient, contenders, measureMode, median, startServer, type CallSettings } from "./bench/calls.js";
import { measureLimits } from "./bench/limits.js";
import { measureSandbox } from "./bench/sandbox.js";
import { measureSizes, type SizeRow } from "./bench/sizes.js";
import { cli, UsageError } from "./lib/cli.js";

const root = resolve(import.meta.dirname, "..");

/** Per-call targets for createRelayCdmClient, as a multiple of bare openapi-fetch in the same rounds. */
const targets = { sequential: 1.05, concurrent: 1.05 };

const defaults: CallSettings = { calls: 4_000, rounds: 9, warmup: 1_000, concurrency: 16 };

interface Options extends CallSettings {
  runCalls: boolean;
  runSizes: boolean;
  runSandbox: boolean;
  runLimits: boolean;
  argv: string[];
}

const benchOptions = {
  calls: { type: "string" },
  rounds: { type: "string" },
  warmup: { type: "string" },
  concurrency: { type: "string" },
  only: { type: "string" },
} as const;

function parseOptions(values: { [K in keyof typeof benchOptions]?: string }): Options {
  const argv = process.argv.slice(2).filter((arg) => arg !== "--");
  const count = (name: keyof CallSettings, min: number): number => {
    const raw = values[name] ?? process.env[`BENCH_${name.toUpperCase()}`];
    if (raw === undefined || raw === "") return defaults[name];
    const value = Number(raw);
    if (!Number.isInteger(value) || value < min)
      throw new UsageError(`--${name} must be a whole number of at least ${min}; got ${JSON.stringify(raw)}`);
    return value;
  };
  if (values.only !== undefined && !["calls", "sizes", "sandbox", "limits"].includes(values.only)) {
    throw new UsageError(`--only must be calls, sizes, sandbox or limits; got ${JSON.stringify(values.only)}`);
  }
  return {
    calls: count("calls", 1),
    rounds: count("rounds", 1),
    warmup: count("warmup", 0),
    concurrency: count("concurrency", 2),
    runCalls: values.only === undefined || values.only === "calls",
    runSizes: values.only === undefined || values.only === "sizes",
    runSandbox: values.only === undefined || values.only === "sandbox",
    runLimits: values.only === undefined || values.only === "limits",
    argv,
  };
}

/** The command as typed, so a pasted figure says how it was made. */
function commandLine(argv: string[]): string {
  const args = argv.map((arg) => (/^[\w@%+=:,./-]+$/.test(arg) ? arg : `'${arg.replaceAll("'", "'\\''")}'`)).join(" ");
  const viaPnpm = process.env.npm_lifecycle_event === "bench" && process.env.npm_config_user_agent?.startsWith("pnpm");
  const direct = `node ${[...process.execArgv, "scripts/bench.ts"].join(" ")}`;
  return viaPnpm
    ? `pnpm bench${args ? ` ${args}` : ""}   (= ${direct}${args ? ` ${args}` : ""})`
    : `${direct}${args ? ` ${args}` : ""}`;
}

function printHeader(options: Options): void {
  const cpuList = cpus();
  const openapiFetch = JSON.parse(readFileSync(join(root, "node_modules/openapi-fetch/package.json"), "utf8")) as {
    version: string;
  };
  console.log("cx-openapi bench");
  console.log(`  command:   ${commandLine(options.argv)}`);
  console.log(
    `  node:      ${process.version} (undici ${process.versions.undici}, V8 ${process.versions.v8}), ${platform()} ${arch()}`,
  );
  console.log(`  cpus:      ${cpuList.length} × ${cpuList[0]?.model.trim() ?? "unknown"}`);
  console.log(
    `  load:      ${loadavg()
      .map((n) => n.toFixed(2))
      .join(" ")} (1, 5, 15 min) at start`,
  );
  if (loadavg()[0]! > cpuList.length) {
    console.log(
      `  ! the machine is busy (load ${loadavg()[0]!.toFixed(1)} on ${cpuList.length} cores): wall-clock figures will be noisy; the CPU table holds up better.`,
    );
  }
  console.log(`  versions:  openapi-fetch ${openapiFetch.version}, esbuild ${esbuildVersion}`);
  if (options.runCalls) {
    console.log(
      `  calls:     ${options.rounds} rounds × ${options.calls.toLocaleString("en-US")} calls per contender, sequential and ${options.concurrency} concurrent, ` +
        `after ${options.warmup.toLocaleString("en-US")} warm-up calls each`,
    );
  }
}

// ─── Per-call time ────────────────────────────────────────────────────────────────────────────

const verdict = (ok: boolean) => (ok ? "PASS" : "MISS");
const times = (ratio: number) => `${ratio.toFixed(2)}×`;

/** Per round, contender µs ÷ raw fetch µs of the same round. */
function roundRatios(perRound: Map<string, number[]>, name: string, against = "raw fetch"): number[] {
  const baseline = perRound.get(against)!;
  return perRound.get(name)!.map((us, i) => us / baseline[i]!);
}

/** One row per contender: median µs/call and median ratio to raw fetch, for each mode. */
function timeRows(names: string[], modes: Map<string, number[]>[]): string[][] {
  return names.map((name) => [
    name,
    ...modes.flatMap((perRound) => [
      median(perRound.get(name)!).toFixed(0),
      times(median(roundRatios(perRound, name))),
    ]),
  ]);
}

async function callsSection(options: Options): Promise<void> {
  const relay = await builtRelayClient(root);
  const server = await startServer(root);
  try {
    const list = contenders(server.baseUrl, relay);
    console.log(
      `\n## Per-call time: GET /cdm/client/{client_id}/customer/{ccid} on ${server.baseUrl} (node:http in a child process)\n`,
    );
    const started = performance.now();
    console.log("sequential:");
    const sequential = await measureMode(list, options, 1, console.log);
    console.log(`${options.concurrency} concurrent:`);
    const concurrent = await measureMode(list, options, options.concurrency, console.log);
    console.log(
      `(measured in ${((performance.now() - started) / 1000).toFixed(0)} s; load at the end ${loadavg()
        .map((n) => n.toFixed(2))
        .join(" ")})\n`,
    );

    const names = list.map((contender) => contender.name);
    const header = [
      "contender",
      "µs/call sequential",
      "× raw fetch",
      `µs/call ${options.concurrency} concurrent`,
      "× raw fetch",
    ];
    printTable(header, timeRows(names, [sequential.rounds, concurrent.rounds]), [false, true, true, true, true]);
    console.log(
      `\nµs/call: wall clock, median of the ${options.rounds} rounds. × raw fetch: median over the rounds of (contender ÷ raw fetch in the same round).`,
    );
    console.log(
      "\nThe same calls in CPU time of the client process (user + system; the server's process not included).",
    );
    console.log("Other processes' load moves it far less than the wall clock: it is the clients' own cost.\n");
    const cpuHeader = [
      "contender",
      "CPU µs/call sequential",
      "× raw fetch",
      `CPU µs/call ${options.concurrency} concurrent`,
      "× raw fetch",
    ];
    printTable(cpuHeader, timeRows(names, [sequential.cpu, concurrent.cpu]), [false, true, true, true, true]);

    console.log("\nTargets for createRelayCdmClient (information only):");
    for (const [mode, result, target] of [
      ["sequential", sequential, targets.sequential],
      [`${options.concurrency} concurrent`, concurrent, targets.concurrent],
    ] as const) {
      const ratios = roundRatios(result.rounds, "createRelayCdmClient", "openapi-fetch");
      const ratio = median(ratios);
      const spread = `rounds ${times(Math.min(...ratios))}–${times(Math.max(...ratios))}`;
      const baseline = result.rounds.get("openapi-fetch")!;
      const extraUs = median(result.rounds.get("createRelayCdmClient")!.map((us, i) => us - baseline[i]!));
      const cpuRatio = median(roundRatios(result.cpu, "createRelayCdmClient", "openapi-fetch"));
      console.log(
        `  ${verdict(ratio <= target)}  ${mode.padEnd(13)} ${times(ratio)} bare openapi-fetch, target ≤ ${times(target)}` +
          `  (${spread}; ${extraUs >= 0 ? "+" : ""}${extraUs.toFixed(0)} µs/call; CPU ${times(cpuRatio)})`,
      );
    }
  } finally {
    await server.stop();
  }
}

// ─── Sandbox ──────────────────────────────────────────────────────────────────────────────────

async function sandboxSection(): Promise<void> {
  console.log("\n## Stateful sandbox (Relay CDM), autocannon on 127.0.0.1, 10 connections, 3 s per run\n");
  const rows = await measureSandbox({ seconds: 3, connections: 10 }, console.log);
  console.log("");
  printTable(
    ["server", "call", "requests/s", "p99 ms", "non-2xx"],
    rows.map((r) => [r.server, r.call, r.requestsPerSecond.toFixed(0), r.p99Ms.toFixed(1), String(r.non2xx)]),
    [false, false, true, true, true],
  );
  console.log("\nautocannon runs in this process, beside the servers: every figure shares the same cores.");
}

/** Longest event-loop block a request may cause with the default limits. */
const blockTargetMs = 50;

async function limitsSection(): Promise<void> {
  console.log(
    "\n## Sandbox limits: the worst bodies within the defaults (1 MiB, 64 levels, 20 violations), 5 runs each\n",
  );
  const rows = await measureLimits(5);
  printTable(
    ["input", "bytes", "status", "event loop held, ms", "unrelated call, ms", `≤ ${blockTargetMs} ms`],
    rows.map((r) => [
      r.input,
      r.bytes.toLocaleString("en-US"),
      String(r.status),
      r.blockedMs.toFixed(1),
      r.unrelatedMs.toFixed(1),
      verdict(r.blockedMs <= blockTargetMs),
    ]),
    [false, true, true, true, true, false],
  );
  console.log("\nMedians of the runs; the sandbox runs in this process, so its blocking is what is measured.");
}

// ─── Bundle sizes ─────────────────────────────────────────────────────────────────────────────

/** Prints the sizes; returns false when a bundle pulls in a Node built-in (or fails to build). */
async function sizesSection(): Promise<boolean> {
  console.log("\n## Browser bundle sizes (esbuild: bundle, minify, format esm, platform browser; gzip level 9)\n");
  const { rows, builtins, untemplated } = await measureSizes(root);
  const budget = (row: SizeRow) =>
    row.gzip === undefined
      ? "✖ no bundle (see below)"
      : row.budget === undefined
        ? "–"
        : `${verdict(row.gzip <= row.budget)} ≤ ${row.budget.toLocaleString("en-US")} B`;
  const bytes = (value: number | undefined) => value?.toLocaleString("en-US") ?? "–";
  const change = (row: SizeRow) =>
    row.before === undefined || row.gzip === undefined
      ? "–"
      : `${row.gzip > row.before ? "+" : ""}${(row.gzip - row.before).toLocaleString("en-US")} B (${times(row.gzip / row.before)})`;
  printTable(
    ["bundle", "minified B", "gzip B before (issue 14)", "gzip B now", "change", "gzip budget"],
    rows.map((row) => [row.label, bytes(row.minified), bytes(row.before), bytes(row.gzip), change(row), budget(row)]),
    [false, true, true, true, true, false],
  );
  const built = rows.filter((row) => row.budget !== undefined && row.gzip !== undefined);
  if (built.length > 0) console.log("\nLargest parts of each runtime + client bundle (minified bytes, before gzip):");
  for (const row of built) {
    const top = row.parts.slice(0, 6).map(([name, bytes]) => `${name} ${bytes.toLocaleString("en-US")}`);
    console.log(`  ${row.pkg}: ${top.join(", ")}`);
  }
  for (const name of untemplated) {
    console.log(
      `\n! ${name}: no typical-use entry in scripts/bench/sizes.ts, so only its export * bundle is measured.`,
    );
  }
  if (builtins.length === 0) return true;
  console.error("\n✖ Browser bundles that pull in Node built-ins (or fail to build):");
  for (const found of builtins) console.error(`  ${found.bundle}: ${found.builtin} ← ${found.importer}`);
  return false;
}

function printTable(header: string[], rows: string[][], rightAligned: boolean[]): void {
  const widths = header.map((cell, i) => Math.max(cell.length, ...rows.map((row) => row[i]!.length)));
  const line = (cells: string[]) =>
    `| ${cells.map((cell, i) => (rightAligned[i] ? cell.padStart(widths[i]!) : cell.padEnd(widths[i]!))).join(" | ")} |`;
  console.log(line(header));
  console.log(
    `|${widths.map((width, i) => (rightAligned[i] ? `${"-".repeat(width + 1)}:` : `${"-".repeat(width + 2)}`)).join("|")}|`,
  );
  for (const row of rows) console.log(line(row));
}

cli(import.meta.url, {
  // The usage is this file's header comment.
  usage: readFileSync(import.meta.filename, "utf8")
    .split("\nimport ")[0]!
    .replace(/^\/\/ ?/gm, ""),
  options: benchOptions,
  async run(values) {
    const options = parseOptions(values);
    printHeader(options);
    const bundlesOk = options.runSizes ? await sizesSection() : true;
    if (options.runCalls) await callsSection(options);
    if (options.runSandbox) await sandboxSection();
    if (options.runLimits) await limitsSection();
    if (!bundlesOk) throw new Error("a browser bundle pulls in a Node built-in or does not build (listed above)");
    // Idle keep-alive sockets of fetch's pool must not hold the process open now the server is gone.
    process.exit(0);
  },
});
