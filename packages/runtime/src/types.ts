import type { FetchOptions, Middleware, ParseAs, RequestBodyOption } from "openapi-fetch";

export type Method = "get" | "put" | "post" | "delete" | "patch" | "head" | "options" | "trace";
type Verb = Uppercase<Method>;

/** Paths that have an operation for this method. */
export type PathsWith<Paths, M extends Method> = {
  [P in keyof Paths]: Paths[P] extends Record<M, infer Op> ? (Op extends undefined ? never : P) : never;
}[keyof Paths] &
  string;

export type OperationOf<Paths, P extends keyof Paths, M extends Method> =
  Paths[P] extends Record<M, infer Op> ? Op : never;
type ResponsesOf<Op> = Op extends { responses: infer R } ? R : never;
/** The JSON body of a response object, or `undefined` when it has none. */
type BodyOf<R> = R extends { content: { "application/json": infer B } } ? B : undefined;
export type SuccessStatus = 200 | 201 | 202 | 203 | 204 | 205 | 206 | 207 | 208 | 226;

/** A 2xx result: `data` is the body; there is no `error` key, as in openapi-fetch. */
export interface Success<S extends number, Data> {
  status: S;
  data: Data;
  error?: never;
  response: Response;
}

/** A non-2xx result: `error` is the body; there is no `data` key, as in openapi-fetch. */
export interface Failure<S extends number, Body> {
  status: S;
  data?: never;
  error: Body;
  response: Response;
}

type Members<R> = {
  [S in keyof R & number]: S extends SuccessStatus ? Success<S, BodyOf<R[S]>> : Failure<S, BodyOf<R[S]>>;
}[keyof R & number];

/**
 * The result of a call, one member per status the spec declares, discriminated by `status`:
 * after `if (result.status === 404)`, `result.error` has the 404 body type.
 */
export type StatusResult<Op> = Members<ResponsesOf<Op>>;

/** The result of a call made with `throwOnError`: only the success statuses remain. */
export type SuccessResult<Op> = Extract<StatusResult<Op>, { status: SuccessStatus }>;

/**
 * The result of `client.GET(path)` and the other methods: what `StatusResult` is for the
 * operation, named by its method and path (a short hover instead of the operation's structure).
 */
export type CallResult<Paths, M extends Method, P extends keyof Paths> = Members<
  ResponsesOf<OperationOf<Paths, P, M>>
> & {};
/** `CallResult` with only the success statuses, for a client made with `throwOnError`. */
export type CallSuccess<Paths, M extends Method, P extends keyof Paths> = Extract<
  CallResult<Paths, M, P>,
  { status: SuccessStatus }
> & {};

/** The error body of one declared status of an operation. */
export type ErrorBody<Op, S extends number> = S extends keyof ResponsesOf<Op> ? BodyOf<ResponsesOf<Op>[S]> : never;

/** The statuses an operation declares outside 2xx. */
export type ErrorStatus<Op> = Exclude<keyof ResponsesOf<Op> & number, SuccessStatus>;

/** Options of one call, on top of openapi-fetch's (params, body, headers, signal...). */
export interface CallOptions {
  /** Bounds the whole call, retries included. Overrides the client's `timeoutMs`. */
  timeoutMs?: number;
  /**
   * Allows retries of a call whose method is not idempotent (POST, PATCH): set it only when
   * repeating the call cannot duplicate a write. `false` turns retries off for this call.
   */
  retry?: boolean;
}

type RequiredKeys<T> = { [K in keyof T]-?: {} extends Pick<T, K> ? never : K }[keyof T];
type InitArgs<Init> = RequiredKeys<Init> extends never ? [init?: Init & CallOptions] : [init: Init & CallOptions];

/** What `data` is for each `parseAs`, as in openapi-fetch: the parsed JSON body for `"json"`. */
interface ParsedBody {
  text: string;
  blob: Blob;
  arrayBuffer: ArrayBuffer;
  stream: ReadableStream<Uint8Array> | null;
}

/** A result whose 2xx members carry `data` as `parseAs` reads it (each one for a union); error bodies are parsed as always. */
type ParsedResult<R, As> =
  R extends Success<infer S, unknown> ? (As extends keyof ParsedBody ? Success<S, ParsedBody[As]> : R) : R;

type Outcome<Paths, M extends Method, P extends keyof Paths, Throw extends boolean, As> = [As] extends ["json"]
  ? Throw extends true
    ? CallSuccess<Paths, M, P>
    : CallResult<Paths, M, P>
  : ParsedResult<Throw extends true ? CallSuccess<Paths, M, P> : CallResult<Paths, M, P>, As>;

/** The call's options, with `parseAs` inferred so that `data` follows it. */
type Init<Paths, M extends Method, P extends keyof Paths, As extends ParseAs> = Omit<
  FetchOptions<OperationOf<Paths, P, M>>,
  "body"
> &
  NamedBody<OperationOf<Paths, P, M>> & { parseAs?: As };

/** The request body as the spec declares it, e.g. `components["schemas"]["OnboardCustomerRequest"]`. */
type DeclaredBody<Op> = Op extends { requestBody?: infer R }
  ? NonNullable<R> extends { content: infer C }
    ? C[keyof C]
    : never
  : never;

/**
 * openapi-fetch's `body` option, but typed with the spec's own name where it is the same type.
 * openapi-fetch maps the body through `Writable` (for read-only markers, which our generated types
 * do not carry); the mapped type has no name, so tsc printed the whole structure in a message
 * about a missing field instead of `OnboardCustomerRequest`.
 */
type NamedBody<Op> =
  RequestBodyOption<Op> extends { body: infer W }
    ? { body: SameOrWritable<DeclaredBody<Op>, W> }
    : RequestBodyOption<Op> extends { body?: infer W }
      ? { body?: SameOrWritable<DeclaredBody<Op>, NonNullable<W>> }
      : RequestBodyOption<Op>;
type SameOrWritable<Declared, W> = [Declared] extends [W] ? ([W] extends [Declared] ? Declared : W) : W;

// Written out instead of `PathsWith<Paths, M>`, so that tsc's message for a path typo lists the
// paths that exist rather than naming the alias.
type MethodCall<Paths, M extends Method, Throw extends boolean> = <
  P extends {
    [K in keyof Paths]: Paths[K] extends Record<M, infer Op> ? (Op extends undefined ? never : K) : never;
  }[keyof Paths] &
    string,
  As extends ParseAs = "json",
>(
  path: P,
  ...init: InitArgs<Init<Paths, M, P, As>>
) => Promise<Outcome<Paths, M, P, Throw, As>>;

/**
 * A typed client: one method per HTTP verb, each checked against the spec's paths, and
 * openapi-fetch's `use`/`eject` for middleware that may change requests and responses.
 */
export type ApiClient<Paths, Throw extends boolean = false> = {
  [V in Verb]: MethodCall<Paths, Lowercase<V>, Throw>;
} & {
  /** The same calls with the method as an argument, for code that iterates over operations. */
  request<M extends Method, P extends PathsWith<Paths, M>, As extends ParseAs = "json">(
    method: M,
    path: P,
    ...init: InitArgs<Init<Paths, M, P, As>>
  ): Promise<Outcome<Paths, M, P, Throw, As>>;
  /** Adds middleware to every later call, before the call's own `middleware` (openapi-fetch's `use`). */
  use(...middleware: Middleware[]): void;
  /** Removes middleware added by `use`. */
  eject(...middleware: Middleware[]): void;
};
