// @cx-openapi/spec: the core the sandbox, the contract tests and this repository's tools share. All
// of @cx-openapi/spec/openapi (model, keyword catalogue and schema walker, validator, registry), and
// what needs Node: reading a bundle, running Prism, checking a request target.
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
