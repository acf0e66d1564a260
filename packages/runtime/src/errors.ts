// Error classes whose `instanceof` works across duplicated copies of this package: the check is
// on a registry symbol carried by the instance, not on the class object of one particular copy.
const kindKey = Symbol.for("@cx-openapi/runtime/error-kind");

type ErrorKind = "ApiError" | "NetworkError" | "TimeoutError";

function isKind(value: unknown, kind: ErrorKind): boolean {
  return typeof value === "object" && value !== null && (value as Record<symbol, unknown>)[kindKey] === kind;
}

/** The operation a failed call was for: its method and path template (never the filled-in URL). */
export interface OperationRef {
  method: string;
  path: string;
}

/** An Error class whose instances carry `kind`, and whose `instanceof` checks that mark. */
function brandedError(kind: ErrorKind) {
  return class extends Error {
    static override [Symbol.hasInstance](value: unknown): boolean {
      return isKind(value, kind);
    }
    override name: string = kind;
    constructor(message: string) {
      super(message);
      hide(this, kindKey, kind);
    }
  };
}

/** A response outside 2xx. `body` is the parsed error body, typed per status by the client. */
export class ApiError<Body = unknown, Status extends number = number> extends brandedError("ApiError") {
  readonly status: Status;
  readonly operation: OperationRef;
  /** The response's request id header (`x-request-id`, `request-id` or `x-correlation-id`), if any. */
  readonly requestId: string | undefined;
  /** Whether the same call may succeed if repeated later (408, 429, 502, 503, 504). */
  readonly retryable: boolean;
  declare readonly body: Body;
  declare readonly response: Response;
  declare private readonly redactedBody: unknown;

  constructor(init: {
    status: Status;
    operation: OperationRef;
    body: Body;
    redactedBody: unknown;
    response: Response;
    retryable: boolean;
  }) {
    const requestId = requestIdOf(init.response.headers);
    super(
      `${init.operation.method} ${init.operation.path} answered ${init.status}` +
        (init.response.statusText ? ` ${init.response.statusText}` : "") +
        (requestId ? ` (request id ${requestId})` : ""),
    );
    this.status = init.status;
    this.operation = init.operation;
    this.requestId = requestId;
    this.retryable = init.retryable;
    // Kept off the enumerable surface, so console.log and util.inspect never print raw personal data.
    hide(this, "body", init.body);
    hide(this, "response", init.response);
    hide(this, "redactedBody", init.redactedBody);
  }

  /** What JSON.stringify and structured loggers see: the body with personal data masked. */
  toJSON() {
    return {
      name: this.name,
      message: this.message,
      status: this.status,
      operation: this.operation,
      requestId: this.requestId,
      retryable: this.retryable,
      body: this.redactedBody,
    };
  }
}

/** The request never got a response: DNS, refused or reset connection, TLS... */
export class NetworkError extends brandedError("NetworkError") {
  constructor(
    readonly operation: OperationRef,
    reason: string,
    readonly attempts: number,
  ) {
    super(`${operation.method} ${operation.path} failed: ${reason}${attempts > 1 ? ` (after ${attempts} attempts)` : ""}`);
  }
  toJSON() {
    return { name: this.name, message: this.message, operation: this.operation, attempts: this.attempts };
  }
}

/** The call, retries included, took longer than its timeout. */
export class TimeoutError extends brandedError("TimeoutError") {
  constructor(
    readonly operation: OperationRef,
    readonly timeoutMs: number,
    readonly attempts: number,
  ) {
    super(`${operation.method} ${operation.path} timed out after ${timeoutMs} ms (${attempts} attempt${attempts === 1 ? "" : "s"})`);
  }
  toJSON() {
    return { name: this.name, message: this.message, operation: this.operation, timeoutMs: this.timeoutMs, attempts: this.attempts };
  }
}

const requestIdHeaders = ["x-request-id", "request-id", "x-correlation-id", "correlation-id"];

export function requestIdOf(headers: Headers): string | undefined {
  for (const name of requestIdHeaders) {
    const value = headers.get(name);
    if (value) return value;
  }
  return undefined;
}

function hide(target: object, key: PropertyKey, value: unknown): void {
  Object.defineProperty(target, key, { value, enumerable: false, writable: false, configurable: false });
}
