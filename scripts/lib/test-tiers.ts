// The tiers of `pnpm test`, run in turn, with the wall-clock and CPU time of each:
//   static     bundles (once), Redocly + Spectral + Biome + structure, gen --check, tsc
//                                                                              (pnpm lint, gen:check, typecheck)
//   unit       vitest project "unit": no Prism, no browser                      (pnpm test:unit)
//   contract   vitest project "contract": the clients against Prism             (pnpm test:contract)
//   e2e        vitest project "e2e": commands, browser, packed packages          (pnpm test:e2e)
//   matrix     only when named (pnpm test:matrix): the unit tier isolated and in a shuffled order,
//              and the packed packages on Node 20, 22 and 24
import { readFileSync } from "node:fs";
import { loadavg } from "node:os";
import { join } from "node:path";
import { repoRoot } from "./apis.js";
import { ensureBundles } from "./bundle.js";
import { lintCode, lintSpecs } from "./lint-steps.js";
import { bin, run, runSync, type RunResult } from "./process.js";

export const tiers = ["static", "unit", "contract", "e2e", "matrix"] as const;
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
const tscBuildInfo = join(repoRoot, "node_modules/.cache/cx-openapi/tsc.tsbuildinfo");

/** Prints a check that ran beside the others, and fails the tier when it failed. */
function report(name: string, outcome: RunResult): void {
  process.stdout.write(outcome.output);
  if (outcome.code !== 0) throw new Error(`${name} failed`);
}

async function staticChecks(): Promise<void> {
  // tsc and the structure checks run beside the other checks, from the start: they need nothing
  // from them (not even the bundles: the generated code tsc checks is committed), and the machine's
  // second core would otherwise wait while Redocly, Spectral and Biome run one after the other.
  const typecheck = run(bin("tsc"), ["-p", ".", "--incremental", "--tsBuildInfoFile", tscBuildInfo]);
  const structure = run(process.execPath, ["--import", "tsx", "scripts/lint.ts", "--structure"]);
  console.log("▶ Bundle (only what changed)");
  ensureBundles();
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
}

function vitest(project: string, args: string[] = [], env: Record<string, string> = {}): void {
  const outcome = runSync(bin("vitest"), ["run", "--project", project, ...args], { inherit: true, env });
  if (outcome.code !== 0) throw new Error(`vitest project ${project} failed`);
}

/**
 * The unit tier as CI's matrix runs it: each file in a fresh module graph (the default run shares
 * one per worker, which is faster) and files and tests in a random order, so a test that depends on
 * another's leftovers fails here. The seed is printed; CX_TEST_SEED=<seed> replays an order.
 */
function shuffledUnit(): void {
  const seed = Number(process.env.CX_TEST_SEED) || Math.floor(Math.random() * 2 ** 31);
  console.log(`▶ unit, isolated, shuffled with seed ${seed} (replay: CX_TEST_SEED=${seed} pnpm test:matrix)`);
  vitest("unit", ["--isolate", "--sequence.shuffle", `--sequence.seed=${seed}`]);
}

/** Both parts of the matrix, the second even when the first failed. */
function matrix(): void {
  const failures: string[] = [];
  for (const part of [
    shuffledUnit,
    () => vitest("e2e", ["scripts/test/e2e/consumer.test.ts"], { CX_CONSUMER_NODES: "20,22,24" }),
  ]) {
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
  matrix,
};

interface TierRun {
  tier: Tier;
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
async function runTier(tier: Tier): Promise<TierRun> {
  console.log(`\n━━ ${tier} ━━`);
  const started = performance.now();
  const cpuBefore = cpuSeconds();
  let ok = true;
  try {
    await steps[tier]();
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
  console.log(`\ntier        result   wall      CPU (user+sys)`);
  for (const row of rows)
    console.log(
      `${row.tier.padEnd(10)}  ${(row.ok ? "ok" : "FAILED").padEnd(7)}  ${seconds(row.wall).padStart(7)}   ${seconds(row.cpu).padStart(7)}`,
    );
  console.log(
    `${"total".padEnd(10)}  ${"".padEnd(7)}  ${seconds(total.wall).padStart(7)}   ${seconds(total.cpu).padStart(7)}   (load at the end ${load()})`,
  );
}

/** Runs the tiers in turn, prints the table of their times, and fails when any failed. */
export async function runTiers(selected: readonly Tier[]): Promise<void> {
  console.log(`pnpm test: ${selected.join(", ")} (load ${load()})`);
  const rows: TierRun[] = [];
  for (const tier of selected) rows.push(await runTier(tier));
  printTable(rows);
  const failed = rows.filter((row) => !row.ok);
  if (failed.length) throw new Error(`failed: ${failed.map((row) => row.tier).join(", ")}`);
}
