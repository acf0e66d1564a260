// Type-level helpers for the clients' compile-time tests (*.test-d.ts).
import type {
  ApiError,
  ApiErrorOf,
  CallResult,
  ErrorStatus,
  Method,
  OperationOf,
  PathsWith,
} from "@cx-openapi/runtime";

/** Exact type equality (not mutual assignability): `any` or an extra optional key is a difference. */
export type Equal<A, B> = (<T>() => T extends A ? 1 : 2) extends <T>() => T extends B ? 1 : 2 ? true : false;

/**
 * `true` when, for each method, each path that has it and each error status it declares,
 * isApiError's narrowed type is the ApiError of that call's own error body.
 */
export type GuardNarrows<Paths> = {
  [M in Method]: {
    [P in PathsWith<Paths, M>]: {
      [S in ErrorStatus<OperationOf<Paths, P, M>>]: Equal<
        ApiErrorOf<Paths, M, P, S>,
        ApiError<Extract<CallResult<Paths, M, P>, { status: S }>["error"], S>
      >;
    }[ErrorStatus<OperationOf<Paths, P, M>>];
  }[PathsWith<Paths, M>];
}[Method];
