// pnpm test: every tier in turn, with the wall-clock and CPU time of each (scripts/lib/test-tiers.ts).
import { cli, UsageError } from "./lib/cli.js";
import { runTiers, tiers, type Tier } from "./lib/test-tiers.js";

cli(import.meta.url, {
  usage: `Usage: pnpm test [tier ...]

Runs the tiers in turn (default: static unit contract e2e) and prints the wall-clock and CPU
(user + system, children included) time of each. Tiers: ${tiers.join(", ")}.
matrix (pnpm test:matrix) runs the unit tier isolated and in a shuffled order (CX_TEST_SEED=<seed>
replays one), and the packed-package tests on Node 20, 22 and 24 (npx fetches 22, 24).`,
  positionals: true,
  async run(_values, positionals) {
    for (const name of positionals) {
      if (!(tiers as readonly string[]).includes(name))
        throw new UsageError(`unknown tier "${name}"; the tiers are ${tiers.join(", ")}`);
    }
    await runTiers(positionals.length ? (positionals as Tier[]) : tiers.filter((tier) => tier !== "matrix"));
  },
});
