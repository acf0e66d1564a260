import {
  apiErrorGuard,
  createApiClient,
  requireHeaderValue,
  resolveBaseUrl,
  type ApiClient,
  type RuntimeOptions,
} from "@cx-openapi/runtime";
import { clientName, clientVersion } from "./generated/client-info.js";
import { environments, type Environment } from "./generated/environments.js";
import { piiPathParameters, piiProperties } from "./generated/pii.js";
import type { paths } from "./generated/schema.js";

/** The header Relay reads the API key from. Its name really starts with a double "x". */
export const apiKeyHeader = "xx-relay-api-key";

export type RelayCdmClientOptions<Throw extends boolean = false> = RuntimeOptions<Throw> & {
  /**
   * The API key Relay issued to your client. Sent on every request, never logged, never to another
   * origin. A secret: in a browser the client refuses it unless `dangerouslyAllowBrowser: true`.
   */
  apiKey: string;
} & (
    | { environment: Environment; baseUrl?: EnvironmentOrBaseUrl }
    | { baseUrl: string; environment?: EnvironmentOrBaseUrl }
  );

/** What tsc quotes when both `environment` and `baseUrl` are given: they are alternatives. */
type EnvironmentOrBaseUrl = "(give either environment or baseUrl, not both)";

export type RelayCdmClient<Throw extends boolean = false> = ApiClient<paths, Throw>;

/**
 * Creates a typed client of the Relay CDM API. Every path, parameter, body and result is checked
 * against the spec at compile time; results are narrowed by `status`.
 */
export function createRelayCdmClient<Throw extends boolean = false>(
  options: RelayCdmClientOptions<Throw>,
): RelayCdmClient<Throw> {
  const name = "createRelayCdmClient";
  const { apiKey, environment, baseUrl, ...runtime } = options;
  return createApiClient<paths, Throw>({
    ...runtime,
    baseUrl: resolveBaseUrl(name, { environment, baseUrl }, environments),
    client: { name: clientName, version: clientVersion },
    auth: { header: apiKeyHeader, value: requireHeaderValue(name, "apiKey", apiKey) },
    pii: { piiProperties, piiPathParameters },
  });
}

/**
 * True when `error` is the `ApiError` of that operation and status; narrows `error.body` to the
 * spec's body for it: `if (isApiError(e, "GET", "/path/{id}", 404)) e.body...`.
 */
export const isApiError = /* @__PURE__ */ apiErrorGuard<paths>();
