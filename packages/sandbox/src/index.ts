// @cx-openapi/sandbox: what its README documents, nothing more. The MSW handlers are
// @cx-openapi/sandbox/msw; the OpenAPI model, the validator and Prism are @cx-openapi/spec's.
export { createSandbox, type Sandbox, type SandboxOptions, type ApiName } from "./sandbox.js";
export { serveSandbox, type RunningSandbox, type ServeOptions, type Gate } from "./server.js";
export { launchSandbox, type Launched, type LaunchOptions } from "./launch.js";
export { runCli, sandboxOptions, sandboxOptionUsage, launchOptionsOf, type SandboxCliValues } from "./cli.js";
export { fileStore, type FileStoreOptions } from "./file-store.js";
export { checkPortsFree, explainBusyPort, sandboxPortClaims, type PortClaim } from "./ports.js";
export type { Persistence, KeptState } from "./store.js";
export type { SandboxState } from "./state.js";
export type { SandboxRequest, SandboxResponse } from "./types.js";
export { plainTokenTenant } from "./hiirelevate.js";
export { sandboxFetch } from "./fetch.js";
export { defaultLimits, type Limits } from "./limits.js";
export type { FaultRule, FaultProfile, Delay, FaultEffect } from "./faults.js";
export { loadBundledSpec } from "./launch-files.js";
export { checkFaultRules } from "./fault-rules.js";
export type { Override } from "./overrides.js";
export type { ClockChange } from "./clock.js";
export { namespaceHeader } from "./worlds.js";
export type { Journal, JournalEntry, JournalFault, JournalViolation } from "./journal.js";
export type { CorsOrigins } from "./cors.js";
export {
  startDeviationProxy,
  type DeviationProxyOptions,
  type Deviation,
  type DeviationSummary,
  type RunningDeviationProxy,
  type ProxiedExchange,
} from "./deviation-proxy.js";
