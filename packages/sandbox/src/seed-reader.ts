// Reads seed fixtures (seed.ts, seed-retrieved.ts), failing with the source, the fixture's place and
// the rule it breaks. Every schema comes from the spec the sandbox runs (a `--spec` one included).
import {
  isObject,
  jsonMediaType,
  listOperations,
  type OpenApiDoc,
  type Schema,
  type SpecValidator,
} from "@cx-openapi/spec/openapi";
import { violationMessages } from "./request-check.js";
import { SandboxDataError } from "./store.js";

/** The spec an API runs with and its validator (an engine has both). */
export interface SeedSpec {
  spec: OpenApiDoc;
  validator: SpecValidator;
}

export interface SeedValidators {
  relayCdm: SeedSpec;
  hiirelevate: SeedSpec;
}

/** The operation whose answer a retrieved record is, per API. */
const readOperation = { relayCdm: "getCustomer", hiirelevate: "getCustomer" } as const;

export class SeedReader {
  /** Each API's read-operation response schema, looked up once. */
  readonly #retrieved = new Map<keyof SeedValidators, Schema>();

  constructor(
    readonly source: string,
    readonly validators: SeedValidators,
  ) {}

  fail(where: string, problem: string): never {
    throw new SandboxDataError(`${this.source}: ${where}: ${problem}`);
  }

  object(value: unknown, where: string): Record<string, unknown> {
    return isObject(value) ? value : this.fail(where, "must be an object");
  }

  list(value: unknown, where: string): unknown[] {
    return value === undefined ? [] : Array.isArray(value) ? value : this.fail(where, "must be a list");
  }

  strings(value: unknown, where: string): string[] {
    return this.list(value, where).map((v, i) =>
      typeof v === "string" && v !== "" ? v : this.fail(`${where}[${i}]`, "must be a non-empty string"),
    );
  }

  /** A string when present; `required` makes it so. */
  text(value: unknown, where: string, required: boolean): string | undefined {
    if (value === undefined && !required) return undefined;
    return typeof value === "string" && value !== "" ? value : this.fail(where, "must be a non-empty string");
  }

  /** Fails naming each field that breaks the schema, under `root` when given (`customer.ccid ...`). */
  check(api: keyof SeedValidators, s: Schema, value: unknown, where: string, root?: string): void {
    const problems = violationMessages(this.validators[api].validator.errorsOf(s, value), "body", root);
    if (problems.length) this.fail(where, problems.join("; "));
  }

  /** The schema of the API's read operation's 200 answer, in the spec the sandbox runs. */
  retrievedSchema(api: keyof SeedValidators, where: string): Schema {
    const known = this.#retrieved.get(api);
    if (known !== undefined) return known;
    const schema = answerSchema(this.validators[api].spec, readOperation[api]);
    if (schema === undefined)
      this.fail(
        where,
        `the spec declares no JSON schema for ${readOperation[api]}'s 200 answer to check a retrieved record by`,
      );
    this.#retrieved.set(api, schema);
    return schema;
  }

  /** A handler's reply to a fixture: anything but success stops the seed. */
  applied(reply: { status: number; body?: unknown }, where: string): void {
    if (reply.status >= 300) this.fail(where, JSON.stringify(reply.body));
  }
}

/** The JSON schema of an operation's 200 (or 2XX) answer; undefined when the spec declares none. */
function answerSchema(spec: OpenApiDoc, operationId: string): Schema | undefined {
  const operation = listOperations(spec).find((op) => op.operationId === operationId);
  const response = operation?.responses["200"] ?? operation?.responses["2XX"];
  return jsonMediaType(response?.content)?.[1].schema;
}
