// Test machinery only: contract tests of a client against its Prism mock, the spec-driven request
// violations, response validation and the coverage matrix. The tooling core is scripts/lib.
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
export {
  recordCoverage,
  readCoverage,
  coverageMatrix,
  declaredKey,
  type CoverageRecord,
  type CoverageTotals,
} from "./coverage.js";
export {
  createContract,
  credentialsFor,
  withHeader,
  parseJson,
  successStatus,
  hasSuccessBody,
  successExamples,
  isPublic,
  expectFieldByField,
  send,
  type Contract,
  type ContractOptions,
  type Credentials,
  type AnyClient,
  type CallResult,
  type Fetch,
  type RuntimeRequest,
} from "./contract.js";
export {
  describeOperations,
  describeRequestConstraints,
  describePathEncoding,
  violationsOf,
  namesField,
  type SuccessCalls,
  type OperationSuiteOptions,
  type EncodedParameter,
} from "./contract-suites.js";
