import createClient, { defaultPathSerializer, type Client } from "openapi-fetch";
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
  const baseUrl = resolveBaseUrl(options);
  if (typeof options.apiKey !== "string" || options.apiKey.trim() === "") {
    throw new TypeError("createRelayCdmClient: apiKey must be a non-empty string");
  }
  return createClient<paths, "application/json">({
    baseUrl,
    headers: { [apiKeyHeader]: options.apiKey },
    pathSerializer: requireEveryPathParameter,
    ...(options.fetch ? { fetch: options.fetch } : {}),
  });
}

function resolveBaseUrl(options: RelayCdmClientOptions): string {
  if ("environment" in options && options.environment !== undefined) {
    if ("baseUrl" in options && options.baseUrl !== undefined) {
      throw new TypeError("createRelayCdmClient: give either environment or baseUrl, not both");
    }
    const url = environments[options.environment];
    if (!url) {
      throw new TypeError(
        `createRelayCdmClient: environment must be one of ${Object.keys(environments).join(", ")}; got ${JSON.stringify(options.environment)}`,
      );
    }
    return url;
  }
  const { baseUrl } = options;
  if (typeof baseUrl !== "string" || !/^https?:\/\/[^/]/.test(baseUrl)) {
    throw new TypeError(`createRelayCdmClient: baseUrl must be an http(s) URL; got ${JSON.stringify(baseUrl)}`);
  }
  return baseUrl;
}

/**
 * openapi-fetch leaves a `{name}` placeholder in the URL when a path parameter is missing, and an
 * empty string yields a `//` that routes to another resource. Both become a clear error instead.
 */
function requireEveryPathParameter(pathname: string, pathParams: Record<string, unknown>): string {
  for (const [, name] of pathname.matchAll(/\{([^}]+)\}/g)) {
    const value = pathParams?.[name as string];
    if (value === undefined || value === null || value === "") {
      throw new TypeError(`path parameter ${name} is required and must not be empty (${pathname})`);
    }
  }
  return defaultPathSerializer(pathname, pathParams);
}
