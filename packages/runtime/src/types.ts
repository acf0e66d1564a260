import type { FetchOptions } from "openapi-fetch";

export type Method = "get" | "put" | "post" | "delete" | "patch" | "head" | "options";
type Verb = Uppercase<Method>;

/** Paths that have an operation for this method. */
export type PathsWith<Paths, M extends Method> = {
  [P in keyof Paths]: Paths[P] extends Record<M, infer Op> ? (Op extends undefined ? never : P) : never;
}[keyof Paths] &
  string;

type OperationOf<Paths, P extends keyof Paths, M extends Method> = Paths[P] extends Record<M, infer Op> ? Op : never;
type ResponsesOf<Op> = Op extends { responses: infer R } ? R : never;
/** The JSON body of a response object, or `undefined` when it has none. */
type BodyOf<R> = R extends { content: { "application/json": infer B } } ? B : undefined;
type SuccessStatus = 200 | 201 | 202 | 203 | 204 | 205 | 206 | 207 | 208 | 226;

/**
 * The result of a call, one member per status the spec declares, discriminated by `status`:
 * after `if (result.status === 404)`, `result.error` has the 404 body type.
 */
export type StatusResult<Op> = {
  [S in keyof ResponsesOf<Op> & number]: S extends SuccessStatus
    ? { status: S; data: BodyOf<ResponsesOf<Op>[S]>; error: undefined; response: Response }
    : { status: S; data: undefined; error: BodyOf<ResponsesOf<Op>[S]>; response: Response };
}[keyof ResponsesOf<Op> & number];

/** The result of a call made with `throwOnError`: only the success statuses remain. */
export type SuccessResult<Op> = Extract<StatusResult<Op>, { error: undefined }>;

/** The error body of one declared status of an operation. */
export type ErrorBody<Op, S extends number> = S extends keyof ResponsesOf<Op> ? BodyOf<ResponsesOf<Op>[S]> : never;

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

type MethodCall<Paths, M extends Method, Throw extends boolean> = <P extends PathsWith<Paths, M>>(
  path: P,
  ...init: InitArgs<FetchOptions<OperationOf<Paths, P, M>>>
) => Promise<Throw extends true ? SuccessResult<OperationOf<Paths, P, M>> : StatusResult<OperationOf<Paths, P, M>>>;

/** A typed client: one method per HTTP verb, each checked against the spec's paths. */
export type ApiClient<Paths, Throw extends boolean = false> = {
  [V in Verb]: MethodCall<Paths, Lowercase<V>, Throw>;
} & {
  /** The same calls with the method as an argument, for code that iterates over operations. */
  request<M extends Method, P extends PathsWith<Paths, M>>(
    method: M,
    path: P,
    ...init: InitArgs<FetchOptions<OperationOf<Paths, P, M>>>
  ): Promise<Throw extends true ? SuccessResult<OperationOf<Paths, P, M>> : StatusResult<OperationOf<Paths, P, M>>>;
};
