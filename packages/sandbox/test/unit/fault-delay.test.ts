// A recorded latency profile replays as the distribution it describes: delays drawn from
// `{ min, p50, p90, p99, max }` with a seeded random have those quantiles, and a profile whose
// quantiles are out of order (which no distribution has) is refused, naming the field.
import { describe, expect, it } from "vitest";
import { sampleDelay } from "../../src/fault-delay.js";
import { checkFaultRules, type DelayQuantiles } from "../../src/fault-rules.js";
import { seededRandom } from "../../src/random.js";

/** The empirical q-quantile of sorted draws. */
const quantile = (sorted: number[], q: number) => sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))]!;

function draws(delay: DelayQuantiles, n: number, seed: number): number[] {
  const random = seededRandom(seed);
  return Array.from({ length: n }, () => sampleDelay(delay, random)).sort((a, b) => a - b);
}

describe("delay quantiles", () => {
  it.each<[DelayQuantiles, number]>([
    [{ min: 20, p50: 80, p90: 250, p99: 900, max: 2000 }, 1],
    [{ min: 5, p50: 5, p90: 40, p99: 40, max: 41 }, 7],
    [{ p50: 120, p99: 600 }, 3],
  ])("%j gives draws with those quantiles (seed %i)", (delay, seed) => {
    const sorted = draws(delay, 20_000, seed);
    const points: [number, number | undefined][] = [
      [0.5, delay.p50],
      [0.9, delay.p90],
      [0.99, delay.p99],
    ];
    for (const [q, expected] of points) {
      if (expected === undefined) continue;
      // Within 1 % of the range (and a rounding ms) of the stated value.
      const span = (delay.max ?? delay.p99 ?? delay.p50) - (delay.min ?? 0);
      expect(Math.abs(quantile(sorted, q) - expected), `p${q * 100}`).toBeLessThanOrEqual(span * 0.01 + 1);
    }
    expect(sorted[0]).toBeGreaterThanOrEqual(delay.min ?? 0);
    expect(sorted.at(-1)).toBeLessThanOrEqual(delay.max ?? delay.p99 ?? delay.p50);
  });

  it("the same seed gives the same draws", () => {
    const delay = { min: 1, p50: 10, p90: 100, max: 1000 };
    expect(draws(delay, 50, 11)).toEqual(draws(delay, 50, 11));
  });

  it.each([
    [{ p50: 300, p90: 100 }, "[0].delayMs.p90 must be at least p50 (300)"],
    [{ min: 50, p50: 10 }, "[0].delayMs.p50 must be at least min (50)"],
    [{ p50: 10, p99: 90, max: 80 }, "[0].delayMs.max must be at least p99 (90)"],
    [{ min: 900, max: 100 }, "[0].delayMs.max must be at least min (900)"],
  ])("a profile out of order, %j, is refused naming the field", (delayMs, message) => {
    expect(checkFaultRules([{ delayMs }])).toEqual({ problems: [message] });
  });
});
