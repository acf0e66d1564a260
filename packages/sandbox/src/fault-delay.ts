// How long a fault's delay lasts: a fixed number, uniform in a range, or drawn from quantiles (as a
// recorded latency profile gives them), by linear interpolation between the known points.
import type { Delay, DelayQuantiles } from "./fault-rules.js";
import type { Random } from "./random.js";

export function sampleDelay(delay: Delay | undefined, random: Random): number {
  if (delay === undefined) return 0;
  if (typeof delay === "number") return delay;
  if ("p50" in delay) return Math.round(fromQuantiles(delay, random()));
  return Math.round(delay.min + (delay.max - delay.min) * random());
}

function fromQuantiles(delay: DelayQuantiles, q: number): number {
  const points: [number, number][] = [
    [0, Math.min(delay.min ?? 0, delay.p50)],
    [0.5, delay.p50],
  ];
  if (delay.p90 !== undefined) points.push([0.9, delay.p90]);
  if (delay.p99 !== undefined) points.push([0.99, delay.p99]);
  points.push([1, delay.max ?? points.at(-1)![1]]);
  // Quantiles are non-decreasing; a profile that says otherwise is read as its running maximum.
  for (let i = 1; i < points.length; i++) points[i]![1] = Math.max(points[i]![1], points[i - 1]![1]);
  for (let i = 1; i < points.length; i++) {
    const [q1, v1] = points[i]!;
    if (q > q1) continue;
    const [q0, v0] = points[i - 1]!;
    return v0 + ((v1 - v0) * (q - q0)) / (q1 - q0 || 1);
  }
  return points.at(-1)![1];
}
