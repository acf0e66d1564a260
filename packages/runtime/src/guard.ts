import { ApiError } from "./errors.js";
import type { ErrorBody, ErrorStatus, Method, OperationOf, PathsWith } from "./types.js";

/** The `ApiError` one declared error status of one operation ends with: its body typed from the spec. */
export type ApiErrorOf<Paths, M extends Method, P extends keyof Paths, S extends number> = ApiError<
  ErrorBody<OperationOf<Paths, P, M>, S>,
  S
>;

/** See `apiErrorGuard`. */
export type ApiErrorGuard<Paths> = <
  M extends Uppercase<Method>,
  P extends PathsWith<Paths, Lowercase<M>>,
  S extends ErrorStatus<OperationOf<Paths, P, Lowercase<M>>>,
>(
  error: unknown,
  method: M,
  path: P,
  status: S,
) => error is ApiErrorOf<Paths, Lowercase<M>, P, S>;

/**
 * A type guard for catch blocks: `isApiError(e, "GET", "/customers/{id}", 404)` is true when `e`
 * is the ApiError of that operation and status, and narrows `e.body` to the spec's 404 body.
 * Method, path and status are checked at compile time against the spec, and at run time.
 */
export function apiErrorGuard<Paths>(): ApiErrorGuard<Paths> {
  return ((error: unknown, method: string, path: string, status: number) =>
    error instanceof ApiError &&
    error.status === status &&
    error.operation.path === path &&
    error.operation.method === method) as ApiErrorGuard<Paths>;
}
