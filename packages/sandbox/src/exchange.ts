// One exchange, the same in every transport: the sandbox's own routes, then the fault the request
// or its world asks for (a delay, another status, a reset connection, a broken body), then the
// API's answer. The HTTP sandbox asks the API through its contract gate; MSW and sandboxFetch ask
// it in process. Each transport then applies the outcome its own way. Every exchange but the
// sandbox's own routes goes into the API's request journal.
import type { ApiName } from "@cx-openapi/spec/openapi";
import type { Engine } from "./engine.js";
import type { FaultEffect, FaultPlan } from "./faults.js";
import type { Limits } from "./limits.js";
import type { Sandbox } from "./sandbox.js";
import type { SandboxRequest, SandboxResponse } from "./types.js";

/** How a fault breaks an answer's body. */
export type Corruption = Exclude<FaultEffect, "reset">;

export type Exchanged =
  | {
      kind: "answer";
      response: SandboxResponse;
      /** The fault applied, if any (for the journal). */
      fault?: FaultPlan;
      /** Send the body malformed or cut short. */
      corrupt?: Corruption;
    }
  | { kind: "reset"; fault: FaultPlan };

export interface ExchangeSteps {
  /** The API's answer to the request (the token endpoint included). */
  api(): Promise<SandboxResponse> | SandboxResponse;
  /** Waits `ms`; false when the caller gave up meanwhile (nothing is then done). */
  wait(ms: number): Promise<boolean>;
  /** The limits `api` checks the request under (default: the defaults); the journal reuses that check. */
  limits?: Limits;
}

/** Runs one exchange; undefined when the caller gave up during a delay. */
export async function exchange(
  sandbox: Sandbox,
  api: ApiName,
  request: SandboxRequest,
  steps: ExchangeSteps,
): Promise<Exchanged | undefined> {
  const own = sandbox.control(api, request);
  if (own) return { kind: "answer", response: own };
  const startedAt = sandbox.now();
  const started = performance.now();
  let asked = false;
  const ask = () => {
    asked = true;
    return steps.api();
  };
  const outcome = await faultedExchange(sandbox, api, request, { ...steps, api: ask });
  sandbox.record(api, {
    request,
    outcome,
    startedAt,
    latencyMs: performance.now() - started,
    requestViolations: () => (asked ? sandbox.engines[api].inspect(request, steps.limits).violations : []),
  });
  return outcome;
}

/** The fault the request or its world asks for, then the API's answer unless the fault replaces it. */
async function faultedExchange(
  sandbox: Sandbox,
  api: ApiName,
  request: SandboxRequest,
  steps: ExchangeSteps,
): Promise<Exchanged | undefined> {
  const plan = sandbox.fault(api, request);
  if (plan && "problem" in plan) return { kind: "answer", response: sandbox.engines[api].error(400, plan.problem) };
  if (plan?.delayMs && !(await steps.wait(plan.delayMs))) return undefined;
  if (plan?.effect === "reset") return { kind: "reset", fault: plan };
  const response = plan?.status === undefined ? await steps.api() : faultAnswer(sandbox.engines[api], plan);
  const corrupt = plan?.effect === "malformed" || plan?.effect === "truncated" ? plan.effect : undefined;
  return { kind: "answer", response, ...(plan ? { fault: plan } : {}), ...(corrupt ? { corrupt } : {}) };
}

/** A faulted status, in the API's error shape, with `Retry-After` when the rule gives one. */
export function faultAnswer(engine: Engine, plan: FaultPlan): SandboxResponse {
  const status = plan.status ?? 500;
  const answer = engine.error(status, `fault injected by the sandbox (status ${status})`);
  if (plan.retryAfter !== undefined) answer.headers["retry-after"] = String(plan.retryAfter);
  return answer;
}

/** A body as a broken transport would deliver it: not JSON at all, or its first half only. */
export function corruptBody(text: string, effect: Corruption): string {
  if (effect === "truncated") return text.slice(0, Math.floor(text.length / 2));
  return `${text.slice(0, Math.max(1, Math.floor(text.length / 2)))}<!-- malformed by the sandbox -->`;
}

/** A wait that ends early when `signal` aborts (the caller gave up). */
export function waitUnless(signal: AbortSignal | undefined): (ms: number) => Promise<boolean> {
  return (ms) =>
    new Promise((resolve) => {
      if (signal?.aborted) return resolve(false);
      const done = () => {
        clearTimeout(timer);
        signal?.removeEventListener("abort", gone);
        resolve(true);
      };
      const gone = () => {
        clearTimeout(timer);
        resolve(false);
      };
      const timer = setTimeout(done, ms);
      signal?.addEventListener("abort", gone, { once: true });
    });
}
