import type { Redactor } from "./redact.js";

// Error classes whose `instanceof` works across duplicated copies of this package: the check is
// on a registry symbol carried by the instance, not on the class object of one particular copy.
const kindKey = Symbol.for("@cx-openapi/runtime/error-kind");

type ErrorKind = "ApiError" | "NetworkError" | "TimeoutError" | "TokenRequestError" | "input";

/** Whether an error is one of this runtime's typed errors or input errors (of any copy of it): its message is known to be safe. */
export function isRuntimeError(value: unknown): boolean {
  return typeof (value as Record<symbol, unknown> | null | undefined)?.[kindKey] === "string";
}

/** A TypeError for bad per-call input that the runtime itself raised: its message is known to be safe. */
export function inputError(message: string): TypeError {
  const error = new TypeError(message);
  hide(error, kindKey, "input");
  return error;
}

/** The operation a failed call was for: its method and path template (never the filled-in URL). */
export interface OperationRef {
  method: string;
  path: string;
}

/** `METHOD /path/{template}`: names the operation without any parameter value. */
export function label(operation: OperationRef): string {
  return `${operation.method} ${operation.path}`;
}

/**
 * An Error class whose instances carry `kind`, and whose `instanceof` checks that mark. What
 * JSON.stringify and structured loggers see is the name, the message and the error's own
 * enumerable fields: never its `cause`, nor an ApiError's raw body or response.
 */
function brandedError(kind: ErrorKind) {
  return class extends Error {
    static override [Symbol.hasInstance](value: unknown): boolean {
      return (value as Record<symbol, unknown> | null | undefined)?.[kindKey] === kind;
    }
    override name: string = kind;
    /** `fields` become the error's own enumerable properties, in their order. */
    constructor(message: string, fields?: object, options?: ErrorOptions) {
      super(message, options);
      Object.assign(this, fields);
      hide(this, kindKey, kind);
    }
    toJSON(): Record<string, unknown> {
      return { ...(this as object), message: this.message };
    }
  };
}

/**
 * A response the client cannot use: a status outside 2xx, or a 2xx whose body is not JSON or is
 * over the size limit (`problem` says which). `body` is the parsed error body, typed per status.
 */
export class ApiError<Body = unknown, Status = unknown> extends /* @__PURE__ */ brandedError("ApiError") {
  /**
   * `e instanceof ApiError` narrows to `ApiError<unknown, unknown>`, not `ApiError<any, any>`, so a
   * catch block cannot use the body unchecked; `isApiError` narrows it by operation and status.
   */
  declare static [Symbol.hasInstance]: (value: unknown) => value is ApiError<unknown, unknown>;
  /** The response's status: the literal of a narrowed error (`isApiError(e, ..., 404)`), else a number. */
  declare readonly status: Status extends number ? Status : number;
  declare readonly operation: OperationRef;
  /** The response's request id (`x-request-id`, `request-id`, `x-correlation-id`), if it looks like an id and holds no value of the call. */
  declare readonly requestId: string | undefined;
  /** Whether the same call may succeed if repeated later (408, 429, 502, 503, 504). */
  declare readonly retryable: boolean;
  declare readonly body: Body;
  declare readonly response: Response;
  declare private readonly redactedBody: unknown;

  constructor(init: {
    status: Status extends number ? Status : number;
    operation: OperationRef;
    body: Body;
    redactedBody: unknown;
    response: Response;
    retryable: boolean;
    requestId?: string | undefined;
    /** Why a 2xx could not be used, e.g. "with a body that is not valid JSON". */
    problem?: string | undefined;
  }) {
    // The server's reason phrase is left out: it is free text a server may fill with personal data.
    super(
      `${label(init.operation)} answered ${init.status}` +
        (init.problem ? ` ${init.problem}` : "") +
        (init.requestId ? ` (request id ${init.requestId})` : ""),
      { status: init.status, operation: init.operation, requestId: init.requestId, retryable: init.retryable },
    );
    // Kept off the enumerable surface, so console.log and util.inspect never print raw personal data.
    hide(this, "body", init.body);
    hide(this, "response", init.response);
    hide(this, "redactedBody", init.redactedBody);
  }

  /** What JSON.stringify and structured loggers see: the body with personal data masked. */
  override toJSON() {
    return { ...super.toJSON(), body: this.redactedBody };
  }
}

/**
 * The request never got a response: DNS, refused or reset connection, TLS... `cause` is a copy of
 * what fetch threw: its class, name, message, stack, `code` (e.g. `ECONNREFUSED`), `errno`,
 * `syscall`, `cause` and `errors`, redacted, and nothing else (a thrown string is redacted too).
 */
export class NetworkError extends /* @__PURE__ */ brandedError("NetworkError") {
  declare readonly operation: OperationRef;
  declare readonly attempts: number;
  constructor(operation: OperationRef, reason: string, attempts: number, cause?: unknown) {
    super(
      `${label(operation)} failed: ${reason}${attempts > 1 ? ` (after ${attempts} attempts)` : ""}`,
      { operation, attempts },
      cause === undefined ? undefined : { cause },
    );
  }
}

/** The call, retries included, took longer than its timeout. */
export class TimeoutError extends /* @__PURE__ */ brandedError("TimeoutError") {
  declare readonly operation: OperationRef;
  declare readonly timeoutMs: number;
  declare readonly attempts: number;
  constructor(operation: OperationRef, timeoutMs: number, attempts: number) {
    super(`${label(operation)} timed out after ${timeoutMs} ms (${attempts} attempt${attempts === 1 ? "" : "s"})`, {
      operation,
      timeoutMs,
      attempts,
    });
  }
}

/** The token endpoint failed, timed out or answered something unusable. Never carries the client secret. */
export class TokenRequestError extends /* @__PURE__ */ brandedError("TokenRequestError") {
  declare readonly status?: number;
  constructor(message: string, status?: number) {
    super(message, { status });
  }
}

const requestIdHeaders = ["x-request-id", "request-id", "x-correlation-id", "correlation-id"];
/** What a request id looks like: one short token, no spaces or free text. */
const requestIdShape = /^[\w.:+/=-]{1,128}$/;

/** The response's request id, unless it is not shaped like an id or holds a value `redactor` masks. */
export function requestIdOf(headers: Headers, call: { redact(): Redactor }): string | undefined {
  for (const name of requestIdHeaders) {
    const value = headers.get(name);
    if (value) return requestIdShape.test(value) && call.redact().text(value) === value ? value : undefined;
  }
  return undefined;
}

/** A property that is neither enumerable, writable nor configurable (defineProperty's defaults). */
function hide(target: object, key: PropertyKey, value: unknown): void {
  Object.defineProperty(target, key, { value });
}
