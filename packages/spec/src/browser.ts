// @cx-openapi/spec/openapi: what runs anywhere, a browser included (the sandbox's MSW handlers): the
// OpenAPI document model, the schema keyword catalogue and walker, the validator and the API
// registry. No Node built-ins.
export * from "./openapi.js";
export {
  annotationKeywords,
  dataKeywords,
  holdsSubschemas,
  keywordFacts,
  keywordsOfType,
  keywordsWhere,
  lowerBoundKeywords,
  openApiKeywords,
  schemaKeywords,
  subschemaKeywords,
  upperBoundKeywords,
  type BoundKeyword,
  type InstanceType,
  type KeywordFacts,
  type SchemaKeyword,
} from "./keywords.js";
export { escapePointer, forEachNode, subschemasOf, walkSchema, type Subschema } from "./schema-walk.js";
export {
  createValidator,
  validateExamples,
  type SpecValidator,
  type ValidationResult,
  type ResponseToValidate,
  type ExampleProblem,
  type ExampleReport,
  type ErrorObject,
} from "./validator.js";
export { apiNames, apiRegistry, isApiName, sandboxPorts, type ApiName, type RegisteredApi } from "./registry.js";
export { collectPii, type PiiFact } from "./pii.js";
