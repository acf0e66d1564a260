// The response and example validator lives in the publishable @cx-openapi/sandbox (its gate outside
// this repository); the contract tests use the same one.
export {
  createValidator,
  validateExamples,
  type SpecValidator,
  type ValidationResult,
  type ResponseToValidate,
  type ExampleProblem,
  type ExampleReport,
} from "@cx-openapi/sandbox";
