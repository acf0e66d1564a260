// What the sandbox checks of a request before any handler runs: its path parameters and its JSON
// body against the operation's schemas, within the limits: the depth of the body before it is
// parsed, and how many violations are listed.
import { nestsDeeperThan, type Limits } from "./limits.js";
import {
  fieldName,
  isJsonType,
  jsonMediaType,
  type ErrorObject,
  type Operation,
  type Schema,
  type SpecValidator,
} from "@cx-openapi/spec/openapi";
import type { SandboxRequest } from "./types.js";

export interface CheckedRequest {
  /** The parsed JSON body; undefined when none was sent or it could not be parsed. */
  body: unknown;
  /** What breaks the spec (at most `limits.violations`), each message naming the field. */
  violations: string[];
}

/** Checks a request routed to `operation` against its path parameter and body schemas. */
export function checkRequest(
  validator: SpecValidator,
  operation: Operation,
  pathParams: Record<string, string>,
  request: SandboxRequest,
  limits: Limits,
): CheckedRequest {
  const max = limits.violations;
  const paramErrors = operation.parameters
    .filter((p) => p.in === "path" && p.schema !== undefined)
    .flatMap((p) => violationMessages(validator.errorsOf(p.schema!, pathParams[p.name], max), "path", p.name));
  if (paramErrors.length) return { body: undefined, violations: paramErrors.slice(0, max) };
  const parsed = parseBody(operation, request, limits);
  if ("problem" in parsed) return { body: undefined, violations: [parsed.problem] };
  if (parsed.schema === undefined) return { body: parsed.body, violations: [] };
  return {
    body: parsed.body,
    violations: violationMessages(validator.errorsOf(parsed.schema, parsed.body, max), "body"),
  };
}

type ParsedBody = { problem: string } | { body: unknown; schema?: Schema };

function parseBody(operation: Operation, request: SandboxRequest, limits: Limits): ParsedBody {
  const media = jsonMediaType(operation.requestBody?.content);
  const text = request.body ?? "";
  if (text === "") {
    if (operation.requestBody?.required) return { problem: "(body) is required: send a JSON document" };
    return { body: undefined };
  }
  if (!media) return { problem: `${operation.operationId} takes no request body` };
  const contentType = request.headers["content-type"] ?? "";
  if (!isJsonType(contentType))
    return { problem: `Content-Type must be application/json; got ${JSON.stringify(contentType)}` };
  // Before parsing: a deep body would overflow the stack of everything that walks it later.
  if (nestsDeeperThan(text, limits.depth))
    return { problem: `(body) nests arrays and objects deeper than the limit of ${limits.depth} levels` };
  try {
    return { body: JSON.parse(text) as unknown, ...(media[1].schema === undefined ? {} : { schema: media[1].schema }) };
  } catch (thrown) {
    return {
      problem: `the request body is not valid JSON: ${thrown instanceof Error ? thrown.message : String(thrown)}`,
    };
  }
}

/** One message per Ajv error, naming the field: `customer.ccid must NOT have more than 100 characters`. */
export function violationMessages(errors: ErrorObject[], location: "body" | "path", root?: string): string[] {
  const messages = errors.map((e) => {
    const at = [...(root === undefined ? [] : [root]), ...e.instancePath.split("/").slice(1).map(unescapePointer)];
    const field = (extra?: string) => fieldName(location, extra === undefined ? at : [...at, extra]);
    const params = e.params as Record<string, unknown>;
    switch (e.keyword) {
      case "required":
        return `${field(String(params.missingProperty))} is required`;
      case "additionalProperties":
        return `property ${field(String(params.additionalProperty))} should not exist`;
      case "enum":
        return `${field()} must be one of: ${(params.allowedValues as unknown[]).map((v) => JSON.stringify(v)).join(", ")}`;
      default:
        return `${field()} ${e.message ?? `breaks the ${e.keyword} rule`}`;
    }
  });
  return [...new Set(messages)];
}

function unescapePointer(segment: string): string | number {
  const key = segment.replace(/~1/g, "/").replace(/~0/g, "~");
  return /^\d+$/.test(key) ? Number(key) : key;
}
