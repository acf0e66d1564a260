// The request pipeline every API of the sandbox shares: route, authenticate, parse and validate the
// request against the spec, run the operation's handler, persist. It never throws: whatever goes
// wrong becomes an answer in the API's own error shape.
import {
  fieldName,
  isJsonType,
  isObject,
  jsonMediaType,
  listOperations,
  matchOperation,
  type OpenApiDoc,
  type Operation,
} from "./openapi.js";
import { SandboxSaveError, type Store } from "./store.js";
import type { SandboxState } from "./state.js";
import type { SandboxRequest, SandboxResponse } from "./types.js";
import { createValidator, type ErrorObject, type SpecValidator } from "./validator.js";

/** What makes one API's sandbox: its error shape, its authentication and its handlers. */
export interface ApiBehaviour {
  name: string;
  /** The API's error body for a status; `messages` name every problem found. */
  errorBody(status: number, messages: string[]): unknown;
  /**
   * The caller's tenant, or the reason (a 401) it is refused. Only called for operations the spec
   * secures, before the request is validated (as a NestJS guard runs before its pipes).
   */
  authenticate(
    request: SandboxRequest,
    pathParams: Record<string, string>,
    state: SandboxState,
  ): { tenant: string } | { refused: string };
  /** Keyed by operationId; each is typed by its operation where it is defined (see `Handlers`). */
  handlers: Record<string, (input: { path: never; body: never; tenant: string }, state: SandboxState) => Reply>;
}

export interface Reply {
  status: number;
  body?: unknown;
  headers?: Record<string, string>;
}

export interface EngineOptions {
  spec: OpenApiDoc;
  behaviour: ApiBehaviour;
  /**
   * Checks every answer against the spec in process and turns one that breaks it into a 500
   * `application/problem+json` listing the violations. Off where Prism is the gate.
   */
  checkResponses?: boolean;
}

export interface Engine {
  readonly name: string;
  readonly spec: OpenApiDoc;
  readonly validator: SpecValidator;
  /** Answers one request, reading and changing the store's state. */
  handle(request: SandboxRequest, store: Store): SandboxResponse;
  /** The operationId a request goes to, if any. */
  route(request: SandboxRequest): string | undefined;
  /** An answer in the API's error shape. */
  error(status: number, ...messages: string[]): SandboxResponse;
}

export function createEngine({ spec, behaviour, checkResponses = false }: EngineOptions): Engine {
  const validator = createValidator(spec);
  const operations = listOperations(spec);
  const secured = new Map(operations.map((op) => [op.operationId, isSecured(spec, op)]));
  for (const op of operations) {
    if (!behaviour.handlers[op.operationId])
      throw new Error(`${behaviour.name}: no handler for operation ${op.operationId}`);
  }

  const error = (status: number, ...messages: string[]): SandboxResponse =>
    json(status, behaviour.errorBody(status, messages));

  const run = (request: SandboxRequest, store: Store): { operation?: Operation; response: SandboxResponse } => {
    let match: ReturnType<typeof matchOperation>;
    try {
      match = matchOperation(spec, request.method, request.path, operations);
    } catch {
      return { response: error(400, `the path ${request.path} is not validly percent-encoded`) };
    }
    if (!match) return { response: error(404, `Cannot ${request.method.toUpperCase()} ${request.path}`) };
    const { operation, pathParams } = match;

    // Authentication first, as a NestJS guard runs before validation.
    let tenant = "";
    if (secured.get(operation.operationId)) {
      const auth = behaviour.authenticate(request, pathParams, store.state);
      if ("refused" in auth) return { operation, response: error(401, auth.refused) };
      tenant = auth.tenant;
    }

    const paramErrors = operation.parameters
      .filter((p) => p.in === "path" && p.schema !== undefined)
      .flatMap((p) => violationMessages(validator.errorsOf(p.schema!, pathParams[p.name]), "path", p.name));
    if (paramErrors.length) return { operation, response: error(400, ...paramErrors) };

    const parsed = parseBody(operation, request);
    if ("problem" in parsed) return { operation, response: error(400, parsed.problem) };
    if (parsed.schema !== undefined) {
      const bodyErrors = violationMessages(validator.errorsOf(parsed.schema, parsed.body), "body");
      if (bodyErrors.length) return { operation, response: error(400, ...bodyErrors) };
    }

    const handler = behaviour.handlers[operation.operationId]!;
    // The request was validated against the operation's schemas above: it is what the handler's type says.
    let reply: Reply;
    try {
      reply = handler({ path: pathParams as never, body: parsed.body as never, tenant }, store.state);
    } catch (thrown) {
      // A handler that failed half-way leaves nothing behind: the state returns to what was last saved.
      store.rollback();
      throw thrown;
    }
    // Acknowledged only once saved; a change that cannot be saved has been undone by the store.
    if (reply.status < 300 && operation.method !== "get") {
      try {
        store.commit();
      } catch (thrown) {
        if (!(thrown instanceof SandboxSaveError)) throw thrown;
        return { operation, response: error(500, thrown.message) };
      }
    }
    const response = json(reply.status, reply.body, reply.headers);
    return { operation, response };
  };

  const handle = (request: SandboxRequest, store: Store): SandboxResponse => {
    let result: ReturnType<typeof run>;
    try {
      result = run(request, store);
    } catch (thrown) {
      // A bug of the sandbox, not the vendor's behaviour: said so plainly.
      return problem(500, "The sandbox failed", [thrown instanceof Error ? thrown.message : String(thrown)]);
    }
    const { operation, response } = result;
    if (checkResponses && operation) {
      const verdict = validator.validateResponse({
        operationId: operation.operationId,
        status: response.status,
        contentType: response.headers["content-type"],
        body: response.body,
      });
      if (!verdict.valid) return problem(500, "The sandbox's response breaks the spec", verdict.errors);
    }
    return response;
  };

  const route = (request: SandboxRequest): string | undefined => {
    try {
      return matchOperation(spec, request.method, request.path, operations)?.operation.operationId;
    } catch {
      return undefined;
    }
  };

  return { name: behaviour.name, spec, validator, handle, route, error };
}

function json(status: number, body: unknown, headers: Record<string, string> = {}): SandboxResponse {
  return body === undefined
    ? { status, headers }
    : { status, headers: { "content-type": "application/json", ...headers }, body };
}

/** The answer of a contract gate: RFC 9457 problem details, as Prism's own errors are. */
export function problem(status: number, title: string, violations: string[]): SandboxResponse {
  return {
    status,
    headers: { "content-type": "application/problem+json" },
    body: {
      type: "https://cx-openapi.dev/problems/sandbox-contract",
      title,
      status,
      detail: violations.join("; "),
      validation: violations,
    },
  };
}

function isSecured(spec: OpenApiDoc, operation: Operation): boolean {
  const raw = (spec.paths?.[operation.path] as Record<string, unknown> | undefined)?.[operation.method];
  const security = (isObject(raw) && Array.isArray(raw.security) ? raw.security : spec.security) as
    | unknown[]
    | undefined;
  return (
    Array.isArray(security) && security.length > 0 && !security.some((s) => isObject(s) && Object.keys(s).length === 0)
  );
}

type ParsedBody = { problem: string } | { body: unknown; schema?: import("./openapi.js").Schema };

function parseBody(operation: Operation, request: SandboxRequest): ParsedBody {
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
