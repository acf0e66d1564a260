// The fault profile of a recording (`<dir>/faults.json`, docs/recordings.md): the sandbox's fault
// rules (FaultRule[]) that replay each operation's recorded error rates and latencies. The sandbox
// tries its rules in order and applies the first that matches and draws its probability; a rule
// that fails its draw passes the request on to the next. So, per operation, one rule per error
// status comes first, the commonest first, each with its probability given that the ones before
// did not apply (its count over the exchanges not yet accounted for), then one delay rule for the
// rest. Each rule's delay is the quantiles of the durations of the exchanges it stands for.
import type { FaultRule } from "@cx-openapi/sandbox";

/** What the profile needs of one recorded exchange. */
export interface TimedExchange {
  operationId: string;
  status: number;
  durationMs: number;
  /** The Retry-After header as sent, if one was. */
  retryAfter?: string | undefined;
}

type Quantiles = { min: number; p50: number; p90: number; p99: number; max: number };

/** The sandbox's limits (fault-rules.ts): a delay, a Retry-After, and the statuses a rule may answer. */
const maxDelayMs = 120_000;
const maxRetryAfter = 86_400;
const faultStatus = (status: number) => status >= 400 && status <= 599;
/** Past this many error statuses of one operation, the rarest are left to the delay rule. */
export const maxStatusRules = 20;

/** The rules that replay the exchanges' error rates and latencies, operation by operation (by name). */
export function faultProfile(exchanges: Iterable<TimedExchange>): FaultRule[] {
  const byOperation = groupBy([...exchanges], (exchange) => exchange.operationId);
  return [...byOperation.keys()]
    .sort()
    .flatMap((operationId) => operationRules(operationId, byOperation.get(operationId)!));
}

function operationRules(operationId: string, exchanges: TimedExchange[]): FaultRule[] {
  const byStatus = groupBy(
    exchanges.filter((exchange) => faultStatus(exchange.status)),
    (exchange) => exchange.status,
  );
  const statuses = [...byStatus.entries()]
    .sort(([a, left], [b, right]) => right.length - left.length || a - b)
    .slice(0, maxStatusRules);
  const rules: FaultRule[] = [];
  let left = exchanges.length;
  for (const [status, seen] of statuses) {
    const rule: FaultRule = { operationId, probability: rate(seen.length, left), status };
    const retryAfter = commonestSeconds(seen);
    if (retryAfter !== undefined) rule.retryAfter = retryAfter;
    rule.delayMs = quantiles(seen.map((exchange) => exchange.durationMs));
    rules.push(rule);
    left -= seen.length;
  }
  const faulted = new Set(statuses.map(([status]) => status));
  const rest = exchanges.filter((exchange) => !faulted.has(exchange.status));
  // With no exchange left (every one was an error), the delay rule stands for them all.
  const durations = (rest.length ? rest : exchanges).map((exchange) => exchange.durationMs);
  rules.push({ operationId, delayMs: quantiles(durations) });
  return rules;
}

function groupBy<K>(exchanges: TimedExchange[], keyOf: (exchange: TimedExchange) => K): Map<K, TimedExchange[]> {
  const groups = new Map<K, TimedExchange[]>();
  for (const exchange of exchanges) {
    const group = groups.get(keyOf(exchange));
    if (group) group.push(exchange);
    else groups.set(keyOf(exchange), [exchange]);
  }
  return groups;
}

/** `count / of`, to 6 decimals, and never above 1. */
function rate(count: number, of: number): number {
  return Math.min(1, Math.round((count / of) * 1e6) / 1e6);
}

/** Nearest-rank quantiles, in whole ms, within the sandbox's limit. */
export function quantiles(durations: number[]): Quantiles {
  const sorted = durations.map((ms) => Math.min(maxDelayMs, Math.max(0, Math.round(ms)))).sort((a, b) => a - b);
  const at = (q: number) => sorted[Math.max(0, Math.ceil(q * sorted.length) - 1)] ?? 0;
  return { min: sorted[0] ?? 0, p50: at(0.5), p90: at(0.9), p99: at(0.99), max: sorted.at(-1) ?? 0 };
}

/** The Retry-After in seconds sent most often (the smaller on a tie); an HTTP date is not counted. */
function commonestSeconds(exchanges: TimedExchange[]): number | undefined {
  const counts = new Map<number, number>();
  for (const { retryAfter } of exchanges) {
    const value = retryAfter?.trim();
    if (value === undefined || !/^\d{1,9}$/.test(value)) continue;
    const seconds = Math.min(Number(value), maxRetryAfter);
    counts.set(seconds, (counts.get(seconds) ?? 0) + 1);
  }
  const [best] = [...counts.entries()].sort(([a, left], [b, right]) => right - left || a - b);
  return best?.[0];
}
