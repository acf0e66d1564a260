// Latency and faults, decided before the request reaches the API: a fault is not the vendor's
// behaviour (neither spec declares 429 or 503), so it is applied outside the contract gate. The
// same decision serves the HTTP sandbox and the MSW handlers, which each apply it their own way.
import { sampleDelay } from "./fault-delay.js";
import { checkFaultRules, type Delay, type FaultEffect, type FaultRule } from "./fault-rules.js";
import { seededRandom, type Random } from "./random.js";
import { apiNames, type ApiName } from "@cx-openapi/spec/openapi";
import type { SandboxRequest } from "./types.js";

export { checkFaultRules, faultEffects, type FaultRule, type FaultEffect, type Delay } from "./fault-rules.js";

/**
 * A fault profile as a file or an import holds it: a list of rules (`FaultRule[]`), checked when it
 * is used. Typed loosely so a JSON module's content (`import profile from "./faults.json"`, whose
 * strings are not narrowed to `FaultEffect`) is taken as it is.
 */
export type FaultProfile = readonly FaultRule[] | readonly object[];

/** Each API's start rules, checked; throws naming `where`, the API, the rule and the field. */
export function checkFaultProfiles(
  profiles: Partial<Record<ApiName, FaultProfile>>,
  where: string,
): Partial<Record<ApiName, FaultRule[]>> {
  const checked: Partial<Record<ApiName, FaultRule[]>> = {};
  for (const [api, profile] of Object.entries(profiles) as [ApiName, FaultProfile | undefined][]) {
    if (profile === undefined) continue;
    if (!apiNames.includes(api)) throw new TypeError(`${where}: ${api} is not an API (${apiNames.join(", ")})`);
    const result = checkFaultRules(profile);
    if ("problems" in result)
      throw new TypeError(`${where}.${api}: ${result.problems.join("; ").replace(/^\(body\)/, "(root)")}`);
    checked[api] = result.rules;
  }
  return checked;
}

/** What happens to one exchange. */
export interface FaultPlan {
  delayMs: number;
  status?: number;
  retryAfter?: number;
  effect?: FaultEffect;
  /** Where it came from, for the request journal: `headers`, or `rule 2` (its place in the list). */
  source: string;
}

/** Per-call faults, as request headers: they win over the rules. */
export const faultHeaders = {
  /** `1500`, or a range `100-900`. */
  delay: "x-sandbox-delay-ms",
  status: "x-sandbox-fault-status",
  retryAfter: "x-sandbox-retry-after",
  /** `reset`, `malformed` or `truncated`. */
  effect: "x-sandbox-fault",
} as const;

interface Held {
  rule: FaultRule;
  /** Matching requests seen, for `nth`. */
  seen: number;
  /** Requests faulted, for `times`. */
  used: number;
}

export class FaultInjector {
  #held: Held[] = [];
  #random: Random = seededRandom(1);

  /** Replaces the rules; `seed` fixes the draws of probabilities and delay ranges. */
  set(rules: FaultRule[], seed = 1): void {
    this.#held = rules.map((rule) => ({ rule: { ...rule }, seen: 0, used: 0 }));
    this.#random = seededRandom(seed);
  }

  clear(): void {
    this.#held = [];
  }

  /** The rules still in force, with `times` counting down what is left of each. */
  get rules(): FaultRule[] {
    return this.#held
      .filter(({ rule, seen, used }) => !spent(rule, seen, used))
      .map(({ rule, used }) => (rule.times === undefined ? { ...rule } : { ...rule, times: rule.times - used }));
  }

  /** The fault for a request, if any: its headers first, then the first rule that applies. */
  pick(request: SandboxRequest, operationId: string | undefined): FaultPlan | { problem: string } | undefined {
    const fromHeaders = headerRule(request);
    if (fromHeaders) {
      if ("problem" in fromHeaders) return fromHeaders;
      return this.#plan(fromHeaders, "headers");
    }
    for (const [index, held] of this.#held.entries()) {
      if (!matches(held.rule, request, operationId)) continue;
      held.seen += 1;
      if (!this.#applies(held)) continue;
      held.used += 1;
      return this.#plan(held.rule, `rule ${index}`);
    }
    return undefined;
  }

  #applies({ rule, seen, used }: Held): boolean {
    if (rule.times !== undefined && used >= rule.times) return false;
    if (rule.nth !== undefined && seen !== rule.nth) return false;
    return rule.probability === undefined || this.#random() < rule.probability;
  }

  #plan(rule: FaultRule, source: string): FaultPlan {
    const plan: FaultPlan = { delayMs: sampleDelay(rule.delayMs, this.#random), source };
    if (rule.status !== undefined) plan.status = rule.status;
    if (rule.retryAfter !== undefined) plan.retryAfter = rule.retryAfter;
    if (rule.effect !== undefined) plan.effect = rule.effect;
    return plan;
  }
}

/** Whether a rule can fault no more requests: its `times` are used up, or its Nth request has passed. */
function spent(rule: FaultRule, seen: number, used: number): boolean {
  return (rule.times !== undefined && used >= rule.times) || (rule.nth !== undefined && seen >= rule.nth);
}

function matches(rule: FaultRule, request: SandboxRequest, operationId: string | undefined): boolean {
  return (
    (rule.path === undefined || request.path.includes(rule.path)) &&
    (rule.operationId === undefined || rule.operationId === operationId) &&
    (rule.method === undefined || rule.method.toUpperCase() === request.method.toUpperCase())
  );
}

/** The fault the request's headers ask for, as a rule; a bad value is a problem naming the header. */
function headerRule(request: SandboxRequest): FaultRule | { problem: string } | undefined {
  const [delay, status, retryAfter, effect] = [
    request.headers[faultHeaders.delay],
    request.headers[faultHeaders.status],
    request.headers[faultHeaders.retryAfter],
    request.headers[faultHeaders.effect],
  ];
  if (delay === undefined && status === undefined && effect === undefined) return undefined;
  const rule: Record<string, unknown> = {};
  if (delay !== undefined) rule.delayMs = delayOf(delay);
  if (status !== undefined) rule.status = Number(status);
  if (retryAfter !== undefined) rule.retryAfter = Number(retryAfter);
  if (effect !== undefined) rule.effect = effect;
  const checked = checkFaultRules([rule]);
  if ("problems" in checked)
    return { problem: `fault headers: ${checked.problems.join("; ").replace(/\[0\]\./g, "")}` };
  return checked.rules[0];
}

function delayOf(header: string): Delay | string {
  const range = /^(\d+)-(\d+)$/.exec(header.trim());
  if (range) return { min: Number(range[1]), max: Number(range[2]) };
  return /^\d+$/.test(header.trim()) ? Number(header) : header;
}
