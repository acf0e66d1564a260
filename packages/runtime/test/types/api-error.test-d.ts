// Compile-time proof of what `instanceof ApiError` gives a caller: ApiError<unknown, unknown>,
// never any (the body must be checked before use), with the status still a number. Both clients
// export this very class (their guard tests check it); isApiError narrows further, per operation.
import { expectTypeOf } from "vitest";
import { ApiError } from "../../src/index.js";

export function caughtByClass(e: unknown) {
  if (!(e instanceof ApiError)) return;
  expectTypeOf(e).toEqualTypeOf<ApiError<unknown, unknown>>();
  expectTypeOf(e.status).toEqualTypeOf<number>();
}
