// The tiers of `pnpm test`, with the wall-clock and CPU time of each. The default run: unit, then
// contract and e2e in one vitest run with the static checks beside it (see `together`):
//   static     bundles (once), Redocly + Spectral + Biome + structure, gen --check, tsc, and vitest
//              project "static": the tests of those checks, the READMEs' TypeScript, the API reports
//                                                                              (pnpm lint, gen:check, typecheck)
//   unit       vitest project "unit": no Prism, no browser                      (pnpm test:unit)
//   contract   vitest project "contract": the clients against Prism             (pnpm test:contract)
//   e2e        vitest project "e2e": commands, browser, Prism                   (pnpm test:e2e)
//   pack       only when named: vitest project "pack", the packed packages in a fresh npm project
//   matrix     only when named (pnpm test:matrix, CI): the unit tier isolated and in a shuffled
//              order, and the pack tier on Node 20, 22 and 24
import { readFileSync } from "node:fs";
import { loadavg } from "node:os";
import { join } from "node:path";
import { repoRoot } from "./apis.js";
import { ensureBundles } from "./bundle.js";
import { lintCode, lintSpecs } from "./lint-steps.js";
import { bin, run, runSync, tsc, type RunResult } from "./process.js";

export const tiers = ["static", "unit", "contract", "e2e", "pack", "matrix"] as const;
export type Tier = (typeof tiers)[number];

/** CPU seconds of this process and of every child it has waited for (Linux: /proc/self/stat). */
function cpuSeconds(): number | undefined {
  try {
    // Fields after the command name: utime, stime, cutime, cstime are the 12th to 15th, in ticks.
    const fields = readFileSync("/proc/self/stat", "utf8").split(") ")[1]!.split(" ");
    return fields.slice(11, 15).reduce((sum, ticks) => sum + Number(ticks), 0) / 100;
  } catch {
    return undefined;
  }
}

/**
 * tsc's incremental state between runs (TypeScript's own cache, keyed by file contents): a run
 * re-checks what changed and what depends on it. A fresh clone has none and checks everything.
 */
const tscBuildInfo = join(repoRoot, "node_modules/.cache/cx-openapi/tsc-native.tsbuildinfo");

/** Prints a check that ran beside the others, and fails the tier when it failed. */
function report(name: string, outcome: RunResult): void {
  process.stdout.write(outcome.output);
  if (outcome.code !== 0) throw new Error(`${name} failed`);
}

async function staticChecks(): Promise<void> {
  // tsc and the structure checks run beside the other checks, from the start: they need nothing
  // from them (not even the bundles: the generated code tsc checks is committed), and the machine's
  // second core would otherwise wait while Redocly, Spectral and Biome run one after the other.
  const typecheck = run(tsc.check(), ["-p", ".", "--incremental", "--tsBuildInfoFile", tscBuildInfo]);
  const structure = run(process.execPath, ["--import", "tsx", "scripts/lint.ts", "--structure"]);
  console.log("▶ Bundle (only what changed)");
  ensureBundles();
  // The tests of these checks and of what the editor shows (vitest project "static"), beside them.
  const tests = run(bin("vitest"), ["run", "--project", "static"]);
  lintSpecs();
  await lintCode({ structure: false });
  console.log("▶ Generated code (gen --check)");
  // Loaded here, once tsc and the structure checks run: openapi-typescript brings the TypeScript
  // compiler (a second of start-up), which the other tiers do not need.
  const { generateAll } = await import("./generate.js");
  await generateAll({ check: true });
  report("the structure checks", await structure);
  console.log("▶ TypeScript (tsc -p .)");
  report("tsc (type errors)", await typecheck);
  console.log("▶ Tests of the checks (vitest project static)");
  report("the tests of the checks", await tests);
}

function vitest(project: string, args: string[] = [], env: Record<string, string> = {}): void {
  const outcome = runSync(bin("vitest"), ["run", "--project", project, ...args], { inherit: true, env });
  if (outcome.code !== 0) throw new Error(`vitest project ${project} failed`);
}

/** Several projects in one vitest run, without blocking this process (a tier may run beside it). */
async function vitestAsync(projects: string[]): Promise<void> {
  const outcome = await run(bin("vitest"), ["run", ...projects.flatMap((name) => ["--project", name])], {
    inherit: true,
  });
  if (outcome.code !== 0) throw new Error(`vitest projects ${projects.join(" and ")} failed`);
}

/** The property tests' runs in the matrix: four times `pnpm test`'s, where speed matters less than depth. */
const matrixPropertyRuns = { SANDBOX_PROPERTY_RUNS: "200", CX_PROPERTY_RUNS: "50" };

/**
 * The unit tier as CI's matrix runs it: each file in a fresh module graph (the default run shares
 * one per worker, which is faster) and files and tests in a random order, so a test that depends on
 * another's leftovers fails here; and the property tests with more runs. The seed is printed;
 * CX_TEST_SEED=<seed> replays an order.
 */
function shuffledUnit(): void {
  const seed = Number(process.env.CX_TEST_SEED) || Math.floor(Math.random() * 2 ** 31);
  console.log(`▶ unit, isolated, shuffled with seed ${seed} (replay: CX_TEST_SEED=${seed} pnpm test:matrix)`);
  vitest("unit", ["--isolate", "--sequence.shuffle", `--sequence.seed=${seed}`], matrixPropertyRuns);
}

/** Both parts of the matrix, the second even when the first failed. */
function matrix(): void {
  const failures: string[] = [];
  for (const part of [shuffledUnit, () => vitest("pack", [], { CX_CONSUMER_NODES: "20,22,24" })]) {
    try {
      part();
    } catch (error) {
      failures.push(error instanceof Error ? error.message : String(error));
    }
  }
  if (failures.length) throw new Error(failures.join("; "));
}

const steps: Record<Tier, () => Promise<void> | void> = {
  static: staticChecks,
  unit: () => vitest("unit"),
  contract: () => vitest("contract"),
  e2e: () => vitest("e2e"),
  pack: () => vitest("pack"),
  matrix,
};

/**
 * Tiers that run side by side when all are asked for (the default run): the contract and e2e
 * projects in one vitest run, whose workers fill each other's waits (the e2e files wait on their
 * child processes, the contract files on Prism), and the static checks beside it, as a child
 * process whose output is printed when it ends: they need one core for about a quarter of that
 * run, which the waits leave idle. The unit tier runs first, so the bundles are fresh before the
 * static checks read them.
 */
const together: readonly Tier[] = ["contract", "e2e"];
const alongside: Tier = "static";

/** One step of a run: tiers in one vitest run, or one tier, and maybe a tier run beside them. */
interface Step {
  tiers: Tier[];
  beside?: Tier;
}

/** The selected tiers as steps, in turn; see `together` and `alongside`. */
function plan(selected: readonly Tier[]): Step[] {
  const joined = together.every((tier) => selected.includes(tier));
  const beside = joined && selected.includes(alongside) ? alongside : undefined;
  const steps: Step[] = [];
  for (const tier of selected) {
    if (tier === beside) continue;
    if (!joined || !together.includes(tier)) steps.push({ tiers: [tier] });
    else if (tier === together[0]) steps.push({ tiers: [...together], ...(beside ? { beside } : {}) });
  }
  return steps;
}

/** A tier in a child process (`pnpm test <tier>`), its output held until it ends. */
async function besideRun(tier: Tier): Promise<void> {
  const outcome = await run(process.execPath, ["--import", "tsx", "scripts/test.ts", tier]);
  console.log(`\n━━ ${tier} (ran beside the tiers above) ━━\n${outcome.output.trimEnd()}`);
  if (outcome.code !== 0) throw new Error(`${tier} failed`);
}

/** The step's tiers, and the one beside them, both to the end; the first failure is thrown. */
async function runStep({ tiers, beside }: Step): Promise<void> {
  const main = tiers.length === 1 ? Promise.resolve().then(() => steps[tiers[0]!]()) : vitestAsync(tiers);
  const results = await Promise.allSettled([main, beside ? besideRun(beside) : undefined]);
  const failed = results.filter((r): r is PromiseRejectedResult => r.status === "rejected");
  if (failed.length) throw new Error(failed.map((r) => (r.reason as Error).message).join("; "));
}

interface TierRun {
  tier: string;
  wall: number;
  cpu: number | undefined;
  ok: boolean;
}

const seconds = (value: number | undefined) => (value === undefined ? "n/a" : `${value.toFixed(1)} s`);
const load = () =>
  loadavg()
    .map((n) => n.toFixed(2))
    .join(" ");

/** Runs one tier; its failure is printed and recorded, not thrown, so the next tiers still run. */
async function runTier(step: Step): Promise<TierRun> {
  const tier = step.tiers.join(" + ") + (step.beside ? ` ∥ ${step.beside}` : "");
  console.log(`\n━━ ${tier} ━━`);
  const started = performance.now();
  const cpuBefore = cpuSeconds();
  let ok = true;
  try {
    await runStep(step);
  } catch (error) {
    ok = false;
    console.error(`\n✖ ${tier}: ${error instanceof Error ? error.message : String(error)}`);
  }
  const cpuAfter = cpuSeconds();
  const wall = (performance.now() - started) / 1000;
  const cpu = cpuBefore === undefined || cpuAfter === undefined ? undefined : cpuAfter - cpuBefore;
  console.log(`━━ ${tier}: ${ok ? "passed" : "FAILED"} in ${seconds(wall)} (CPU ${seconds(cpu)})`);
  return { tier, wall, cpu, ok };
}

function printTable(rows: TierRun[]): void {
  const total = rows.reduce((sum, row) => ({ wall: sum.wall + row.wall, cpu: sum.cpu + (row.cpu ?? 0) }), {
    wall: 0,
    cpu: 0,
  });
  console.log(`\ntier                      result   wall      CPU (user+sys)`);
  for (const row of rows)
    console.log(
      `${row.tier.padEnd(24)}  ${(row.ok ? "ok" : "FAILED").padEnd(7)}  ${seconds(row.wall).padStart(7)}   ${seconds(row.cpu).padStart(7)}`,
    );
  console.log(
    `${"total".padEnd(24)}  ${"".padEnd(7)}  ${seconds(total.wall).padStart(7)}   ${seconds(total.cpu).padStart(7)}   (load at the end ${load()})`,
  );
}

/** Runs the tiers in turn, prints the table of their times, and fails when any failed. */
export async function runTiers(selected: readonly Tier[]): Promise<void> {
  console.log(`pnpm test: ${selected.join(", ")} (load ${load()})`);
  const rows: TierRun[] = [];
  for (const step of plan(selected)) rows.push(await runTier(step));
  printTable(rows);
  const failed = rows.filter((row) => !row.ok);
  if (failed.length) throw new Error(`failed: ${failed.map((row) => row.tier).join(", ")}`);
}
