import { ApiError, NetworkError, TimeoutError, isRuntimeError, label, requestIdOf } from "./errors.js";
import type { CallObserver } from "./hooks.js";
import type { Redactor } from "./redact.js";
import { timedOut } from "./signal.js";
import type { CallState } from "./state.js";

/**
 * What a call that got no usable response ends with: a TimeoutError when its deadline passed, the
 * reason of the caller's own abort (no hook fires then), or the typed failure (reported to the hooks).
 */
export function callFailure(
  error: unknown,
  state: CallState,
  timeoutMs: number,
  signal: AbortSignal | undefined,
  callerSignal: AbortSignal | undefined,
  observer: CallObserver | undefined,
): unknown {
  const failure =
    error === timedOut || (signal?.aborted && signal.reason === timedOut)
      ? new TimeoutError(state.operation, timeoutMs, state.attempts)
      : callerSignal?.aborted
        ? undefined
        : toTypedFailure(error, state);
  if (!failure) return callerSignal!.reason;
  observer?.error(failure as Error);
  return failure;
}

/**
 * The typed error a failed attempt ends the call with: never a raw error quoting a value. Errors
 * that are not the platform's (the caller's middleware or serializer threw them) pass as they are.
 */
export function toTypedFailure(error: unknown, state: CallState): unknown {
  const { operation, response } = state;
  if (error === state.fetchError) {
    const cause = scrubbed(error, state.redact());
    const reason =
      cause instanceof Error
        ? `${cause.message}${cause.cause instanceof Error ? `: ${cause.cause.message}` : ""}`
        : String(cause);
    return new NetworkError(operation, reason, state.attempts, cause);
  }
  if (response?.ok && error instanceof SyntaxError) {
    return apiError(state, response, undefined, false, "with a body that is not valid JSON");
  }
  if (isRuntimeError(error)) return error;
  if (!(error instanceof TypeError || error instanceof SyntaxError || error instanceof RangeError)) return error;
  // Bad input that Request, Headers or JSON refused: their messages may quote the value.
  const message = state
    .redact()
    .text(String(error))
    .replace(/"[^"]*"|'[^']*'/g, '"…"');
  return new TypeError(`${label(operation)}: the request could not be made: ${message}`);
}

/** The ApiError of a response: its body redacted for JSON, its request id kept only when it holds no value of the call. */
export function apiError(
  state: CallState,
  response: Response,
  body: unknown,
  retryable: boolean,
  problem?: string,
): ApiError {
  return new ApiError({
    status: response.status,
    operation: state.operation,
    body,
    redactedBody: state.redact().body(body),
    response,
    retryable,
    requestId: requestIdOf(response.headers, state),
    problem,
  });
}

/** The fields a scrubbed copy keeps: the first four hidden, as on any error; the others shown, as on Node's. */
const keptFields = ["name", "stack", "cause", "errors", "code", "errno", "syscall"];

/**
 * What fetch threw, as a copy that keeps only its prototype and `keptFields`, every string
 * redacted, and its causes and errors scrubbed the same way, 4 levels and 8 errors deep at most
 * (cycles end there): never the original, whose other fields (a request, a config with headers)
 * may hold the credentials. A string is redacted.
 */
function scrubbed(value: unknown, redactor: Redactor, depth = 0): unknown {
  if (Object(value) !== value) return typeof value === "string" ? redactor.text(value) : value;
  if (depth > 3) return undefined;
  const source = value as Record<string, unknown>;
  const copy = new Error(redactor.text(String(source.message ?? "")));
  if (value instanceof Error) Object.setPrototypeOf(copy, Object.getPrototypeOf(value));
  keptFields.forEach((key, index) => {
    const field = source[key];
    if (field === undefined) return;
    Object.defineProperty(copy, key, {
      value: Array.isArray(field)
        ? field.slice(0, 8).map((item) => scrubbed(item, redactor, depth + 1))
        : scrubbed(field, redactor, depth + 1),
      enumerable: index > 3,
    });
  });
  return copy;
}
