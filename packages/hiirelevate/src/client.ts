import {
  apiErrorGuard,
  bearerAuth,
  createApiClient,
  requireHeaderValue,
  requireHttpUrl,
  type ApiClient,
  type RuntimeOptions,
  type TokenSource,
} from "@cx-openapi/runtime";
import { clientName, clientVersion } from "./generated/client-info.js";
import { piiPathParameters, piiProperties } from "./generated/pii.js";
import type { paths } from "./generated/schema.js";

export type HiiRelevateClientOptions<Throw extends boolean = false> = RuntimeOptions<Throw> & {
  /** The service's base URL. The vendor publishes none; see the spec's servers for the likely hosts. */
  baseUrl: string;
  /** An access token, or a provider such as `clientCredentials(...)` that fetches and renews one. */
  token: TokenSource;
};

export type HiiRelevateClient<Throw extends boolean = false> = ApiClient<paths, Throw>;

/**
 * Creates a typed client of the HiiRelevate Customer Service API. Sends the bearer token on every
 * request; with a token provider, a 401 renews the token and retries the request once.
 */
export function createHiiRelevateClient<Throw extends boolean = false>(
  options: HiiRelevateClientOptions<Throw>,
): HiiRelevateClient<Throw> {
  const name = "createHiiRelevateClient";
  const { baseUrl, token, ...runtime } = options;
  if (typeof token !== "function" && (typeof token !== "string" || token.trim() === "")) {
    throw new TypeError(`${name}: token must be a non-empty string or a token provider function`);
  }
  if (typeof token === "string") requireHeaderValue(name, "token", token);
  return createApiClient<paths, Throw>({
    ...runtime,
    baseUrl: requireHttpUrl(name, "baseUrl", baseUrl),
    client: { name: clientName, version: clientVersion },
    auth: { middleware: (call) => bearerAuth(token, call) },
    pii: { piiProperties, piiPathParameters },
  });
}

/**
 * True when `error` is the `ApiError` of that operation and status; narrows `error.body` to the
 * spec's body for it: `if (isApiError(e, "GET", "/path/{id}", 404)) e.body...`.
 */
export const isApiError = /* @__PURE__ */ apiErrorGuard<paths>();
