// The tiers of `pnpm test`, run in turn, with the wall-clock and CPU time of each:
//   static     bundles (once), Redocly + Spectral + Biome, gen --check, tsc     (pnpm lint, gen:check, typecheck)
//   unit       vitest project "unit": no Prism, no browser                      (pnpm test:unit)
//   contract   vitest project "contract": the clients against Prism             (pnpm test:contract)
//   e2e        vitest project "e2e": commands, browser, packed packages          (pnpm test:e2e)
//   matrix     the packed packages on Node 22 and 24 too; only when named        (pnpm test:matrix)
import { readFileSync } from "node:fs";
import { loadavg } from "node:os";
import { ensureBundles } from "./bundle.js";
import { generateAll } from "./generate.js";
import { lintCode, lintSpecs } from "./lint-steps.js";
import { bin, run, runSync } from "./process.js";

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

async function staticChecks(): Promise<void> {
  // tsc runs beside the other checks, from the start: it is the longest, and needs nothing from them
  // (not even the bundles: the generated code it checks is committed).
  const typecheck = run(bin("tsc"), ["-p", "."]);
  console.log("▶ Bundle (only what changed)");
  ensureBundles();
  lintSpecs();
  lintCode();
  console.log("▶ Generated code (gen --check)");
  await generateAll({ check: true });
  console.log("▶ TypeScript (tsc -p .)");
  const tsc = await typecheck;
  process.stdout.write(tsc.output);
  if (tsc.code !== 0) throw new Error("tsc found type errors");
}

function vitest(project: string, files: string[] = [], env: Record<string, string> = {}): void {
  const outcome = runSync(bin("vitest"), ["run", "--project", project, ...files], { inherit: true, env });
  if (outcome.code !== 0) throw new Error(`vitest project ${project} failed`);
}

const steps: Record<Tier, () => Promise<void> | void> = {
  static: staticChecks,
  unit: () => vitest("unit"),
  contract: () => vitest("contract"),
  e2e: () => vitest("e2e"),
  matrix: () => vitest("e2e", ["scripts/test/e2e/consumer.test.ts"], { CX_CONSUMER_NODES: "20,22,24" }),
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
