import { ApiError } from "./errors.js";
import type { SuccessStatus } from "./types.js";

/** Where a non-2xx result keeps the ApiError built for it, for `unwrap`. */
export const resultError = Symbol.for("@cx-openapi/runtime/result-error");

interface AnyResult {
  status?: number;
  data?: unknown;
  error?: unknown;
  response: Response;
}

/**
 * Returns a call's data, or throws its `ApiError` when the response is not 2xx. For one call what
 * the client's `throwOnError` option does for all of them:
 * `const customer = await unwrap(relay.GET(...))`.
 */
export async function unwrap<R extends AnyResult>(
  result: R | Promise<R>,
): Promise<Extract<R, { status: SuccessStatus }>["data"]> {
  const settled = await result;
  if (settled.response.ok) return settled.data as Extract<R, { status: SuccessStatus }>["data"];
  const error = (settled as unknown as Record<symbol, unknown>)[resultError];
  if (error instanceof ApiError) throw error;
  throw new TypeError("unwrap: the result did not come from a cx-openapi client");
}
