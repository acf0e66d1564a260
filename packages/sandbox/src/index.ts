export {
  createSandbox,
  apiNames,
  controlPrefix,
  tokenPath,
  type Sandbox,
  type SandboxOptions,
  type ApiName,
} from "./sandbox.js";
export { createEngine, problem, type Engine, type ApiBehaviour, type Reply } from "./engine.js";
export {
  Store,
  SandboxDataError,
  SandboxSaveError,
  type StoreOptions,
  type Persistence,
  type KeptState,
} from "./store.js";
export { fileStore } from "./file-store.js";
export { buildSeed } from "./seed.js";
export { relayHandlers, relayBehaviour, relayLimits } from "./relay-cdm.js";
export { hiiHandlers, hiiBehaviour, issueToken, nestError, plainTokenTenant } from "./hiirelevate.js";
export type { SandboxState } from "./state.js";
export type { SandboxRequest, SandboxResponse, Handlers, ReplyOf, BodyOf, PathOf } from "./types.js";
export { startMock, freePort, type RunningMock, type MockOptions } from "./prism.js";
export { loadSpec } from "./load-spec.js";
export {
  isObject,
  listOperations,
  getOperation,
  matchOperation,
  deref,
  resolvePointer,
  schemaParts,
  refsOf,
  jsonMediaType,
  isJsonType,
  fieldName,
  type CaseLocation,
  type OpenApiDoc,
  type Operation,
  type Parameter,
  type MediaType,
  type RequestBody,
  type Response as SpecResponse,
  type Schema,
} from "./openapi.js";
export {
  createValidator,
  validateExamples,
  type SpecValidator,
  type ValidationResult,
  type ResponseToValidate,
  type ExampleProblem,
  type ExampleReport,
} from "./validator.js";
export { launchSandbox, defaultPorts, type Launched, type LaunchOptions } from "./launch.js";
export { serveSandbox, type RunningSandbox, type ServeOptions, type Gate } from "./server.js";
export { defaultLimits, nestsDeeperThan, type Limits } from "./limits.js";
export { originForm, type OriginForm } from "./request-target.js";
export type { CorsOrigins } from "./cors.js";
export { sandboxFetch, toSandboxRequest, toResponse } from "./fetch.js";
export { FaultInjector, faultHeaders, type FaultRule } from "./faults.js";
export { runCli, parseCli } from "./cli.js";
export {
  startDeviationProxy,
  type Deviation,
  type DeviationSummary,
  type RunningDeviationProxy,
} from "./deviation-proxy.js";
