export { createRelayCdmClient, apiKeyHeader, type RelayCdmClient, type RelayCdmClientOptions } from "./client.js";
export { isApiError } from "./client.js";
export { environments, type Environment } from "./generated/environments.js";
export * from "./generated/enums.js";
export type * from "./generated/schema.js";
export {
  ApiError,
  NetworkError,
  TimeoutError,
  unwrap,
  consoleLogger,
  createHooks,
  type ClientHooks,
  type Hooks,
  type RetryOptions,
  type StatusResult,
  type CallResult,
  type ErrorBody,
  type Middleware,
} from "@cx-openapi/runtime";
