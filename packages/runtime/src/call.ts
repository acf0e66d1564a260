import type { Middleware } from "openapi-fetch";
import type { ApiError } from "./errors.js";
import { apiError, callFailure } from "./failure.js";
import { observeKey, type CallObserver, type ClientHooks } from "./hooks.js";
import { checkCallBaseUrl, checkPathParameters, requireNumber, requireOneOf } from "./options.js";
import type { Redactor } from "./redact.js";
import type { Fetcher } from "./redirects.js";
import { withRetries, type RetryPolicy } from "./retry.js";
import { send } from "./send.js";
import { callDeadline } from "./signal.js";
import { release } from "./deadline.js";
import type { CallState } from "./state.js";
import type { CallOptions } from "./types.js";
import { resultError } from "./unwrap.js";

export type Verb = "GET" | "PUT" | "POST" | "DELETE" | "PATCH" | "HEAD" | "OPTIONS" | "TRACE";
export const redirectModes: readonly RequestRedirect[] = ["follow", "manual", "error"];

export type CallInit = Record<string, unknown> &
  CallOptions & {
    signal?: AbortSignal | null;
    redirect?: RequestRedirect;
    middleware?: Middleware[];
    fetch?: Fetcher;
    params?: { path?: Record<string, unknown> };
  };

export interface FetchResult {
  status: number;
  data?: unknown;
  error?: unknown;
  response: Response;
}

/** What every call of a client reads: its checked options and the openapi-fetch client under it. */
export interface ClientContext {
  name: string;
  origin: string;
  timeoutMs: number;
  maxBytes: number;
  redirect: RequestRedirect;
  signal: AbortSignal | null | undefined;
  fetch: Fetcher | undefined;
  policy: RetryPolicy;
  throwOnError: boolean | undefined;
  hooks: ClientHooks | undefined;
  redactor: Redactor;
  /** The auth middleware of a call, whose token waits end with `signal`. */
  auth: ((signal: AbortSignal | undefined) => Middleware) | undefined;
  base: Record<Verb, (path: string, init: unknown) => Promise<FetchResult>>;
  /** Whether `use` ever added middleware: then calls put their signal on the Request it sees. */
  used: boolean;
}

/**
 * One call: each attempt is one openapi-fetch call of the caller's options, through `send`, made
 * again by `withRetries`, all within the call's one deadline; what goes wrong becomes a typed error.
 */
export async function callApi(client: ClientContext, verb: Verb, path: string, init: CallInit): Promise<FetchResult> {
  // Plain reads, no rest or spread: on Node 20 an object spread costs a microsecond a call.
  const timeoutMs = init.timeoutMs === undefined ? client.timeoutMs : requireNumber("timeoutMs", init.timeoutMs, 0);
  const redirect =
    init.redirect === undefined ? client.redirect : requireOneOf("redirect", init.redirect, redirectModes);
  const { params, middleware: callerMiddleware } = init;
  const callerSignal = (init.signal === undefined ? client.signal : init.signal) ?? undefined;
  const callerFetch = init.fetch ?? client.fetch;
  if (init.baseUrl !== undefined) checkCallBaseUrl(client.name, init.baseUrl, client.origin);
  let callRedactor: Redactor | undefined;
  const state: CallState = {
    operation: { method: verb, path },
    attempts: 0,
    fetchError: undefined,
    response: undefined,
    redact: () => (callRedactor ??= client.redactor.forCall(params?.path, init.body)),
  };
  const deadline = callDeadline(timeoutMs, init.parseAs === "stream");
  const signal =
    deadline && callerSignal ? AbortSignal.any([callerSignal, deadline.signal]) : (deadline?.signal ?? callerSignal);
  const observer = client.hooks?.[observeKey](state);
  const auth = client.auth?.(signal);
  let middleware = callerMiddleware;
  if (auth || observer) {
    middleware = middleware ? [...middleware] : [];
    if (auth) middleware.push(auth);
    if (observer) middleware.push(observer.middleware);
  }
  // Middleware and a caller's fetch see the signal on the Request; else only the global fetch does.
  const onRequest = signal && (middleware || client.used || callerFetch || init.Request);
  // The caller's options as they are, without ours (openapi-fetch copies unknown ones onto the Request).
  const options: Record<string, unknown> = Object.assign({}, init);
  if ("timeoutMs" in init || "retry" in init) {
    delete options.timeoutMs;
    delete options.retry;
  }
  if ("redirect" in init) options.redirect = "manual";
  options.fetch = send(state, client.origin, redirect, client.maxBytes, callerFetch, onRequest ? undefined : signal);
  if (middleware !== callerMiddleware) options.middleware = middleware;
  if (onRequest) options.signal = signal;
  else if ("signal" in init) options.signal = undefined;
  const attempt = client.base[verb];
  let result: FetchResult;
  try {
    // Checked on the template, before any serializer (openapi-fetch's or the caller's) runs.
    if (path.includes("{")) checkPathParameters(path, params?.path);
    const once = () => attempt(path, options);
    result = await withRetries(once, state, client.policy, init.retry, signal, observer, deadline?.end);
  } catch (error) {
    throw callFailure(error, state, timeoutMs, signal, callerSignal, observer);
  } finally {
    if (deadline) release(deadline);
  }
  return settle(result, state, client, observer);
}

/** A 2xx result as it is; any other carries its ApiError, for `unwrap`, or throws it with `throwOnError`. */
function settle(
  result: FetchResult,
  state: CallState,
  client: ClientContext,
  observer: CallObserver | undefined,
): FetchResult {
  const { response } = result;
  result.status = response.status;
  if (response.ok) return result;
  const error: ApiError = apiError(state, response, result.error, client.policy.statuses.has(response.status));
  observer?.error(error);
  if (client.throwOnError) throw error;
  return Object.defineProperty(result, resultError, { value: error });
}
