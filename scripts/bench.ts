// pnpm bench: what our clients and the sandbox cost. Informational: it never fails on a timing.
//
//   pnpm bench [--calls N] [--rounds R] [--warmup W] [--concurrency C] [--only calls|sizes|drift|sandbox|limits]
//              [--check] [--write-docs]
//
// 1. Per-call time of raw fetch, bare openapi-fetch and createRelayCdmClient (compiled as its package
//    ships it) doing the same GET against a node:http server in a child process on 127.0.0.1,
//    sequential and C (16) at a time.
//    The contenders take turns in R rounds (9) of N calls (4,000) each; the figure is the median round.
//    Short rounds and many of them: a burst of other work spoils a round or two, not the median.
// 2. Browser bundle sizes (esbuild, minified ESM, gzip -9) of each publishable package, and each
//    client bundle against its gzip budget (scripts/bench/sizes.ts).
// 3. Drift reports: the Relay client's per-call time without its drift reporter, sampling 10% of the
//    responses and checking every one, in process against a fetch stub (scripts/bench/drift.ts).
// 4. The stateful sandbox: requests/s and p99 for a read and a write, direct and behind the Prism
//    gate, beside Prism's static mock (autocannon, 10 connections, 3 s per run).
// 5. The sandbox's limits: how long the worst bodies within them hold its event loop (target 50 ms).
//
// It exits 1 only when something crashes, a browser bundle pulls in a Node built-in, or, with
// --check, a client bundle is over its gzip budget (CI runs `pnpm bench --only sizes --check`).
// --write-docs rewrites the tables of the sections it ran in docs/performance.md, each stamped
// with the date, Node, CPU and load of this run.
// Environment: BENCH_CALLS, BENCH_ROUNDS, BENCH_WARMUP, BENCH_CONCURRENCY set the same defaults.
import { cpus, loadavg, platform, arch } from "node:os";
import { readFileSync } from "node:fs";
import { join, resolve } from "node:path";
import { version as esbuildVersion } from "esbuild";
import {
  builtRelayClient,
  contenders,
  measureMode,
  median,
  startServer,
  type CallSettings,
  type ModeResult,
} from "./bench/calls.js";
import { builtRelayDrift, driftContenders } from "./bench/drift.js";
import { measureLimits } from "./bench/limits.js";
import { formatTable, loadText, stamp, writeDocSections, type Table } from "./bench/report.js";
import { measureSandbox } from "./bench/sandbox.js";
import { measureSizes, type SizeRow } from "./bench/sizes.js";
import { cli, UsageError } from "./lib/cli.js";

const root = resolve(import.meta.dirname, "..");
const performanceDoc = join(root, "docs/performance.md");

/** Per-call targets for createRelayCdmClient, as a multiple of bare openapi-fetch in the same rounds. */
const targets = { sequential: 1.05, concurrent: 1.05 };

const defaults: CallSettings = { calls: 4_000, rounds: 9, warmup: 1_000, concurrency: 16 };

/** The sections in the order they run: sizes first, as it is quick and its failures print before minutes of timing. */
const sections = ["sizes", "calls", "drift", "sandbox", "limits"] as const;
type SectionName = (typeof sections)[number];

interface Options extends CallSettings {
  run: Record<SectionName, boolean>;
  check: boolean;
  writeDocs: boolean;
  argv: string[];
}

const benchOptions = {
  calls: { type: "string" },
  rounds: { type: "string" },
  warmup: { type: "string" },
  concurrency: { type: "string" },
  only: { type: "string" },
  check: { type: "boolean" },
  "write-docs": { type: "boolean" },
} as const;

type Values = {
  [K in keyof typeof benchOptions]?: (typeof benchOptions)[K]["type"] extends "boolean" ? boolean : string;
};

function parseOptions(values: Values): Options {
  const argv = process.argv.slice(2).filter((arg) => arg !== "--");
  const count = (name: keyof CallSettings, min: number): number => {
    const raw = values[name] ?? process.env[`BENCH_${name.toUpperCase()}`];
    if (raw === undefined || raw === "") return defaults[name];
    const value = Number(raw);
    if (!Number.isInteger(value) || value < min)
      throw new UsageError(`--${name} must be a whole number of at least ${min}; got ${JSON.stringify(raw)}`);
    return value;
  };
  const only = values.only;
  if (only !== undefined && !(sections as readonly string[]).includes(only)) {
    throw new UsageError(`--only must be ${sections.join(", ")}; got ${JSON.stringify(only)}`);
  }
  return {
    calls: count("calls", 1),
    rounds: count("rounds", 1),
    warmup: count("warmup", 0),
    concurrency: count("concurrency", 2),
    run: Object.fromEntries(sections.map((name) => [name, only === undefined || only === name])) as Options["run"],
    check: values.check === true,
    writeDocs: values["write-docs"] === true,
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
  console.log(`  load:      ${loadText()} (1, 5, 15 min) at start`);
  if (loadavg()[0]! > cpuList.length) {
    console.log(
      `  ! the machine is busy (load ${loadavg()[0]!.toFixed(1)} on ${cpuList.length} cores): wall-clock figures will be noisy; the CPU table holds up better.`,
    );
  }
  console.log(`  versions:  openapi-fetch ${openapiFetch.version}, esbuild ${esbuildVersion}`);
  if (options.run.calls) {
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
function timeTable(names: string[], modes: Map<string, number[]>[], unit: string, concurrency: number): Table {
  return {
    header: ["contender", `${unit} sequential`, "× raw fetch", `${unit} ${concurrency} concurrent`, "× raw fetch"],
    rows: names.map((name) => [
      name,
      ...modes.flatMap((perRound) => [
        median(perRound.get(name)!).toFixed(0),
        times(median(roundRatios(perRound, name))),
      ]),
    ]),
    right: [false, true, true, true, true],
  };
}

/** createRelayCdmClient ÷ bare openapi-fetch per mode, wall and CPU, against the targets. */
function targetTable(modes: [string, ModeResult, number][]): Table {
  return {
    header: ["mode", "÷ openapi-fetch, wall", "rounds", "µs/call added", "÷ openapi-fetch, CPU", "target"],
    rows: modes.map(([mode, result, target]) => {
      const ratios = roundRatios(result.rounds, "createRelayCdmClient", "openapi-fetch");
      const ratio = median(ratios);
      const baseline = result.rounds.get("openapi-fetch")!;
      const extraUs = median(result.rounds.get("createRelayCdmClient")!.map((us, i) => us - baseline[i]!));
      return [
        mode,
        times(ratio),
        `${times(Math.min(...ratios))}–${times(Math.max(...ratios))}`,
        `${extraUs >= 0 ? "+" : ""}${extraUs.toFixed(0)}`,
        times(median(roundRatios(result.cpu, "createRelayCdmClient", "openapi-fetch"))),
        `${verdict(ratio <= target)} ≤ ${times(target)}`,
      ];
    }),
    right: [false, true, true, true, true, false],
  };
}

async function measureCalls(
  options: Options,
): Promise<{ sequential: ModeResult; concurrent: ModeResult; names: string[] }> {
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
      `(measured in ${((performance.now() - started) / 1000).toFixed(0)} s; load at the end ${loadText()})\n`,
    );
    return { sequential, concurrent, names: list.map((contender) => contender.name) };
  } finally {
    await server.stop();
  }
}

/** Measures and prints the per-call section; returns its tables for the doc. */
async function callsSection(options: Options): Promise<string> {
  const { sequential, concurrent, names } = await measureCalls(options);
  const c = options.concurrency;
  const wall = formatTable(timeTable(names, [sequential.rounds, concurrent.rounds], "µs/call", c));
  const cpu = formatTable(timeTable(names, [sequential.cpu, concurrent.cpu], "CPU µs/call", c));
  const ratios = formatTable(
    targetTable([
      ["sequential", sequential, targets.sequential],
      [`${c} concurrent`, concurrent, targets.concurrent],
    ]),
  );
  const settings = `${options.rounds} rounds × ${options.calls.toLocaleString("en-US")} calls per contender, after ${options.warmup.toLocaleString("en-US")} warm-up calls.`;
  console.log(
    `${wall}\n\nµs/call: wall clock, median of the ${options.rounds} rounds. × raw fetch: median over the rounds of (contender ÷ raw fetch in the same round).`,
  );
  console.log("\nThe same calls in CPU time of the client process (user + system; the server's process not included).");
  console.log("Other processes' load moves it far less than the wall clock: it is the clients' own cost.\n");
  console.log(cpu);
  console.log(`\ncreateRelayCdmClient ÷ bare openapi-fetch, against the targets (information only):\n\n${ratios}`);
  return [
    `${settings}\n\ncreateRelayCdmClient ÷ bare openapi-fetch in the same rounds:`,
    ratios,
    "Wall clock per call (median round) and its ratio to raw fetch:",
    wall,
    "CPU time of the client process per call:",
    cpu,
  ].join("\n\n");
}

// ─── Drift reports ────────────────────────────────────────────────────────────────────────────

/** Per contender: median µs and CPU µs per call, and what drift adds to the client alone, per round. */
function driftTable(names: string[], result: ModeResult): Table {
  const baseline = names[0]!;
  const perRound = (name: string) => result.rounds.get(name)!;
  const added = (name: string) => median(perRound(name).map((us, i) => us - perRound(baseline)[i]!));
  return {
    header: ["contender", "µs/call", "CPU µs/call", "µs/call added", "× no drift"],
    rows: names.map((name) => [
      name,
      median(result.rounds.get(name)!).toFixed(1),
      median(result.cpu.get(name)!).toFixed(1),
      name === baseline ? "–" : `+${added(name).toFixed(1)}`,
      times(median(roundRatios(result.rounds, name, baseline))),
    ]),
    right: [false, true, true, true, true],
  };
}

async function driftSection(options: Options): Promise<string> {
  const [relay, drift] = await Promise.all([builtRelayClient(root), builtRelayDrift(root)]);
  const list = driftContenders(relay, drift);
  const title = "GET customer in process, a fetch stub answering 1 KB of JSON that follows the spec";
  console.log(`\n## Drift reports (@cx-openapi/relay-cdm/drift): ${title}\n`);
  const result = await measureMode(list, options, 1, console.log);
  const table = formatTable(
    driftTable(
      list.map((contender) => contender.name),
      result,
    ),
  );
  const settings = `${options.rounds} rounds × ${options.calls.toLocaleString("en-US")} sequential calls per contender, after ${options.warmup.toLocaleString("en-US")} warm-up calls; medians of the rounds.`;
  console.log(`\n${table}\n\n${settings}`);
  return `${title}. ${settings}\n\n${table}`;
}

// ─── Sandbox ──────────────────────────────────────────────────────────────────────────────────

async function sandboxSection(): Promise<string> {
  console.log("\n## Stateful sandbox (Relay CDM), autocannon on 127.0.0.1, 10 connections, 3 s per run\n");
  const rows = await measureSandbox({ seconds: 3, connections: 10 }, console.log);
  const table = formatTable({
    header: ["server", "call", "requests/s", "p99 ms", "non-2xx"],
    rows: rows.map((r) => [r.server, r.call, r.requestsPerSecond.toFixed(0), r.p99Ms.toFixed(1), String(r.non2xx)]),
    right: [false, false, true, true, true],
  });
  const note = "autocannon runs in the bench's process, beside the servers: every figure shares the same cores.";
  console.log(`\n${table}\n\n${note}`);
  return `Relay CDM, autocannon on 127.0.0.1, 10 connections, 3 s per run.\n\n${table}\n\n${note}`;
}

/** Longest event-loop block a request may cause with the default limits. */
const blockTargetMs = 50;

async function limitsSection(): Promise<string> {
  const title = "The worst bodies within the default limits (1 MiB, 64 levels, 20 violations), 5 runs each";
  console.log(`\n## Sandbox limits: ${title}\n`);
  const rows = await measureLimits(5);
  const table = formatTable({
    header: ["input", "bytes", "status", "event loop held, ms", "unrelated call, ms", `≤ ${blockTargetMs} ms`],
    rows: rows.map((r) => [
      r.input,
      r.bytes.toLocaleString("en-US"),
      String(r.status),
      r.blockedMs.toFixed(1),
      r.unrelatedMs.toFixed(1),
      verdict(r.blockedMs <= blockTargetMs),
    ]),
    right: [false, true, true, true, true, false],
  });
  const note = "Medians of the runs; the sandbox runs in the bench's process, so its blocking is what is measured.";
  console.log(`${table}\n\n${note}`);
  return `${title}.\n\n${table}\n\n${note}`;
}

// ─── Bundle sizes ─────────────────────────────────────────────────────────────────────────────

interface SizesOutcome {
  doc: string;
  /** One line per bundle that pulls in a Node built-in or does not build. */
  broken: string[];
  /** One line per client bundle over its gzip budget. */
  overBudget: string[];
}

const bytes = (value: number | undefined) => (value === undefined ? "–" : `${value.toLocaleString("en-US")}`);

function sizesTable(rows: SizeRow[]): Table {
  const budget = (row: SizeRow) =>
    row.gzip === undefined
      ? "✖ no bundle (see below)"
      : row.budget === undefined
        ? "–"
        : `${verdict(row.gzip <= row.budget)} ≤ ${bytes(row.budget)} B`;
  return {
    header: ["bundle", "minified B", "gzip B", "gzip budget"],
    rows: rows.map((row) => [row.label, bytes(row.minified), bytes(row.gzip), budget(row)]),
    right: [false, true, true, false],
  };
}

/** Measures and prints the bundle sizes; returns the doc's table and what is broken or over budget. */
async function sizesSection(): Promise<SizesOutcome> {
  const title = "esbuild: bundle, minify, format esm, platform browser; gzip level 9";
  console.log(`\n## Browser bundle sizes (${title})\n`);
  const { rows, builtins, untemplated } = await measureSizes(root);
  const table = formatTable(sizesTable(rows));
  console.log(table);
  const built = rows.filter((row) => row.budget !== undefined && row.gzip !== undefined);
  if (built.length > 0) console.log("\nLargest parts of each runtime + client bundle (minified bytes, before gzip):");
  for (const row of built) {
    const top = row.parts.slice(0, 6).map(([name, size]) => `${name} ${bytes(size)}`);
    console.log(`  ${row.pkg}: ${top.join(", ")}`);
  }
  for (const name of untemplated)
    console.log(
      `\n! ${name}: no typical-use entry in scripts/bench/sizes.ts, so only its export * bundle is measured.`,
    );
  const overBudget = built
    .filter((row) => row.gzip! > row.budget!)
    .map((row) => `${row.label}: ${bytes(row.gzip)} B gzip, over its budget of ${bytes(row.budget)} B`);
  return {
    doc: `${title}.\n\n${table}`,
    broken: builtins.map((found) => `${found.bundle}: ${found.builtin} ← ${found.importer}`),
    overBudget,
  };
}

/** The failures of the sizes section, printed; the error to throw, if any. */
function sizeFailures(outcome: SizesOutcome | undefined, check: boolean): string | undefined {
  if (!outcome) return undefined;
  const problems: string[] = [];
  if (outcome.broken.length > 0) {
    console.error("\n✖ Browser bundles that pull in Node built-ins (or fail to build):");
    for (const line of outcome.broken) console.error(`  ${line}`);
    problems.push("a browser bundle pulls in a Node built-in or does not build (listed above)");
  }
  if (outcome.overBudget.length > 0) {
    const where = "the budgets are gzipBudgets in scripts/bench/sizes.ts";
    console[check ? "error" : "log"](`\n${check ? "✖" : "!"} Over budget (${where}):`);
    for (const line of outcome.overBudget) console[check ? "error" : "log"](`  ${line}`);
    if (check) problems.push(`over budget: ${outcome.overBudget.join("; ")}`);
  }
  return problems.length > 0 ? problems.join("; ") : undefined;
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
    const docs = new Map<SectionName, string>();
    const measured: { sizes?: SizesOutcome } = {};
    const runners: Record<SectionName, () => Promise<string>> = {
      sizes: async () => {
        measured.sizes = await sizesSection();
        return measured.sizes.doc;
      },
      calls: () => callsSection(options),
      drift: () => driftSection(options),
      sandbox: sandboxSection,
      limits: limitsSection,
    };
    for (const name of sections) {
      if (!options.run[name]) continue;
      const before = loadText();
      const doc = await runners[name]();
      docs.set(name, `${stamp(before, loadText())}\n\n${doc}`);
    }
    const failure = sizeFailures(measured.sizes, options.check);
    if (options.writeDocs) {
      writeDocSections(performanceDoc, docs);
      console.log(`\nwrote the ${[...docs.keys()].join(", ")} tables of docs/performance.md`);
    }
    if (failure) throw new Error(failure);
    // Idle keep-alive sockets of fetch's pool must not hold the process open now the server is gone.
    process.exit(0);
  },
});
