// @cx-openapi/spec/drift: checking real responses against a spec, and the evidence format
// (cx-drift/1). Runs anywhere (no Node built-ins, no dependency, no eval): each client's drift entry
// (@cx-openapi/relay-cdm/drift, ...) carries a copy of it, with its API's precompiled validators
// (@cx-openapi/spec/drift/<api>); the deviation proxy and `pnpm drift:report` use it as it is.
export {
  createDriftReporter,
  credentialValues,
  type DriftReporter,
  type DriftReporterOptions,
  type DriftResponseParams,
} from "./reporter.js";
export { DriftError } from "./error.js";
export { baseOf, checkExchange, findOperation, maxEventsPerExchange, type ExchangeToCheck } from "./check.js";
export { driftEvidence, type DriftEvidence, type DriftEvidenceOptions } from "./evidence.js";
export {
  evidenceFormat,
  EvidenceFormatError,
  mergeEvidence,
  parseEvidenceRecord,
  type DeviationRecord,
  type EvidenceRecord,
  type TotalsRecord,
} from "./evidence-format.js";
export { stringShape } from "./shape.js";
export type {
  CompiledValidator,
  DriftApi,
  DriftEvent,
  DriftOperation,
  DriftResponse,
  ExchangeOutcome,
  ObservedShape,
  ObservedType,
  OperationName,
  ValidatorError,
} from "./types.js";
