import type { Middleware } from "openapi-fetch";
import type { CallState } from "./state.js";
import type { ApiError, NetworkError, TimeoutError, TokenRequestError } from "./errors.js";
import { label, requestIdOf } from "./errors.js";
import { redacted, type Redactor } from "./redact.js";

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

/** What the client calls during one call; built by the hooks, so a client without hooks bundles none of this. */
export interface CallObserver {
  /** Fires the request and response hooks of each attempt. */
  middleware: Middleware;
  retry(reason: string, delayMs: number): void;
  error(error: Error): void;
}

/** Where the client finds the observer of a call: only `createHooks` puts one there. */
export const observeKey = Symbol.for("@cx-openapi/runtime/observe");

/** The value of the `hooks` option: the hooks, and the plumbing that calls them. */
export type ClientHooks = Hooks & { readonly [observeKey]: (state: CallState) => CallObserver };

/**
 * The `hooks` option of a client: `hooks: createHooks({ onRequest, onResponse, onRetry, onError })`.
 * Each hook gets redacted events; one that throws (or rejects) is reported with `console.warn`
 * and never breaks the call it observes.
 */
export function createHooks(hooks: Hooks): ClientHooks {
  return { ...hooks, [observeKey]: (state) => observer(hooks, state) };
}

function observer(hooks: Hooks, state: CallState): CallObserver {
  const { operation } = state;
  const name = label(operation);
  const started = performance.now();
  const durationMs = () => Math.round(performance.now() - started);
  return {
    middleware: {
      onRequest({ request }) {
        emit(hooks.onRequest, () => {
          const redactor = state.redact();
          return {
            operation: name,
            url: redactUrl(redactor, request.url, operation.path),
            headers: redactHeaders(redactor, request.headers),
          };
        });
        return undefined;
      },
      onResponse({ request, response }) {
        emit(hooks.onResponse, () => ({
          operation: name,
          url: redactUrl(state.redact(), request.url, operation.path),
          status: response.status,
          durationMs: durationMs(),
          attempts: state.attempts,
          requestId: requestIdOf(response.headers, state),
        }));
        return undefined;
      },
    },
    retry: (reason, delayMs) =>
      emit(hooks.onRetry, () => ({ operation: name, attempt: state.attempts, reason, delayMs })),
    error: (error) => emit(hooks.onError, () => ({ operation: name, error, durationMs: durationMs() })),
  };
}

/** Calls a hook; a hook that throws (or rejects) is reported but never breaks the call it observes. */
function emit<E>(hook: ((event: E) => void) | undefined, event: () => E): void {
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

/** Headers that always carry credentials. */
const secretHeaders = new Set([
  "authorization",
  "proxy-authorization",
  "cookie",
  "set-cookie",
  "xx-relay-api-key",
  "x-api-key",
]);

/** The URL with its personal path segments and query parameters masked, matched against the operation's path template. */
function redactUrl(redactor: Redactor, url: string, pathTemplate: string): string {
  const parsed = new URL(url);
  const template = pathTemplate.split("/");
  const segments = parsed.pathname.split("/");
  const offset = segments.length - template.length; // the server's base path comes first
  template.forEach((part, i) => {
    const name = /^\{(.+)\}$/.exec(part)?.[1];
    if (name !== undefined && redactor.pathParameters.has(name) && offset >= 0) segments[offset + i] = redacted;
  });
  parsed.pathname = segments.join("/");
  for (const key of [...parsed.searchParams.keys()]) {
    if (redactor.properties.has(key) || redactor.pathParameters.has(key)) parsed.searchParams.set(key, redacted);
  }
  return redactor.text(decodeURI(parsed.toString()));
}

/** Headers as a plain object, credentials masked. */
function redactHeaders(redactor: Redactor, headers: Headers): Record<string, string> {
  const out: Record<string, string> = {};
  headers.forEach((value, name) => {
    out[name] = secretHeaders.has(name.toLowerCase()) ? redacted : redactor.text(value);
  });
  return out;
}

interface LineLogger {
  info(message: string): void;
  warn(message: string): void;
  error(message: string): void;
}

/** Hooks that log one line per event. Redacted by construction: they only print redacted fields. */
export function consoleLogger(logger: LineLogger = console): ClientHooks {
  return createHooks({
    onRequest: (e) => logger.info(`→ ${e.operation} ${e.url}`),
    onResponse: (e) =>
      logger.info(
        `← ${e.status} ${e.operation} in ${e.durationMs} ms${e.attempts > 1 ? ` after ${e.attempts} attempts` : ""}${e.requestId ? ` (request id ${e.requestId})` : ""}`,
      ),
    onRetry: (e) =>
      logger.warn(`↻ ${e.operation}: attempt ${e.attempt} failed (${e.reason}); retrying in ${e.delayMs} ms`),
    onError: (e) => logger.error(`✖ ${e.error.message}`),
  });
}
