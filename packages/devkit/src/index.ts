export { loadApis, getApi, repoRoot, type Api } from "./apis.js";
export { startMock, freePort, type RunningMock, type MockOptions } from "./prism.js";
export {
  loadSpec,
  isObject,
  listOperations,
  getOperation,
  matchOperation,
  deref,
  resolvePointer,
  schemaParts,
  jsonMediaType,
  isJsonType,
  type OpenApiDoc,
  type Operation,
  type Parameter,
  type MediaType,
  type RequestBody,
  type Response as SpecResponse,
  type Schema,
} from "./spec.js";
export {
  requestViolations,
  baselineRequest,
  baselineValue,
  fieldName,
  type ViolationCase,
  type Untestable,
  type RequestInput,
  type RequestViolations,
  type CaseLocation,
} from "./violations.js";
export {
  createValidator,
  validateExamples,
  type SpecValidator,
  type ValidationResult,
  type ResponseToValidate,
  type ExampleProblem,
  type ExampleReport,
} from "./validator.js";
export { recordCoverage, readCoverage, coverageMatrix, declaredKey, type CoverageRecord, type CoverageTotals } from "./coverage.js";
