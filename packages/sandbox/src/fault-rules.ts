// The fault rules: what `PUT /__sandbox/faults`, `sandboxHandlers({ faults })`, `cx-sandbox
// --faults <file>` and a recorded fault profile all take. A rule matches requests (by path text,
// operation, method), may apply only to the Nth of them or with a probability, and then delays the
// answer, answers another status instead, or breaks the exchange (a reset connection, a body that
// is malformed or cut short).

/** A delay: a fixed number of ms, a uniform range, or quantiles of a distribution (as recorded). */
export type Delay = number | DelayRange | DelayQuantiles;
export interface DelayRange {
  min: number;
  max: number;
}
export interface DelayQuantiles {
  min?: number;
  p50: number;
  p90?: number;
  p99?: number;
  max?: number;
}

/** What a fault does to the exchange besides a delay or a status. */
export const faultEffects = ["reset", "malformed", "truncated"] as const;
export type FaultEffect = (typeof faultEffects)[number];

export interface FaultRule {
  /** Only requests whose path contains this text (default: every request of the API). */
  path?: string;
  /** Only requests routed to this operation. */
  operationId?: string;
  /** Only this method (default: any). */
  method?: string;
  /** Only the Nth matching request, counted from when the rule was set (1 is the first). */
  nth?: number;
  /** The chance, from 0 to 1, that a matching request is faulted (default 1). */
  probability?: number;
  /** Apply to this many requests, then stop (default: every one). */
  times?: number;
  /** Wait before answering, in ms (at most 120 000). */
  delayMs?: Delay;
  /** Answer with this status instead of the operation's, in the API's error shape. */
  status?: number;
  /** The `Retry-After` header to send with `status`, in seconds. */
  retryAfter?: number;
  /** `reset`: close the connection without an answer; `malformed` / `truncated`: break the body. */
  effect?: FaultEffect;
}

export const maxDelayMs = 120_000;
const maxRules = 1000;

type Check = (value: unknown, where: string) => string | undefined;

const whole =
  (min: number, max: number): Check =>
  (v, where) =>
    typeof v === "number" && Number.isInteger(v) && v >= min && v <= max
      ? undefined
      : `${where} must be a whole number from ${min} to ${max}`;

const text: Check = (v, where) =>
  typeof v === "string" && v.length <= 500 ? undefined : `${where} must be a string of at most 500 characters`;

const fields: Record<keyof FaultRule, Check> = {
  path: text,
  operationId: text,
  method: text,
  nth: whole(1, 1_000_000),
  probability: (v, where) =>
    typeof v === "number" && v >= 0 && v <= 1 ? undefined : `${where} must be a number from 0 to 1`,
  times: whole(1, 1_000_000),
  delayMs: checkDelay,
  status: whole(400, 599),
  retryAfter: whole(0, 86_400),
  effect: (v, where) =>
    (faultEffects as readonly unknown[]).includes(v)
      ? undefined
      : `${where} must be one of: ${faultEffects.join(", ")}`,
};

function checkDelay(value: unknown, where: string): string | undefined {
  const ms = whole(0, maxDelayMs);
  if (typeof value === "number") return ms(value, where);
  if (typeof value !== "object" || value === null || Array.isArray(value))
    return `${where} must be a number, { min, max } or { min, p50, p90, p99, max }`;
  const parts = value as Record<string, unknown>;
  const quantiles = "p50" in parts;
  const known = quantiles ? ["min", "p50", "p90", "p99", "max"] : ["min", "max"];
  const problems = Object.keys(parts)
    .filter((key) => !known.includes(key))
    .map((key) => `property ${where}.${key} should not exist`);
  for (const key of known) if (parts[key] !== undefined) problems.push(ms(parts[key], `${where}.${key}`) ?? "");
  if (!quantiles && (parts.min === undefined || parts.max === undefined))
    problems.push(`${where} needs min and max (a range) or p50 (quantiles)`);
  if (!problems.some(Boolean)) problems.push(...orderProblems(parts, known, where));
  return problems.filter(Boolean).join("; ") || undefined;
}

/** Quantiles (and a range's ends) must not decrease: no distribution has a p90 below its p50. */
function orderProblems(parts: Record<string, unknown>, known: string[], where: string): string[] {
  const given = known.filter((key) => parts[key] !== undefined);
  return given.flatMap((key, i) => {
    const before = given[i - 1];
    if (before === undefined || (parts[key] as number) >= (parts[before] as number)) return [];
    return [`${where}.${key} must be at least ${before} (${String(parts[before])})`];
  });
}

/** The problems of one rule, each naming the field and the rule it breaks. */
function ruleProblems(rule: unknown, at: string): string[] {
  if (typeof rule !== "object" || rule === null || Array.isArray(rule)) return [`${at} must be an object`];
  const r = rule as Record<string, unknown>;
  const problems: string[] = [];
  for (const [key, value] of Object.entries(r)) {
    const check = fields[key as keyof FaultRule];
    if (!check) problems.push(`property ${at}.${key} should not exist`);
    else if (value !== undefined) problems.push(check(value, `${at}.${key}`) ?? "");
  }
  if (r.delayMs === undefined && r.status === undefined && r.effect === undefined)
    problems.push(`${at} needs delayMs, status or effect`);
  if (r.effect === "reset" && r.status !== undefined) problems.push(`${at}: a reset connection has no status`);
  return problems.filter(Boolean);
}

/** Checks a list of rules; returns the problems, each naming the field. */
export function checkFaultRules(value: unknown): { rules: FaultRule[] } | { problems: string[] } {
  if (!Array.isArray(value)) return { problems: ["(body) must be a list of fault rules"] };
  if (value.length > maxRules) return { problems: [`(body) must hold at most ${maxRules} rules`] };
  const problems = value.flatMap((rule, i) => ruleProblems(rule, `[${i}]`));
  return problems.length ? { problems } : { rules: value as FaultRule[] };
}
