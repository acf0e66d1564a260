import type { CallObserver } from "./hooks.js";
import { requireNumber } from "./options.js";
import type { CallState } from "./state.js";

export interface RetryOptions {
  /** Attempts in all, the first included. 1 turns retries off. Default 3. */
  maxAttempts?: number;
  /** Upper bound of the first backoff; it doubles with each attempt. Default 250 ms. */
  baseDelayMs?: number;
  /** No wait is longer than this, Retry-After included. Default 20 s. */
  maxDelayMs?: number;
  /** Also retry 500 Internal Server Error. Default false. */
  retryOn500?: boolean;
}

const idempotentMethods: ReadonlySet<string> = new Set(["GET", "PUT", "DELETE", "HEAD", "OPTIONS"]);
const retryableStatuses: ReadonlySet<number> = new Set([408, 429, 502, 503, 504]);

export interface RetryPolicy {
  maxAttempts: number;
  baseDelayMs: number;
  maxDelayMs: number;
  statuses: ReadonlySet<number>;
}

export function retryPolicy(options: RetryOptions | false | undefined): RetryPolicy {
  const { maxAttempts = 3, baseDelayMs = 250, maxDelayMs = 20_000, retryOn500 } = options || {};
  requireNumber("retry.maxAttempts", maxAttempts, 1, true);
  requireNumber("retry.baseDelayMs", baseDelayMs, 0);
  requireNumber("retry.maxDelayMs", maxDelayMs, 0);
  return {
    maxAttempts: options === false ? 1 : maxAttempts,
    baseDelayMs,
    maxDelayMs,
    statuses: retryOn500 ? new Set([...retryableStatuses, 500]) : retryableStatuses,
  };
}

/** Whether a status is worth retrying under this policy (408, 429, 502, 503, 504; 500 when enabled). */
export function isRetryableStatus(policy: RetryPolicy, status: number): boolean {
  return policy.statuses.has(status);
}

/**
 * How long to wait before the next attempt: the server's Retry-After (seconds or an HTTP date)
 * when it gives one, else exponential backoff with full jitter; never more than maxDelayMs.
 */
export function retryDelay(
  policy: RetryPolicy,
  failedAttempt: number,
  retryAfter: string | null,
  now = Date.now(),
  random = Math.random,
): number {
  const fromServer = parseRetryAfter(retryAfter, now);
  const delay = fromServer ?? random() * policy.baseDelayMs * 2 ** (failedAttempt - 1);
  return Math.round(Math.min(policy.maxDelayMs, Math.max(0, delay)));
}

function parseRetryAfter(value: string | null, now: number): number | undefined {
  if (!value) return undefined;
  if (/^\s*\d+\s*$/.test(value)) return Number(value) * 1000;
  if (!/[a-z]/i.test(value)) return undefined; // an HTTP date always names a day or a month
  const date = Date.parse(value);
  return Number.isNaN(date) ? undefined : date - now;
}

/**
 * Makes the attempts of a call until one is final: a response whose status is not retryable, the
 * last attempt, an error other than fetch's own (bad input, an abort), or one whose wait before the
 * next attempt (Retry-After or the backoff) would alone reach the call's deadline `end` (a time as
 * `Date.now()` gives it, none without a timeout). Between two attempts it waits out that delay,
 * never past `signal`. `retry` is the call's own option.
 */
export async function withRetries<R extends { response: Response }>(
  attempt: () => Promise<R>,
  state: CallState,
  policy: RetryPolicy,
  retry: boolean | undefined,
  signal: AbortSignal | undefined,
  observer: CallObserver | undefined,
  end: number | undefined,
): Promise<R> {
  // A method that is not idempotent gets one attempt, unless the call opts in.
  const maxAttempts =
    retry === false || (!idempotentMethods.has(state.operation.method) && retry !== true) ? 1 : policy.maxAttempts;
  // The wait before the next attempt: Retry-After or the backoff, set by isFinal.
  let delayMs!: number;
  // The last attempt is final, and so is one whose wait alone would reach the deadline: an attempt
  // after it could only time out, so what came is the call's result. (Without a deadline `end` is
  // undefined, and `>=` never holds.)
  const isFinal = (retryAfter: string | null) => {
    if (state.attempts >= maxAttempts) return true;
    delayMs = retryDelay(policy, state.attempts, retryAfter);
    return Date.now() + delayMs >= end!;
  };
  for (;;) {
    state.attempts++;
    state.response = undefined;
    let reason: string;
    try {
      const result = await attempt();
      const { status } = result.response;
      if (!policy.statuses.has(status) || isFinal(result.response.headers.get("retry-after"))) return result;
      reason = String(status);
    } catch (error) {
      // Only what fetch itself threw is retried: bad input or an abort ends the call.
      if (error !== state.fetchError || signal?.aborted || isFinal(null)) throw error;
      reason = "network error";
    }
    observer?.retry(reason, delayMs);
    await sleep(delayMs, signal);
  }
}

/** Waits, or rejects with the signal's reason as soon as it aborts. */
export function sleep(ms: number, signal: AbortSignal | undefined): Promise<void> {
  return new Promise((resolve, reject) => {
    const onAbort = () => {
      clearTimeout(timer);
      reject(signal!.reason);
    };
    const timer = setTimeout(() => {
      signal?.removeEventListener("abort", onAbort);
      resolve();
    }, ms);
    if (signal?.aborted) onAbort();
    else signal?.addEventListener("abort", onAbort, { once: true });
  });
}

/** Settles as `promise` does, or rejects with the signal's reason as soon as it aborts. */
export function within<T>(promise: Promise<T>, signal: AbortSignal | undefined): Promise<T> {
  if (!signal) return promise;
  return new Promise((resolve, reject) => {
    if (signal.aborted) return reject(signal.reason);
    const onAbort = () => reject(signal.reason);
    signal.addEventListener("abort", onAbort, { once: true });
    promise.then(resolve, reject).finally(() => signal.removeEventListener("abort", onAbort));
  });
}
