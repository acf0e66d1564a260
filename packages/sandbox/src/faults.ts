// Latency and fault injection, applied in front of the contract gate: a fault is not the vendor's
// behaviour (neither spec declares 429 or 503), so it must not be judged against the spec.
import type { SandboxRequest } from "./types.js";

export interface FaultRule {
  /** Only requests whose path contains this text (default: every request to the API). */
  path?: string;
  /** Only this method (default: any). */
  method?: string;
  /** Wait this long before answering (or before failing, with `status`). At most 120 000. */
  delayMs?: number;
  /** Answer with this status instead of asking the sandbox, in the API's error shape. */
  status?: number;
  /** The `Retry-After` header to send with `status`, in seconds. */
  retryAfter?: number;
  /** Apply to this many matching requests, then stop (default: every one). */
  times?: number;
}

export interface Fault {
  delayMs: number;
  status?: number;
  retryAfter?: number;
}

/** Per-call faults, as request headers: they win over the global rules. */
export const faultHeaders = {
  delay: "x-sandbox-delay-ms",
  status: "x-sandbox-fault-status",
  retryAfter: "x-sandbox-retry-after",
} as const;

const maxDelayMs = 120_000;

/** Checks a rule list sent to `PUT /__sandbox/faults`; returns the problems, naming the field. */
export function checkFaultRules(value: unknown): { rules: FaultRule[] } | { problems: string[] } {
  if (!Array.isArray(value)) return { problems: ["(body) must be a list of fault rules"] };
  const problems: string[] = [];
  const number = (v: unknown, where: string, min: number, max: number) => {
    if (v !== undefined && (typeof v !== "number" || !Number.isInteger(v) || v < min || v > max))
      problems.push(`${where} must be a whole number from ${min} to ${max}`);
  };
  value.forEach((rule, i) => {
    const at = `[${i}]`;
    if (typeof rule !== "object" || rule === null || Array.isArray(rule))
      return void problems.push(`${at} must be an object`);
    const r = rule as Record<string, unknown>;
    for (const key of Object.keys(r))
      if (!["path", "method", "delayMs", "status", "retryAfter", "times"].includes(key))
        problems.push(`property ${at}.${key} should not exist`);
    if (r.path !== undefined && typeof r.path !== "string") problems.push(`${at}.path must be a string`);
    if (r.method !== undefined && typeof r.method !== "string") problems.push(`${at}.method must be a string`);
    number(r.delayMs, `${at}.delayMs`, 0, maxDelayMs);
    number(r.status, `${at}.status`, 400, 599);
    number(r.retryAfter, `${at}.retryAfter`, 0, 86_400);
    number(r.times, `${at}.times`, 1, 1_000_000);
    if (r.delayMs === undefined && r.status === undefined) problems.push(`${at} needs delayMs or status`);
  });
  return problems.length ? { problems } : { rules: value as FaultRule[] };
}

export class FaultInjector {
  #rules: FaultRule[] = [];

  set(rules: FaultRule[]): void {
    this.#rules = rules.map((r) => ({ ...r }));
  }

  clear(): void {
    this.#rules = [];
  }

  get rules(): FaultRule[] {
    return this.#rules.map((r) => ({ ...r }));
  }

  /** The fault for this request, if any; per-call headers first, then the first matching rule (which it uses up). */
  pick(request: SandboxRequest): Fault | { problem: string } | undefined {
    const header = (name: string) => request.headers[name];
    const [delay, status, retryAfter] = [
      header(faultHeaders.delay),
      header(faultHeaders.status),
      header(faultHeaders.retryAfter),
    ];
    if (delay !== undefined || status !== undefined) {
      const parsed = checkFaultRules([
        {
          ...(delay === undefined ? {} : { delayMs: Number(delay) }),
          ...(status === undefined ? {} : { status: Number(status) }),
          ...(retryAfter === undefined ? {} : { retryAfter: Number(retryAfter) }),
        },
      ]);
      if ("problems" in parsed)
        return { problem: `fault headers: ${parsed.problems.join("; ").replace(/\[0\]\./g, "")}` };
      return toFault(parsed.rules[0]!);
    }
    const index = this.#rules.findIndex(
      (r) =>
        (r.path === undefined || request.path.includes(r.path)) &&
        (r.method === undefined || r.method.toUpperCase() === request.method.toUpperCase()),
    );
    if (index < 0) return undefined;
    const rule = this.#rules[index]!;
    if (rule.times !== undefined) {
      rule.times -= 1;
      if (rule.times <= 0) this.#rules.splice(index, 1);
    }
    return toFault(rule);
  }
}

function toFault(rule: FaultRule): Fault {
  return {
    delayMs: rule.delayMs ?? 0,
    ...(rule.status === undefined ? {} : { status: rule.status }),
    ...(rule.retryAfter === undefined ? {} : { retryAfter: rule.retryAfter }),
  };
}
