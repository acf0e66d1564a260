// The request pipeline every API of the sandbox shares: route, authenticate, parse and validate the
// request against the spec, run the operation's handler, persist. It never throws: whatever goes
// wrong becomes an answer in the API's own error shape.
import { defaultLimits, type Limits } from "./limits.js";
import {
  createValidator,
  isObject,
  listOperations,
  matchOperation,
  type OpenApiDoc,
  type Operation,
  type SpecValidator,
} from "@cx-openapi/spec/openapi";
import { checkRequest, type CheckedRequest } from "./request-check.js";
import { SandboxSaveError, type Store } from "./store.js";
import type { SandboxState } from "./state.js";
import type { SandboxRequest, SandboxResponse } from "./types.js";

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
  handle(request: SandboxRequest, store: Store, limits?: Limits): SandboxResponse;
  /**
   * The operation a request goes to, and what breaks the spec in it (path parameters and body),
   * without running it. `handle` reuses this check for the same request object.
   */
  inspect(request: SandboxRequest, limits?: Limits): { operationId?: string; violations: string[] };
  /** The operationId a request goes to, if any. */
  route(request: SandboxRequest): string | undefined;
  /** An answer in the API's error shape. */
  error(status: number, ...messages: string[]): SandboxResponse;
}

type Match = { operation: Operation; pathParams: Record<string, string> };
type Inspected = { match?: Match; problem?: string; checked?: CheckedRequest };

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

  // The front inspects a request, then hands the same object to `handle`: checked once.
  const inspections = new WeakMap<SandboxRequest, { limits: Limits; result: Inspected }>();
  const inspected = (request: SandboxRequest, limits: Limits): Inspected => {
    const kept = inspections.get(request);
    if (kept?.limits === limits) return kept.result;
    let result: Inspected;
    try {
      const match = matchOperation(spec, request.method, request.path, operations);
      result = match
        ? { match, checked: checkRequest(validator, match.operation, match.pathParams, request, limits) }
        : {};
    } catch {
      result = { problem: `the path ${request.path} is not validly percent-encoded` };
    }
    inspections.set(request, { limits, result });
    return result;
  };

  const run = (
    request: SandboxRequest,
    store: Store,
    limits: Limits,
  ): { operation?: Operation; response: SandboxResponse } => {
    const { match, problem: malformed, checked } = inspected(request, limits);
    if (malformed) return { response: error(400, malformed) };
    if (!match || !checked) return { response: error(404, `Cannot ${request.method.toUpperCase()} ${request.path}`) };
    const { operation, pathParams } = match;
    // Authentication first, as a NestJS guard runs before validation.
    let tenant = "";
    if (secured.get(operation.operationId)) {
      const auth = behaviour.authenticate(request, pathParams, store.state);
      if ("refused" in auth) return { operation, response: error(401, auth.refused) };
      tenant = auth.tenant;
    }
    if (checked.violations.length) return { operation, response: error(400, ...checked.violations) };
    const handler = behaviour.handlers[operation.operationId]!;
    // The request was validated against the operation's schemas: it is what the handler's type says.
    const input = { path: pathParams as never, body: checked.body as never, tenant };
    return { operation, response: applied(store, operation, () => handler(input, store.state)) };
  };

  /** Runs a handler; a change it makes is acknowledged only once saved, and undone if it fails. */
  const applied = (store: Store, operation: Operation, change: () => Reply): SandboxResponse => {
    let reply: Reply;
    try {
      reply = change();
    } catch (thrown) {
      // A handler that failed half-way leaves nothing behind: the state returns to what was last saved.
      store.rollback();
      throw thrown;
    }
    if (reply.status < 300 && operation.method !== "get") {
      try {
        store.commit();
      } catch (thrown) {
        if (!(thrown instanceof SandboxSaveError)) throw thrown;
        return error(500, thrown.message);
      }
    }
    return json(reply.status, reply.body, reply.headers);
  };

  const handle = (request: SandboxRequest, store: Store, limits: Limits = defaultLimits): SandboxResponse => {
    let result: ReturnType<typeof run>;
    try {
      result = run(request, store, limits);
    } catch (thrown) {
      // A bug of the sandbox, not the vendor's behaviour: said so plainly.
      return problem(500, "The sandbox failed", [thrown instanceof Error ? thrown.message : String(thrown)]);
    }
    const { operation, response } = result;
    if (!checkResponses || !operation) return response;
    const verdict = validator.validateResponse({
      operationId: operation.operationId,
      status: response.status,
      contentType: response.headers["content-type"],
      body: response.body,
    });
    return verdict.valid ? response : problem(500, "The sandbox's response breaks the spec", verdict.errors);
  };

  const inspect = (request: SandboxRequest, limits: Limits = defaultLimits) => {
    const { match, problem: malformed, checked } = inspected(request, limits);
    if (malformed) return { violations: [malformed] };
    return match
      ? { operationId: match.operation.operationId, violations: checked?.violations ?? [] }
      : { violations: [] };
  };

  const route = (request: SandboxRequest): string | undefined => {
    try {
      return matchOperation(spec, request.method, request.path, operations)?.operation.operationId;
    } catch {
      return undefined;
    }
  };

  return { name: behaviour.name, spec, validator, handle, inspect, route, error };
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
