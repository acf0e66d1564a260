import createClient, { type Client } from "openapi-fetch";
import { requireEveryPathParameter, requireText, resolveBaseUrl } from "@cx-openapi/runtime";
import { environments, type Environment } from "./generated/environments.js";
import type { paths } from "./generated/schema.js";

/** The header Relay reads the API key from. Its name really starts with a double "x". */
export const apiKeyHeader = "xx-relay-api-key";

interface CommonOptions {
  /** The API key Relay issued to your client. Sent on every request. */
  apiKey: string;
  /** A fetch implementation to use instead of the global one (for tests, proxies or tracing). */
  fetch?: (request: Request) => Promise<Response>;
}

export type RelayCdmClientOptions = CommonOptions &
  ({ environment: Environment; baseUrl?: never } | { baseUrl: string; environment?: never });

export type RelayCdmClient = Client<paths, "application/json">;

/**
 * Creates a typed client of the Relay CDM API. Every method and path, parameter, body and result
 * is checked against the spec at compile time; the API key header is added to every request.
 */
export function createRelayCdmClient(options: RelayCdmClientOptions): RelayCdmClient {
  const name = "createRelayCdmClient";
  const baseUrl = resolveBaseUrl(name, options, environments);
  const apiKey = requireText(name, "apiKey", options.apiKey);
  return createClient<paths, "application/json">({
    baseUrl,
    headers: { [apiKeyHeader]: apiKey },
    pathSerializer: requireEveryPathParameter,
    ...(options.fetch ? { fetch: options.fetch } : {}),
  });
}
