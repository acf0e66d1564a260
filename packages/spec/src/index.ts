// @cx-openapi/spec: the core the sandbox, the contract tests and this repository's tools share. All
// of @cx-openapi/spec/openapi (model, keyword catalogue and schema walker, validator, registry), and
// what needs Node: reading a bundle, running Prism, checking a request target, compiling drift
// validators. Drift checking and its evidence format are @cx-openapi/spec/drift.
export * from "./browser.js";
export { loadSpec } from "./load-spec.js";
export {
  startPrism,
  freePort,
  prismInstalled,
  type RunningPrism,
  type PrismOptions,
} from "./prism.js";
export { originForm, type OriginForm } from "./request-target.js";
export { compileDriftApi, driftSources, driftTable, type DriftSources, type DriftTable } from "./drift-compile.js";
export type { DriftApi } from "./drift/index.js";
