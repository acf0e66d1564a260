// Test machinery only: contract tests of a client against its Prism mock, the spec-driven request
// violations and the coverage matrix. The model, the validator and Prism are @cx-openapi/spec's.
export {
  requestViolations,
  baselineRequest,
  baselineValue,
  type ViolationCase,
  type Untestable,
  type RequestInput,
  type RequestViolations,
} from "./violations.js";
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
export { mocksReady } from "./mocks-ready.js";
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
