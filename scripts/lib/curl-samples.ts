// The curl sample of every operation, built from the spec's own examples when the docs are built,
// so it cannot drift from the spec: the path parameters' and the request body's first example, the
// credential header of the operation's security scheme, against a local server's URL.
import {
  deref,
  isObject,
  jsonMediaType,
  listOperations,
  schemaParts,
  type OpenApiDoc,
  type Operation,
  type Parameter,
} from "@cx-openapi/spec";

/** What the local servers accept as a credential: any value (the sandbox unless seeded otherwise, Prism always). */
export const localCredential = "any";

export interface SampleRequest {
  operationId: string;
  method: string;
  /** The path with its parameters filled in and percent-encoded, plus any required query. */
  target: string;
  headers: [string, string][];
  /** The JSON body, when the operation takes one. */
  body?: unknown;
  /** The name of the request example the body is (under the media type's `examples`). */
  bodyExample?: string;
}

/** The first example value of a parameter: its own, then its schema's. */
export function parameterExample(doc: OpenApiDoc, parameter: Parameter): unknown {
  if (parameter.example !== undefined) return parameter.example;
  const named = Object.values(parameter.examples ?? {})
    .map((e) => deref<{ value?: unknown }>(doc, e))
    .find((e) => isObject(e) && e.value !== undefined);
  if (named) return named.value;
  for (const part of schemaParts(doc, parameter.schema)) {
    if (Array.isArray(part.examples) && part.examples.length) return part.examples[0];
    if (part.example !== undefined) return part.example;
    if (part.default !== undefined) return part.default;
    if (Array.isArray(part.enum) && part.enum.length) return part.enum[0];
  }
  return undefined;
}

/** The request a sample of the operation sends, built from the spec's examples. */
export function sampleRequest(doc: OpenApiDoc, op: Operation): SampleRequest {
  const value = (parameter: Parameter): string => {
    const example = parameterExample(doc, parameter);
    if (example === undefined)
      throw new Error(
        `${op.operationId}: parameter "${parameter.name}" (${parameter.in}) has no example, so no curl sample can be built`,
      );
    return typeof example === "string" ? example : JSON.stringify(example);
  };
  let path = op.path;
  const query: string[] = [];
  const headers: [string, string][] = [];
  for (const parameter of op.parameters) {
    if (parameter.in === "path") path = path.replace(`{${parameter.name}}`, encodeURIComponent(value(parameter)));
    else if (parameter.required && parameter.in === "query")
      query.push(`${encodeURIComponent(parameter.name)}=${encodeURIComponent(value(parameter))}`);
    else if (parameter.required && parameter.in === "header") headers.push([parameter.name, value(parameter)]);
  }
  headers.push(...credentialHeaders(doc, op));
  const request: SampleRequest = {
    operationId: op.operationId,
    method: op.method.toUpperCase(),
    target: query.length ? `${path}?${query.join("&")}` : path,
    headers,
  };
  const media = jsonMediaType(op.requestBody?.content);
  if (media) {
    const [contentType, { example, examples }] = media;
    const first = Object.entries(examples ?? {})
      .map(([name, e]) => [name, deref<{ value?: unknown }>(doc, e)] as const)
      .find(([, e]) => isObject(e) && e.value !== undefined);
    if (first) {
      request.body = first[1].value;
      request.bodyExample = first[0];
    } else if (example !== undefined) request.body = example;
    else throw new Error(`${op.operationId}: the request body has no example, so no curl sample can be built`);
    headers.push(["Content-Type", contentType]);
  }
  return request;
}

/** The header the operation's first security requirement needs, with the local servers' credential. */
function credentialHeaders(doc: OpenApiDoc, op: Operation): [string, string][] {
  const raw = doc.paths?.[op.path]?.[op.method];
  const security = (isObject(raw) && Array.isArray(raw.security) ? raw.security : doc.security) as unknown;
  const first = Array.isArray(security) ? security.find(isObject) : undefined;
  if (!first) return [];
  const schemes = isObject(doc.components?.securitySchemes) ? doc.components.securitySchemes : {};
  return Object.keys(first).flatMap((name): [string, string][] => {
    const scheme = deref<Record<string, unknown>>(doc, schemes[name]);
    if (!isObject(scheme)) throw new Error(`${op.operationId}: security scheme "${name}" is not defined`);
    if (scheme.type === "apiKey" && scheme.in === "header") return [[String(scheme.name), localCredential]];
    if (scheme.type === "http" && String(scheme.scheme).toLowerCase() === "bearer")
      return [["Authorization", `Bearer ${localCredential}`]];
    throw new Error(`${op.operationId}: no curl sample for security scheme "${name}" (${String(scheme.type)})`);
  });
}

/** Quotes a value for a POSIX shell: single quotes, an embedded one as '\''. */
export function shellQuote(text: string): string {
  return `'${text.replace(/'/g, `'\\''`)}'`;
}

/** The curl command of a request against a server URL; one option per line, the body pretty-printed. */
export function curlCommand(request: SampleRequest, baseUrl: string): string {
  const lines = [
    `curl -i${request.method === "GET" ? "" : ` -X ${request.method}`} ${shellQuote(baseUrl + request.target)}`,
  ];
  for (const [name, value] of request.headers) lines.push(`  -H ${shellQuote(`${name}: ${value}`)}`);
  if (request.body !== undefined) lines.push(`  --data-raw ${shellQuote(JSON.stringify(request.body, null, 2))}`);
  return lines.join(" \\\n");
}

/** Every operation's sample request, in document order. */
export function sampleRequests(doc: OpenApiDoc): SampleRequest[] {
  return listOperations(doc).map((op) => sampleRequest(doc, op));
}
