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
  /** Prepares the authenticated caller's tenant before a handler runs (HiiRelevate: a new tenant from the template). */
  enter?(state: SandboxState, tenant: string): void;
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
  /**
   * With `checkResponses`, an answer given outside the handlers (an override) checked like theirs:
   * one that breaks the spec becomes a 500 problem+json. Without, the answer as it is.
   */
  checkAnswer(request: SandboxRequest, response: SandboxResponse): SandboxResponse;
  /** An answer in the API's error shape. */
  error(status: number, ...messages: string[]): SandboxResponse;
}

type Match = { operation: Operation; pathParams: Record<string, string> };
type Inspected = { match?: Match; problem?: string; checked?: CheckedRequest };
type Ran = { operation?: Operation; response: SandboxResponse };

/** What an engine is made of: built once per spec, shared by every call. */
interface Parts {
  spec: OpenApiDoc;
  behaviour: ApiBehaviour;
  validator: SpecValidator;
  operations: Operation[];
  /** Whether each operation (by id) needs credentials. */
  secured: Map<string, boolean>;
  checkResponses: boolean;
  /** The front inspects a request, then hands the same object to `handle`: it is checked once. */
  inspections: WeakMap<SandboxRequest, { limits: Limits; result: Inspected }>;
  error(status: number, ...messages: string[]): SandboxResponse;
}

export function createEngine({ spec, behaviour, checkResponses = false }: EngineOptions): Engine {
  const operations = listOperations(spec);
  for (const op of operations) {
    if (!behaviour.handlers[op.operationId])
      throw new Error(`${behaviour.name}: no handler for operation ${op.operationId}`);
  }
  const parts: Parts = {
    spec,
    behaviour,
    validator: createValidator(spec),
    operations,
    secured: new Map(operations.map((op) => [op.operationId, isSecured(spec, op)])),
    checkResponses,
    inspections: new WeakMap(),
    error: (status, ...messages) => json(status, behaviour.errorBody(status, messages)),
  };
  return {
    name: behaviour.name,
    spec,
    validator: parts.validator,
    handle: (request, store, limits = defaultLimits) => handle(parts, request, store, limits),
    inspect: (request, limits = defaultLimits) => inspect(parts, request, limits),
    route: (request) => routeOf(parts, request),
    checkAnswer: (request, response) => {
      const operationId = routeOf(parts, request);
      const operation = parts.operations.find((op) => op.operationId === operationId);
      return operation ? checkedResponse(parts, operation, response) : response;
    },
    error: parts.error,
  };
}

/** The operation a request goes to and its checked path parameters and body, once per request. */
function inspected(parts: Parts, request: SandboxRequest, limits: Limits): Inspected {
  const kept = parts.inspections.get(request);
  if (kept?.limits === limits) return kept.result;
  let result: Inspected;
  try {
    const match = matchOperation(parts.spec, request.method, request.path, parts.operations);
    result = match
      ? { match, checked: checkRequest(parts.validator, match.operation, match.pathParams, request, limits) }
      : {};
  } catch {
    result = { problem: `the path ${request.path} is not validly percent-encoded` };
  }
  parts.inspections.set(request, { limits, result });
  return result;
}

function inspect(parts: Parts, request: SandboxRequest, limits: Limits) {
  const { match, problem: malformed, checked } = inspected(parts, request, limits);
  if (malformed) return { violations: [malformed] };
  return match
    ? { operationId: match.operation.operationId, violations: checked?.violations ?? [] }
    : { violations: [] };
}

function routeOf(parts: Parts, request: SandboxRequest): string | undefined {
  try {
    return matchOperation(parts.spec, request.method, request.path, parts.operations)?.operation.operationId;
  } catch {
    return undefined;
  }
}

/** Routes, authenticates, refuses what breaks the spec, and runs the operation's handler. */
function run(parts: Parts, request: SandboxRequest, store: Store, limits: Limits): Ran {
  const { match, problem: malformed, checked } = inspected(parts, request, limits);
  if (malformed) return { response: parts.error(400, malformed) };
  if (!match || !checked)
    return { response: parts.error(404, `Cannot ${request.method.toUpperCase()} ${request.path}`) };
  const { operation, pathParams } = match;
  // Authentication first, as a NestJS guard runs before validation.
  let tenant: string | undefined;
  if (parts.secured.get(operation.operationId)) {
    const auth = parts.behaviour.authenticate(request, pathParams, store.state);
    if ("refused" in auth) return { operation, response: parts.error(401, auth.refused) };
    tenant = auth.tenant;
  }
  if (checked.violations.length) return { operation, response: parts.error(400, ...checked.violations) };
  const { handlers, enter } = parts.behaviour;
  const handler = handlers[operation.operationId]!;
  // The request was validated against the operation's schemas: it is what the handler's type says.
  const input = { path: pathParams as never, body: checked.body as never, tenant: tenant ?? "" };
  const change = () => {
    if (tenant !== undefined) enter?.(store.state, tenant);
    return handler(input, store.state);
  };
  return { operation, response: applied(parts, store, operation, change) };
}

/** Runs a handler; a change it makes is acknowledged only once saved, and undone if it fails. */
function applied(parts: Parts, store: Store, operation: Operation, change: () => Reply): SandboxResponse {
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
      return parts.error(500, thrown.message);
    }
  }
  return json(reply.status, reply.body, reply.headers);
}

/** Answers one request; with `checkResponses`, an answer that breaks the spec becomes a 500. */
function handle(parts: Parts, request: SandboxRequest, store: Store, limits: Limits): SandboxResponse {
  let ran: Ran;
  try {
    ran = run(parts, request, store, limits);
  } catch (thrown) {
    // A bug of the sandbox, not the vendor's behaviour: said so plainly.
    return problem(500, "The sandbox failed", [thrown instanceof Error ? thrown.message : String(thrown)]);
  }
  const { operation, response } = ran;
  return operation ? checkedResponse(parts, operation, response) : response;
}

/** With `checkResponses`: the answer, or a 500 problem+json listing how it breaks the spec. */
function checkedResponse(parts: Parts, operation: Operation, response: SandboxResponse): SandboxResponse {
  if (!parts.checkResponses) return response;
  const verdict = parts.validator.validateResponse({
    operationId: operation.operationId,
    status: response.status,
    contentType: response.headers["content-type"],
    body: response.body,
  });
  return verdict.valid ? response : problem(500, "The sandbox's response breaks the spec", verdict.errors);
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
