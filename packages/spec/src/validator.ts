import { Ajv2020, type ErrorObject, type Options, type ValidateFunction } from "ajv/dist/2020.js";
export type { ErrorObject };
import addFormatsModule from "ajv-formats";
import { boundedErrors } from "./drift/bounded.js";
import { dataKeywords, openApiKeywords } from "./keywords.js";
import {
  deref,
  isObject,
  listOperations,
  resolvePointer,
  type MediaType,
  type OpenApiDoc,
  type Schema,
} from "./openapi.js";
import { escapePointer, forEachNode, walkSchema } from "./schema-walk.js";

// ajv-formats is CommonJS: under NodeNext its default import is the whole module.
const addFormats = addFormatsModule.default;

/** The `$id` the spec's component schemas are registered under. */
export const baseId = "urn:cx-openapi:spec";

export interface ValidationResult {
  valid: boolean;
  errors: string[];
}

export interface ResponseToValidate {
  operationId: string;
  status: number;
  /** The response's Content-Type header; undefined or empty when there is none. */
  contentType?: string | undefined;
  /** The parsed JSON body, or the text when it is not JSON; undefined when the body is empty. */
  body: unknown;
}

export interface SpecValidator {
  /** Validates a value against a schema taken from the spec (its `$ref`s resolve in the spec). */
  validate(schema: Schema, value: unknown): ValidationResult;
  /**
   * Ajv's own errors for a value (none when it is valid), for callers that word their own messages:
   * at most `max`, the first ones found, at a cost bounded whatever the value (drift/bounded.ts).
   */
  errorsOf(schema: Schema, value: unknown, max?: number): ErrorObject[];
  /** Validates a response against the operation's declared responses; an undeclared status fails. */
  validateResponse(response: ResponseToValidate): ValidationResult;
}

/**
 * A JSON Schema 2020-12 validator of one spec, in Ajv's strict mode. The spec's component schemas are
 * registered under one `$id`; `#/components/schemas/X` refs are rewritten to point there.
 */
export function createValidator(doc: OpenApiDoc): SpecValidator {
  const ajv = specAjv(doc, true);
  // Compile every component now, so strict mode reports a bad keyword even in an unused schema.
  for (const name of Object.keys(doc.components?.schemas ?? {}))
    ajv.compile({ $ref: `${baseId}#/$defs/${name.replace(/~/g, "~0").replace(/\//g, "~1")}` });
  const compile = compiler(doc, ajv);
  // The first-error validator, compiled on first use: it decides validity in one linear pass.
  let firstErrorAjv: Ajv2020 | undefined;
  let compileFirstError: ((schema: Schema) => ValidateFunction) | undefined;
  const firstError = (schema: Schema) => {
    firstErrorAjv ??= specAjv(doc, false);
    compileFirstError ??= compiler(doc, firstErrorAjv);
    return compileFirstError(schema);
  };

  const validate = (schema: Schema, value: unknown): ValidationResult => {
    const fn = compile(schema);
    const valid = fn(value);
    return { valid, errors: valid ? [] : formatErrors(fn.errors) };
  };

  const errorsOf = (schema: Schema, value: unknown, max = Number.POSITIVE_INFINITY): ErrorObject[] =>
    boundedErrors(firstError(schema), compile(schema), value, max);

  const operations = new Map(listOperations(doc).map((op) => [op.operationId, op]));
  const validateResponse = ({ operationId, status, contentType, body }: ResponseToValidate): ValidationResult => {
    const operation = operations.get(operationId);
    if (!operation) throw new Error(`No operation "${operationId}" in the spec`);
    const key = [String(status), `${String(status)[0]}XX`, "default"].find((k) => operation.responses[k]);
    const declared = key === undefined ? undefined : operation.responses[key];
    if (!declared) {
      return fail(
        `${operationId}: status ${status} is not declared (declared: ${Object.keys(operation.responses).join(", ")})`,
      );
    }
    if (!declared.content || Object.keys(declared.content).length === 0) {
      return body === undefined || body === ""
        ? ok()
        : fail(`${operationId} ${status}: the spec declares no body, but one came back`);
    }
    const media = findMediaType(declared.content, contentType);
    if (!media) {
      return fail(
        `${operationId} ${status}: content type ${JSON.stringify(contentType ?? "")} is not declared (declared: ${Object.keys(declared.content).join(", ")})`,
      );
    }
    if (media.schema === undefined) return ok();
    const result = validate(media.schema, body);
    return result.valid ? result : fail(...result.errors.map((e) => `${operationId} ${status} body: ${e}`));
  };

  return { validate, errorsOf, validateResponse };
}

/**
 * An Ajv instance for one spec, in strict mode, with the spec's component schemas registered under
 * one `$id` (`#/components/schemas/X` refs are rewritten to point there).
 */
export function specAjv(doc: OpenApiDoc, allErrors: boolean, tuning: SpecAjvTuning = {}): Ajv2020 {
  // strictTypes and strictRequired would reject valid 2020-12 such as an allOf member
  // `{ required: [...] }` that names properties declared in a sibling; every other strict check
  // (unknown keywords above all) stays on.
  const { prepare = (schema: unknown) => schema, ...options } = tuning;
  const ajv = new Ajv2020({ strict: true, strictTypes: false, strictRequired: false, allErrors, ...options });
  addFormats(ajv);
  // Strict mode rejects unknown keywords: the OpenAPI ones and every x- extension are annotations.
  for (const keyword of [...openApiKeywords, ...extensionKeywords(doc)]) ajv.addKeyword({ keyword });
  const schemas = (doc.components?.schemas ?? {}) as Record<string, Schema>;
  ajv.addSchema({
    $id: baseId,
    $defs: Object.fromEntries(Object.entries(schemas).map(([name, s]) => [name, prepare(rewrite(doc, s, baseId))])),
  });
  return ajv;
}

/** Ajv options beyond the spec's own (drift's: no messages, standalone code), and a last step applied to each schema. */
export type SpecAjvTuning = Omit<Options, "strict" | "strictTypes" | "strictRequired" | "allErrors"> & {
  prepare?: (schema: unknown) => unknown;
};

/** Compiles a schema of the spec once per schema object. */
function compiler(doc: OpenApiDoc, ajv: Ajv2020): (schema: Schema) => ValidateFunction {
  const compiled = new WeakMap<object, ValidateFunction>();
  return (schema) => {
    if (typeof schema === "boolean") return ajv.compile(schema);
    const cached = compiled.get(schema);
    if (cached) return cached;
    const fn = ajv.compile(rewrite(doc, schema, baseId) as object);
    compiled.set(schema, fn);
    return fn;
  };
}

function ok(): ValidationResult {
  return { valid: true, errors: [] };
}

function fail(...errors: string[]): ValidationResult {
  return { valid: false, errors };
}

function formatErrors(errors: ErrorObject[] | null | undefined): string[] {
  return (errors ?? []).map(
    (e) =>
      `${e.instancePath || "(root)"} ${e.message ?? e.keyword}${e.params && Object.keys(e.params).length ? ` ${JSON.stringify(e.params)}` : ""}`,
  );
}

/** The media type for a Content-Type: exact, then `type/*`, then `*\/*`. */
function findMediaType(content: Record<string, MediaType>, contentType: string | undefined): MediaType | undefined {
  const type = (contentType ?? "").split(";")[0]?.trim().toLowerCase() ?? "";
  const entries = Object.entries(content).map(([k, v]) => [k.toLowerCase(), v] as const);
  const lookup = (wanted: string) => entries.find(([k]) => k === wanted)?.[1];
  return lookup(type) ?? lookup(`${type.split("/")[0]}/*`) ?? lookup("*/*");
}

/**
 * Every `x-` key of the document, schemas or not: Ajv's strict mode refuses an unknown keyword in
 * any schema it compiles, and a `$ref` may lead to a schema anywhere, so every node is read.
 */
function extensionKeywords(doc: OpenApiDoc): string[] {
  const found = new Set<string>();
  forEachNode(doc, (node) => {
    if (!Array.isArray(node)) for (const key of Object.keys(node)) if (key.startsWith("x-")) found.add(key);
  });
  return [...found];
}

/**
 * Copies a schema with component refs pointing at the registered `$defs`. Any other local ref (an
 * inline schema the bundler referenced in place) is inlined.
 */
export function rewrite(
  doc: OpenApiDoc,
  node: unknown,
  baseId: string,
  inlining: ReadonlySet<string> = new Set(),
): unknown {
  if (Array.isArray(node)) return node.map((n) => rewrite(doc, n, baseId, inlining));
  if (!isObject(node)) return node;
  const out: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(node)) {
    if (key === "$ref" && typeof value === "string") {
      const component = /^#\/components\/schemas\/(.+)$/.exec(value)?.[1];
      if (component !== undefined) out.$ref = `${baseId}#/$defs/${component}`;
      else {
        if (inlining.has(value)) throw new Error(`Recursive $ref ${value} outside components/schemas`);
        out.allOf = [rewrite(doc, resolvePointer(doc, value), baseId, new Set([...inlining, value]))];
      }
    } else out[key] = dataKeywords.has(key) ? value : rewrite(doc, value, baseId, inlining);
  }
  return out;
}

// ---------------------------------------------------------------- examples

export interface ExampleProblem {
  /** JSON pointer of the example in the spec. */
  where: string;
  errors: string[];
}

export interface ExampleReport {
  checked: number;
  problems: ExampleProblem[];
}

/**
 * Validates every example of a spec against its schema: schema `examples`, and the `example` or
 * `examples` of parameters, headers and media types (following `$ref`s to components/examples).
 */
export function validateExamples(doc: OpenApiDoc, validator: SpecValidator = createValidator(doc)): ExampleReport {
  const report: ExampleReport = { checked: 0, problems: [] };
  const check = (where: string, schema: Schema, value: unknown) => {
    report.checked += 1;
    const result = validator.validate(schema, value);
    if (!result.valid) report.problems.push({ where, errors: result.errors });
  };
  const visitSchema = (root: unknown, pointer: string): void =>
    walkSchema(
      root,
      (schema, where) => {
        if (Array.isArray(schema.examples))
          schema.examples.forEach((example, i) => check(`${where}/examples/${i}`, schema, example));
        if ("example" in schema) check(`${where}/example`, schema, schema.example);
      },
      pointer,
    );
  const visitHolder = (holder: Record<string, unknown>, where: string): void => {
    const schema = holder.schema as Schema;
    if ("example" in holder) check(`${where}/example`, schema, holder.example);
    for (const [name, raw] of Object.entries(isObject(holder.examples) ? holder.examples : {})) {
      const example = deref<Record<string, unknown>>(doc, raw);
      if ("value" in example) check(`${where}/examples/${escapePointer(name)}`, schema, example.value);
    }
  };
  // Walks the document outside schemas; schemas and example holders are handed to the visitors.
  const visit = (node: unknown, where: string): void => {
    if (Array.isArray(node)) return node.forEach((n, i) => visit(n, `${where}/${i}`));
    if (!isObject(node) || typeof node.$ref === "string") return;
    if (node.schema !== undefined) {
      visitSchema(node.schema, `${where}/schema`);
      visitHolder(node, where);
    }
    for (const [key, value] of Object.entries(node)) {
      if (key === "schema" || key === "example" || key === "examples" || key.startsWith("x-")) continue;
      // Example objects hold data; they are checked where they are used.
      if (key === "examples" && where === "#/components") continue;
      if (key === "schemas" && where === "#/components") {
        for (const [name, s] of Object.entries(isObject(value) ? value : {}))
          visitSchema(s, `#/components/schemas/${escapePointer(name)}`);
      } else visit(value, `${where}/${escapePointer(key)}`);
    }
  };
  visit(doc, "#");
  return report;
}
