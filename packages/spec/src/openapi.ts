// The one model of an OpenAPI 3.1 document every tool reads: its methods, its operations (the
// paths × methods walk), JSON pointers and `$ref` resolution. Used by the validator, the sandbox, gen,
// docs, the breaking-change checker and the contract tests. It reads bundles: only local `$ref`s
// resolve. No Node built-ins, so it runs in a browser too (the MSW handlers); loadSpec reads a file.

/** A JSON Schema (2020-12) as found in an OpenAPI 3.1 document. */
export type Schema = { [keyword: string]: unknown } | boolean;

/** A bundled OpenAPI 3.1 document: only the parts the tools read are typed. */
export interface OpenApiDoc {
  openapi: string;
  paths?: Record<string, Record<string, unknown>>;
  components?: Record<string, Record<string, unknown>>;
  [key: string]: unknown;
}

export interface Parameter {
  name: string;
  in: "path" | "query" | "header" | "cookie";
  required?: boolean;
  schema?: Schema;
  example?: unknown;
  examples?: Record<string, unknown>;
  [key: string]: unknown;
}

export interface MediaType {
  schema?: Schema;
  example?: unknown;
  examples?: Record<string, unknown>;
  [key: string]: unknown;
}

export interface RequestBody {
  required?: boolean;
  content: Record<string, MediaType>;
}

export interface Response {
  description?: string;
  content?: Record<string, MediaType>;
  headers?: Record<string, unknown>;
}

export interface Operation {
  operationId: string;
  /** Lower case, as in the document: `get`, `post`, ... */
  method: string;
  /** The path template, e.g. `/cdm/client/{client_id}/onboard`. */
  path: string;
  /** Path-item parameters merged with the operation's own (the operation's win), `$ref`s resolved. */
  parameters: Parameter[];
  requestBody?: RequestBody;
  /** Keyed by status code (`200`, `4XX`, `default`), `$ref`s resolved. */
  responses: Record<string, Response>;
}

export const httpMethods = ["get", "put", "post", "delete", "options", "head", "patch", "trace"] as const;
export type HttpMethod = (typeof httpMethods)[number];

export function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

/** Reads a local JSON pointer such as `#/components/schemas/Customer`. */
export function resolvePointer(doc: OpenApiDoc, ref: string): unknown {
  if (!ref.startsWith("#")) throw new Error(`Only local $refs are supported in a bundle; got ${ref}`);
  let node: unknown = doc;
  for (const raw of ref.slice(1).split("/").slice(1)) {
    const key = decodeURIComponent(raw).replace(/~1/g, "/").replace(/~0/g, "~");
    if (!isObject(node) && !Array.isArray(node)) throw new Error(`$ref ${ref} does not resolve`);
    node = (node as Record<string, unknown>)[key];
    if (node === undefined) throw new Error(`$ref ${ref} does not resolve`);
  }
  return node;
}

/**
 * Follows a chain of `$ref`s on an OpenAPI object (parameter, response, example...). Siblings of a
 * `$ref` (3.1 allows `summary` and `description`) override the target's.
 */
export function deref<T>(doc: OpenApiDoc, value: unknown, seen = new Set<string>()): T {
  if (!isObject(value) || typeof value.$ref !== "string") return value as T;
  const { $ref, ...siblings } = value;
  if (seen.has($ref)) throw new Error(`Circular $ref ${$ref}`);
  seen.add($ref);
  const target = deref<unknown>(doc, resolvePointer(doc, $ref), seen);
  return (isObject(target) ? { ...target, ...siblings } : target) as T;
}

export interface OperationEntry {
  path: string;
  /** Lower case, as in the document. */
  method: HttpMethod;
  /** The path item, `$ref` resolved. */
  item: Record<string, unknown>;
  /** The operation object as written (its `$ref`s not resolved). */
  op: Record<string, unknown>;
}

/** Every operation object of the document, in document order: the one paths × methods walk. */
export function operationEntries(doc: OpenApiDoc): OperationEntry[] {
  const entries: OperationEntry[] = [];
  for (const [path, rawItem] of Object.entries(doc.paths ?? {})) {
    const item = deref<unknown>(doc, rawItem);
    if (!isObject(item)) continue;
    for (const method of httpMethods) {
      const op = item[method];
      if (isObject(op)) entries.push({ path, method, item, op });
    }
  }
  return entries;
}

export function isHttpMethod(key: string): key is HttpMethod {
  return (httpMethods as readonly string[]).includes(key);
}

/** Every operation with its parameters merged and its `$ref`s resolved; each must have an operationId. */
export function listOperations(doc: OpenApiDoc): Operation[] {
  return operationEntries(doc).map(({ path, method, item, op }) => {
    if (typeof op.operationId !== "string") throw new Error(`${method.toUpperCase()} ${path} has no operationId`);
    const operation: Operation = {
      operationId: op.operationId,
      method,
      path,
      parameters: mergeParameters(
        doc,
        (item.parameters as unknown[] | undefined) ?? [],
        (op.parameters as unknown[] | undefined) ?? [],
      ),
      responses: Object.fromEntries(
        Object.entries((op.responses as Record<string, unknown> | undefined) ?? {}).map(([status, r]) => [
          status,
          deref<Response>(doc, r),
        ]),
      ),
    };
    if (op.requestBody !== undefined) operation.requestBody = deref<RequestBody>(doc, op.requestBody);
    return operation;
  });
}

function mergeParameters(doc: OpenApiDoc, shared: unknown[], own: unknown[]): Parameter[] {
  const byKey = new Map<string, Parameter>();
  for (const raw of [...shared, ...own]) {
    const parameter = deref<Parameter>(doc, raw);
    byKey.set(`${parameter.in}:${parameter.name}`, parameter);
  }
  return [...byKey.values()];
}

export function getOperation(doc: OpenApiDoc, operationId: string): Operation {
  const operation = listOperations(doc).find((op) => op.operationId === operationId);
  if (!operation) throw new Error(`No operation "${operationId}" in the spec`);
  return operation;
}

/** The JSON media type of a content map (`application/json` or any `+json`), if there is one. */
export function jsonMediaType(content: Record<string, MediaType> | undefined): [string, MediaType] | undefined {
  return Object.entries(content ?? {}).find(([type]) => isJsonType(type));
}

export function isJsonType(contentType: string): boolean {
  const type = contentType.split(";")[0]?.trim().toLowerCase() ?? "";
  return type === "application/json" || type.endsWith("+json");
}

/**
 * Finds the operation a request went to, from its method and its raw (still percent-encoded)
 * pathname relative to the server. A literal segment beats a template segment, so
 * `/a/new` prefers `/a/new` over `/a/{id}`.
 */
export function matchOperation(
  doc: OpenApiDoc,
  method: string,
  pathname: string,
  operations: Operation[] = listOperations(doc),
): { operation: Operation; pathParams: Record<string, string> } | undefined {
  const segments = pathname.split("/");
  let best: { operation: Operation; pathParams: Record<string, string>; literals: number } | undefined;
  for (const operation of operations) {
    if (operation.method !== method.toLowerCase()) continue;
    const template = operation.path.split("/");
    if (template.length !== segments.length) continue;
    const pathParams: Record<string, string> = {};
    let literals = 0;
    const matches = template.every((part, i) => {
      const actual = segments[i] ?? "";
      const name = /^\{(.+)\}$/.exec(part)?.[1];
      if (name === undefined) {
        literals += 1;
        return part === actual;
      }
      pathParams[name] = decodeURIComponent(actual);
      return true;
    });
    if (matches && (!best || literals > best.literals)) best = { operation, pathParams, literals };
  }
  return best && { operation: best.operation, pathParams: best.pathParams };
}

/**
 * The schema objects that all apply to one instance location: the schema itself, what its `$ref`
 * points to and every `allOf` member, recursively. (In 2020-12 a `$ref` applies next to its
 * siblings, so both are kept.) `true` contributes nothing; `false` is kept as `{ not: {} }`.
 */
export function schemaParts(
  doc: OpenApiDoc,
  schema: Schema | undefined,
  seen: ReadonlySet<string> = new Set(),
): Record<string, unknown>[] {
  if (schema === undefined || schema === true) return [];
  if (schema === false) return [{ not: {} }];
  const parts: Record<string, unknown>[] = [schema];
  if (typeof schema.$ref === "string") {
    if (!seen.has(schema.$ref)) {
      parts.push(...schemaParts(doc, resolvePointer(doc, schema.$ref) as Schema, new Set([...seen, schema.$ref])));
    }
  }
  if (Array.isArray(schema.allOf)) {
    for (const member of schema.allOf as Schema[]) parts.push(...schemaParts(doc, member, seen));
  }
  return parts;
}

/** The `$ref`s a list of parts went through, to stop a recursive schema from expanding forever. */
export function refsOf(parts: Record<string, unknown>[]): string[] {
  return parts.flatMap((part) => (typeof part.$ref === "string" ? [part.$ref] : []));
}

/** Where a request value sits. */
export type CaseLocation = "body" | "path" | "query";

/** `customer.notification_channels[0].channel_addr`; the body itself is `(body)`. */
export function fieldName(location: CaseLocation, at: (string | number)[]): string {
  if (at.length === 0) return location === "body" ? "(body)" : "";
  return at
    .map((s, i) =>
      typeof s === "number" ? `[${s}]` : /^[A-Za-z_$][\w$-]*$/.test(s) ? (i ? `.${s}` : s) : `[${JSON.stringify(s)}]`,
    )
    .join("");
}
