// pnpm test: every tier in turn, with the wall-clock and CPU time of each (scripts/lib/test-tiers.ts).
import { cli, UsageError } from "./lib/cli.js";
import { runTiers, tiers, type Tier } from "./lib/test-tiers.js";

cli(import.meta.url, {
  usage: `Usage: pnpm test [tier ...]

Runs the tiers (default: unit, then contract and e2e in one vitest run with static beside it) and prints the wall-clock and CPU
(user + system, children included) time of each. Tiers: ${tiers.join(", ")}.
pack installs the packed packages in a fresh npm project and uses them there, on this Node.
matrix (pnpm test:matrix, which CI runs) runs the unit tier isolated and in a shuffled order
(CX_TEST_SEED=<seed> replays one), and the pack tier on Node 20, 22 and 24 (npx fetches 22, 24).`,
  positionals: true,
  async run(_values, positionals) {
    for (const name of positionals) {
      if (!(tiers as readonly string[]).includes(name))
        throw new UsageError(`unknown tier "${name}"; the tiers are ${tiers.join(", ")}`);
    }
    const byDefault = tiers.filter((tier) => tier !== "pack" && tier !== "matrix");
    await runTiers(positionals.length ? (positionals as Tier[]) : byDefault);
  },
});
