export { createHiiRelevateClient, type HiiRelevateClient, type HiiRelevateClientOptions } from "./client.js";
export { isApiError } from "./client.js";
export * from "./generated/enums.js";
export type * from "./generated/schema.js";
export {
  clientCredentials,
  TokenRequestError,
  ApiError,
  NetworkError,
  TimeoutError,
  unwrap,
  consoleLogger,
  createHooks,
  type ClientCredentialsOptions,
  type TokenProvider,
  type TokenSource,
  type ClientHooks,
  type Hooks,
  type RetryOptions,
  type StatusResult,
  type CallResult,
  type ErrorBody,
  type Middleware,
} from "@cx-openapi/runtime";
