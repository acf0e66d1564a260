import createClient, { type Client } from "openapi-fetch";
import { bearerAuth, requireEveryPathParameter, resolveBaseUrl, type TokenSource } from "@cx-openapi/runtime";
import type { paths } from "./generated/schema.js";

export interface HiiRelevateClientOptions {
  /** The service's base URL. The vendor publishes none; see the spec's servers for the likely hosts. */
  baseUrl: string;
  /** An access token, or a provider such as `clientCredentials(...)` that fetches and renews one. */
  token: TokenSource;
  /** A fetch implementation to use instead of the global one (for tests, proxies or tracing). */
  fetch?: (request: Request) => Promise<Response>;
}

export type HiiRelevateClient = Client<paths, "application/json">;

/**
 * Creates a typed client of the HiiRelevate Customer Service API. Sends the bearer token on every
 * request; with a token provider, a 401 renews the token and retries the request once.
 */
export function createHiiRelevateClient(options: HiiRelevateClientOptions): HiiRelevateClient {
  const name = "createHiiRelevateClient";
  const baseUrl = resolveBaseUrl(name, { baseUrl: options.baseUrl }, {});
  const { token } = options;
  if (typeof token !== "function" && (typeof token !== "string" || token.trim() === "")) {
    throw new TypeError(`${name}: token must be a non-empty string or a token provider function`);
  }
  const client = createClient<paths, "application/json">({
    baseUrl,
    pathSerializer: requireEveryPathParameter,
    ...(options.fetch ? { fetch: options.fetch } : {}),
  });
  client.use(bearerAuth(token));
  return client;
}
