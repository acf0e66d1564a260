import type { Middleware } from "openapi-fetch";
import type { CallState } from "./client.js";
import type { ApiError, NetworkError, TimeoutError, TokenRequestError, OperationRef } from "./errors.js";
import { requestIdOf } from "./errors.js";

// Hooks receive only redacted data: URLs with personal path segments masked, headers without
// credentials, error objects whose JSON form masks personal fields. Logging them is safe.

export interface RequestEvent {
  /** `METHOD /path/{template}`: identifies the operation without any parameter value. */
  operation: string;
  /** The URL, personal path segments masked. */
  url: string;
  /** Request headers, credentials masked. */
  headers: Record<string, string>;
}

export interface ResponseEvent {
  operation: string;
  url: string;
  status: number;
  durationMs: number;
  attempts: number;
  requestId: string | undefined;
}

export interface RetryEvent {
  operation: string;
  /** The attempt that just failed (1 for the first). */
  attempt: number;
  /** Why it is retried: `503`, `429`, `network error`... */
  reason: string;
  delayMs: number;
}

export interface ErrorEvent {
  operation: string;
  /**
   * A TypeError is bad per-call input (a missing or dot-segment path parameter, a header Request
   * refuses); any other Error is what the caller's own middleware or serializer threw.
   */
  error: ApiError | NetworkError | TimeoutError | TokenRequestError | TypeError | Error;
  durationMs: number;
}

/**
 * `onRequest` and `onResponse` fire for every attempt, `onRetry` between two attempts, and
 * `onError` once when the call ends in an error (a non-2xx answer, a network error, a timeout, a
 * failed token request, bad input); not when the caller's own signal aborts it.
 */
export interface Hooks {
  onRequest?(event: RequestEvent): void;
  onResponse?(event: ResponseEvent): void;
  onRetry?(event: RetryEvent): void;
  onError?(event: ErrorEvent): void;
}

/** Calls a hook; a hook that throws (or rejects) is reported but never breaks the call it observes. */
export function emit<E>(hook: ((event: E) => void) | undefined, event: () => E): void {
  if (!hook) return;
  try {
    const result: unknown = hook(event());
    if (typeof (result as PromiseLike<unknown> | undefined)?.then === "function") {
      (result as PromiseLike<unknown>).then(undefined, warnHookFailed);
    }
  } catch (error) {
    warnHookFailed(error);
  }
}

function warnHookFailed(error: unknown): void {
  console.warn("cx-openapi: a hook threw; the call goes on", error);
}

/** Emits the request and response hooks of each attempt, with redacted data only. */
export function hookMiddleware(hooks: Hooks, state: CallState): Middleware {
  const { operation } = state;
  return {
    onRequest({ request }) {
      emit(hooks.onRequest, () => {
        const redactor = state.redact();
        return {
          operation: label(operation),
          url: redactor.url(request.url, operation.path),
          headers: redactor.headers(request.headers),
        };
      });
      return undefined;
    },
    onResponse({ request, response }) {
      emit(hooks.onResponse, () => ({
        operation: label(operation),
        url: state.redact().url(request.url, operation.path),
        status: response.status,
        durationMs: elapsed(state),
        attempts: state.attempts,
        requestId: requestIdOf(response.headers, (value) => state.redact().text(value) !== value),
      }));
      return undefined;
    },
  };
}

export function label(operation: OperationRef): string {
  return `${operation.method} ${operation.path}`;
}

export function elapsed(state: CallState): number {
  return Math.round(performance.now() - state.started);
}

interface LineLogger {
  info(message: string): void;
  warn(message: string): void;
  error(message: string): void;
}

/** Hooks that log one line per event. Redacted by construction: they only print redacted fields. */
export function consoleLogger(logger: LineLogger = console): Hooks {
  return {
    onRequest: (e) => logger.info(`→ ${e.operation} ${e.url}`),
    onResponse: (e) =>
      logger.info(
        `← ${e.status} ${e.operation} in ${e.durationMs} ms${e.attempts > 1 ? ` after ${e.attempts} attempts` : ""}${e.requestId ? ` (request id ${e.requestId})` : ""}`,
      ),
    onRetry: (e) =>
      logger.warn(`↻ ${e.operation}: attempt ${e.attempt} failed (${e.reason}); retrying in ${e.delayMs} ms`),
    onError: (e) => logger.error(`✖ ${e.error.message}`),
  };
}
