// Compile-time proof that isApiError narrows the body for EVERY operation and error status of the
// spec: the guard's predicate is ApiErrorOf<paths, method, path, status>, whose body is the error
// body of the same result (narrowing.test-d.ts pins those against the spec), and for the example
// below (every error response of HiiRelevate is an ErrorResponse).
import type { GuardNarrows } from "@cx-openapi/devkit/type-tests";
import type { ApiErrorOf, ApiError as RuntimeApiError } from "@cx-openapi/runtime";
import { expectTypeOf } from "vitest";
import type { paths } from "../../src/generated/schema.js";
import { type ApiError, isApiError, type ErrorResponse } from "../../src/index.js";

// For each method, each path that has it, each error status it declares: the narrowed error.
expectTypeOf<GuardNarrows<paths>>().toEqualTypeOf<true>();

// The guard's own signature gives that type, and refuses what the spec does not declare.
export function caught(e: unknown) {
  if (isApiError(e, "GET", "/customers/{customerId}", 404)) {
    expectTypeOf(e).toEqualTypeOf<ApiErrorOf<paths, "get", "/customers/{customerId}", 404>>();
    expectTypeOf(e.status).toEqualTypeOf<404>();
    expectTypeOf(e.body).toEqualTypeOf<ErrorResponse>();
  }
  // @ts-expect-error 200 is not an error status
  isApiError(e, "GET", "/customers/{customerId}", 200);
  // @ts-expect-error no such path
  isApiError(e, "GET", "/nowhere", 404);
  // @ts-expect-error the method is uppercase, as the client's
  isApiError(e, "get", "/customers/{customerId}", 404);
}

// The class the client exports is the runtime's, whose instanceof narrowing the runtime's own type
// test pins (ApiError<unknown, unknown>, never any).
expectTypeOf<typeof ApiError>().toEqualTypeOf<typeof RuntimeApiError>();
