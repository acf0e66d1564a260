export { createApiClient, type ClientConfig, type RuntimeOptions } from "./client.js";
export { ApiError, NetworkError, TimeoutError, type OperationRef } from "./errors.js";
export { unwrap } from "./unwrap.js";
export {
  consoleLogger,
  createHooks,
  type ClientHooks,
  type Hooks,
  type RequestEvent,
  type ResponseEvent,
  type RetryEvent,
  type ErrorEvent,
} from "./hooks.js";
export { retryDelay, retryPolicy, type RetryOptions } from "./retry.js";
export { createRedactor, redacted, type RedactionRules, type Redactor } from "./redact.js";
export type {
  ApiClient,
  CallResult,
  CallSuccess,
  Success,
  Failure,
  StatusResult,
  SuccessResult,
  ErrorBody,
  ErrorStatus,
  OperationOf,
  CallOptions,
  PathsWith,
  Method,
} from "./types.js";
export { apiErrorGuard, type ApiErrorGuard, type ApiErrorOf } from "./guard.js";
export type { Middleware } from "openapi-fetch";
export {
  resolveBaseUrl,
  requireHttpUrl,
  requireText,
  requireHeaderValue,
  requireEveryPathParameter,
  refuseSecretInBrowser,
} from "./options.js";
export { clientCredentials, TokenRequestError, type ClientCredentialsOptions, type TokenProvider } from "./oauth.js";
export { bearerAuth, type BearerAuthOptions, type TokenSource } from "./auth.js";
