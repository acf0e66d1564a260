// What a contract test of a typed client against its API's Prism mock needs, for any API: the
// client on a fetch that only talks to loopback and validates every response against the spec, the
// spec's success examples, and the helpers to send requests built at run time.
import { beforeAll, expect, inject } from "vitest";
import { recordCoverage } from "./coverage.js";
import { mocksReady } from "./mocks-ready.js";
import {
  createValidator,
  deref,
  isObject,
  listOperations,
  loadSpec,
  matchOperation,
  type MediaType,
  type OpenApiDoc,
  type Operation,
  type RegisteredApi,
} from "@cx-openapi/spec";
import { bundleFile, registeredApi } from "./repo.js";
import type { RequestInput } from "./violations.js";

declare module "vitest" {
  export interface ProvidedContext {
    /** The URL of each API's Prism mock, keyed by the API's name (the contract tier's global setup). */
    mockUrls: Record<string, string>;
    /** The process id of `pnpm mock`, which serves them (the contract tier's global setup starts it). */
    mockCommandPid: number;
    /** Where tests append the responses they receive, for the coverage matrix. */
    coverageFile: string;
  }
}

export type Fetch = (request: Request) => Promise<Response>;

/** What an openapi-fetch call resolves to. */
export interface CallResult {
  data?: unknown;
  error?: unknown;
  response: Response;
}

/** An openapi-fetch client; only its untyped `request` is used here. */
export interface AnyClient {
  request: unknown;
}

export interface Credentials {
  /** The request header that carries them, e.g. `authorization`. */
  header: string;
  /** A value the mock accepts, for requests built by hand. */
  value: string;
  /** How test names call them: "the API key", "a bearer token". */
  name: string;
}

export interface ContractOptions<C> {
  /** The API's name in redocly.yaml. */
  api: string;
  /** The API key or token `createClient` gives the client; the spec's security scheme says how it travels. */
  secret: string;
  createClient(baseUrl: string, fetch: Fetch): C;
  /** Defaults to the mock the global setup started. */
  mockUrl?: string;
  /** Where responses are recorded for the coverage matrix; defaults to the global setup's file. */
  coverageFile?: string;
}

export interface Contract<C> {
  api: RegisteredApi;
  doc: OpenApiDoc;
  operations: Operation[];
  mockUrl: string;
  credentials: Credentials;
  createClient(baseUrl: string, fetch: Fetch): C;
  /** The client on the mock. */
  client: C;
  /** The client on the mock with its credentials header set to `value`, or left out when null. */
  clientWith(value: string | null): C;
  /** The client to call an operation with: without credentials when the spec asks for none. */
  clientFor(operationId: string): C;
  /**
   * A fetch that refuses any host but loopback and validates each response against the spec (an
   * undeclared status or an off-schema body throws, failing the test). `record: false` keeps the
   * responses out of the coverage matrix, for servers other than the mock.
   */
  checkedFetch(baseUrl: string, options?: { record?: boolean }): Fetch;
  operation(operationId: string): Operation;
}

export function createContract<C extends AnyClient>(options: ContractOptions<C>): Contract<C> {
  const api = registeredApi(options.api);
  const doc = loadSpec(bundleFile(api.name));
  const validator = createValidator(doc);
  const operations = listOperations(doc);
  const mockUrl = options.mockUrl ?? (inject("mockUrls")[api.name] as string);
  if (options.mockUrl === undefined) beforeAll(() => mocksReady(), 120_000);
  const coverageFile = options.coverageFile ?? inject("coverageFile");
  const { createClient } = options;
  const credentials = credentialsFor(doc, options.secret);

  const checkedFetch = (baseUrl: string, { record = true } = {}): Fetch => {
    const basePath = new URL(baseUrl).pathname.replace(/\/$/, "");
    return async (request) => {
      const url = new URL(request.url);
      if (url.hostname !== "127.0.0.1" && url.hostname !== "localhost") {
        throw new Error(`Refusing to call ${url.origin}: tests only talk to local servers`);
      }
      const response = await fetch(request);
      const match = matchOperation(doc, request.method, url.pathname.slice(basePath.length));
      if (!match) throw new Error(`${request.method} ${url.pathname} matches no operation of the spec`);
      const { operationId } = match.operation;
      const text = await response.clone().text();
      const result = validator.validateResponse({
        operationId,
        status: response.status,
        contentType: response.headers.get("content-type") ?? undefined,
        body: text === "" ? undefined : parseJson(text),
      });
      if (record) recordCoverage(coverageFile, { api: api.name, operationId, status: response.status });
      if (!result.valid) throw new Error(`The response breaks the spec:\n${result.errors.join("\n")}`);
      return response;
    };
  };

  const operation = (operationId: string): Operation => {
    const found = operations.find((op) => op.operationId === operationId);
    if (!found) throw new Error(`No operation "${operationId}" in ${api.name}`);
    return found;
  };
  const client = createClient(mockUrl, checkedFetch(mockUrl));
  const clientWith = (value: string | null) =>
    createClient(mockUrl, withHeader(checkedFetch(mockUrl), credentials.header, value));
  const anonymous = clientWith(null);
  // Prism answers 401 to any Authorization header on an operation whose requirement is `{}`.
  const clientFor = (operationId: string) => (isPublic(doc, operation(operationId)) ? anonymous : client);

  return {
    api,
    doc,
    operations,
    mockUrl,
    credentials,
    createClient,
    client,
    clientWith,
    clientFor,
    checkedFetch,
    operation,
  };
}

/** The header and value that carry `secret` under the spec's one security scheme. */
export function credentialsFor(doc: OpenApiDoc, secret: string): Credentials {
  const schemes = Object.values(doc.components?.securitySchemes ?? {}) as Record<string, unknown>[];
  const [scheme] = schemes;
  if (schemes.length === 1 && scheme?.type === "apiKey" && scheme.in === "header" && typeof scheme.name === "string") {
    return { header: scheme.name, value: secret, name: "the API key" };
  }
  if (schemes.length === 1 && scheme?.type === "http" && String(scheme.scheme).toLowerCase() === "bearer") {
    return { header: "authorization", value: `Bearer ${secret}`, name: "a bearer token" };
  }
  throw new Error(
    `The contract suites support one apiKey-in-header or bearer scheme; the spec has ${JSON.stringify(schemes)}`,
  );
}

/** A fetch that sets a header on every request, or removes it when `value` is null. */
export function withHeader(fetch: Fetch, name: string, value: string | null): Fetch {
  return (request) => {
    const copy = new Request(request);
    if (value === null) copy.headers.delete(name);
    else copy.headers.set(name, value);
    return fetch(copy);
  };
}

export function parseJson(text: string): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return text;
  }
}

/** The operation's success status: the one 2xx it declares. */
export function successStatus(operation: Operation): string {
  const statuses = Object.keys(operation.responses).filter((s) => /^2\d\d$/.test(s));
  if (statuses.length !== 1)
    throw new Error(
      `${operation.operationId} declares ${statuses.length} 2xx statuses; the contract suites expect one`,
    );
  return statuses[0] as string;
}

/** Whether the success response has a body. */
export function hasSuccessBody(operation: Operation): boolean {
  return Object.keys(operation.responses[successStatus(operation)]?.content ?? {}).length > 0;
}

/** The named examples of an operation's JSON success response, from the spec. */
export function successExamples(doc: OpenApiDoc, operation: Operation): [string, unknown][] {
  const media = operation.responses[successStatus(operation)]?.content?.["application/json"] as MediaType | undefined;
  return Object.entries(media?.examples ?? {}).map(([name, example]) => [
    name,
    deref<{ value?: unknown }>(doc, example).value,
  ]);
}

/** Whether the spec lets the operation be called without credentials: no requirement, or an empty one. */
export function isPublic(doc: OpenApiDoc, operation: Operation): boolean {
  const item = deref<Record<string, unknown>>(doc, doc.paths?.[operation.path]);
  const own = (item[operation.method] as Record<string, unknown> | undefined)?.security;
  const requirements = (own ?? doc.security ?? []) as Record<string, unknown>[];
  return requirements.length === 0 || requirements.some((r) => Object.keys(r).length === 0);
}

/** Asserts every field of the example, one by one (so a failure names the field), then the whole. */
export function expectFieldByField(actual: unknown, expected: unknown, path = "data"): void {
  if (isObject(expected)) {
    expect(isObject(actual), `${path} is an object`).toBe(true);
    for (const [key, value] of Object.entries(expected))
      expectFieldByField((actual as Record<string, unknown>)[key], value, `${path}.${key}`);
    expect(Object.keys(actual as object).sort(), `${path} has exactly the example's fields`).toEqual(
      Object.keys(expected).sort(),
    );
  } else if (Array.isArray(expected)) {
    expect(Array.isArray(actual) && actual.length, `${path} length`).toBe(expected.length);
    expected.forEach((item, i) => expectFieldByField((actual as unknown[])[i], item, `${path}[${i}]`));
  } else {
    expect(actual, path).toEqual(expected);
  }
}

/** A request built at run time: a generated case, or an operation's baseline. */
export type RuntimeRequest = RequestInput & { method: string; path: string };

/** The client's generic `request`, for requests built at run time (they cannot be typed statically). */
type UntypedRequest = (method: string, path: string, init: Record<string, unknown>) => Promise<CallResult>;

export function send(
  target: AnyClient,
  request: RuntimeRequest,
  headers: Record<string, string | null> = {},
): Promise<CallResult> {
  const init: Record<string, unknown> = { params: { path: request.pathParams, query: request.query }, headers };
  if ("body" in request) init.body = request.body;
  return (target.request as UntypedRequest)(request.method, request.path, init);
}
