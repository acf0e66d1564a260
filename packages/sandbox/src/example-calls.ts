// The requests the spec's own examples describe (the path parameters' and the request body's
// examples, as the docs' samples send them), and a replay that sends them through an API's engine:
// what example-seed.ts builds the example data with. Free of Node built-ins, like the store (MSW).
import {
  deref,
  isObject,
  jsonMediaType,
  listOperations,
  schemaParts,
  type OpenApiDoc,
  type Operation,
  type Parameter,
} from "@cx-openapi/spec/openapi";
import type { Engine } from "./engine.js";
import { type Store, SandboxDataError } from "./store.js";
import type { SandboxRequest, SandboxResponse } from "./types.js";

/** One request an operation's examples describe. */
export interface ExampleCall {
  operationId: string;
  /** The body example's name under the media type's `examples` ("" when there is none). */
  name: string;
  /** Each path parameter's first example. */
  path: Record<string, string>;
  /** The body example's value; undefined when the operation takes no body. */
  body?: unknown;
}

/** A parameter's first example: its own, its named ones, then its schema's. */
function parameterExample(spec: OpenApiDoc, parameter: Parameter): unknown {
  if (parameter.example !== undefined) return parameter.example;
  for (const named of Object.values(parameter.examples ?? {})) {
    const example = deref<unknown>(spec, named);
    if (isObject(example) && example.value !== undefined) return example.value;
  }
  for (const part of schemaParts(spec, parameter.schema)) {
    if (Array.isArray(part.examples) && part.examples.length) return part.examples[0];
    if (part.example !== undefined) return part.example;
  }
  return undefined;
}

/** The named example values of a media type, in document order (its single `example` as ""). */
export function mediaExamples(spec: OpenApiDoc, content: Operation["responses"][string]["content"]) {
  const media = jsonMediaType(content)?.[1];
  if (!media) return [];
  const named = Object.entries(media.examples ?? {}).flatMap(([name, raw]) => {
    const example = deref<unknown>(spec, raw);
    return isObject(example) && example.value !== undefined ? [{ name, value: example.value }] : [];
  });
  return named.length || media.example === undefined ? named : [{ name: "", value: media.example }];
}

/** Every request an operation's examples describe: one per body example, or one without a body. */
export function exampleCalls(spec: OpenApiDoc, operation: Operation): ExampleCall[] {
  // A parameter without an example is left out: only a request of this operation needs it (requestOf).
  const path = Object.fromEntries(
    operation.parameters.flatMap((p) => {
      const example = p.in === "path" ? parameterExample(spec, p) : undefined;
      return example === undefined ? [] : [[p.name, String(example)]];
    }),
  );
  const { operationId } = operation;
  if (!operation.requestBody) return [{ operationId, name: "", path }];
  return mediaExamples(spec, operation.requestBody.content).map(({ name, value }) => ({
    operationId,
    name,
    path,
    body: value,
  }));
}

/** The sandbox request of a call (no credential): its path filled in and percent-encoded, its JSON body. */
export function requestOf(operation: Operation, call: Omit<ExampleCall, "operationId" | "name">): SandboxRequest {
  const path = operation.path.replace(/\{([^}]+)\}/g, (_, name: string) => {
    const value = call.path[name];
    if (value === undefined)
      throw new SandboxDataError(`example data: ${operation.operationId}: path parameter ${name} has no example`);
    return encodeURIComponent(value);
  });
  if (call.body === undefined) return { method: operation.method.toUpperCase(), path, headers: {} };
  return {
    method: operation.method.toUpperCase(),
    path,
    headers: { "content-type": "application/json" },
    body: JSON.stringify(call.body),
  };
}

/** Each operation's first example request, in document order: what the docs' samples send. */
export function exampleRequests(spec: OpenApiDoc): { operationId: string; request: SandboxRequest }[] {
  return listOperations(spec).map((operation) => ({
    operationId: operation.operationId,
    request: requestOf(operation, exampleCalls(spec, operation)[0]!),
  }));
}

/**
 * Sends example calls through an API's engine on a store, with a credential, as a user would: a
 * record is exactly what creating it stores. Any answer but a success means the spec's examples do
 * not fit together, and stops start-up naming the call.
 */
export class ExampleReplay {
  readonly #operations: Map<string, Operation>;

  constructor(
    readonly engine: Engine,
    readonly store: Store,
    readonly credential: Record<string, string>,
  ) {
    this.#operations = new Map(listOperations(engine.spec).map((op) => [op.operationId, op]));
  }

  operation(operationId: string): Operation {
    const operation = this.#operations.get(operationId);
    if (!operation) throw new SandboxDataError(`example data: the spec has no operation ${operationId}`);
    return operation;
  }

  /** The operation's example calls (one per body example); none when the spec lacks the operation. */
  calls(operationId: string): ExampleCall[] {
    const operation = this.#operations.get(operationId);
    return operation ? exampleCalls(this.engine.spec, operation) : [];
  }

  /** The body of each of the operation's example calls. */
  bodies<T>(operationId: string): T[] {
    return this.calls(operationId).map((call) => call.body as T);
  }

  /** The value of this path parameter in every operation's examples. */
  params(name: string): string[] {
    return [...this.#operations.keys()].flatMap((id) => this.calls(id).flatMap((call) => call.path[name] ?? []));
  }

  /** The example values of the operation's success responses. */
  responseExamples(operationId: string): unknown[] {
    return Object.entries(this.#operations.get(operationId)?.responses ?? {})
      .filter(([status]) => /^2\d\d$/.test(status))
      .flatMap(([, response]) => mediaExamples(this.engine.spec, response.content).map((e) => e.value));
  }

  /** Sends one call; throws, naming it and the answer, unless it succeeds. */
  send(call: ExampleCall): SandboxResponse {
    const request = requestOf(this.operation(call.operationId), call);
    request.headers = { ...request.headers, ...this.credential };
    const answer = this.engine.handle(request, this.store);
    if (answer.status >= 300)
      throw new SandboxDataError(
        `example data: ${call.operationId}${call.name ? ` (example ${call.name})` : ""} answered ${answer.status} ${JSON.stringify(answer.body)}; the spec's examples do not fit together`,
      );
    return answer;
  }

  /** Sends every example call of the operation. */
  replay(operationId: string): void {
    for (const call of this.calls(operationId)) this.send(call);
  }
}
