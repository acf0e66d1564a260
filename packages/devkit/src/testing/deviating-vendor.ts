// Fake vendors that break the spec on purpose, one per API, on 127.0.0.1: each answers every
// operation, most as the spec says and some with deviations it lists (`deviations`, as the drift
// checker reports them), and every 5th call of one operation with a 503 and `Retry-After: 2`. Any
// API key or bearer token is accepted. The tests of the proxy's evidence, recordings and fault
// profiles run against them, and `pnpm drift:vendor` serves one to rehearse the loop from observed
// traffic to a reviewed spec change without a real vendor.
import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { originForm, type ApiName } from "@cx-openapi/spec";
import { hiirelevateVendor } from "./deviating-vendor-hiirelevate.js";
import { relayCdmVendor } from "./deviating-vendor-relay-cdm.js";
import type {
  VendorAnswer,
  VendorDefinition,
  VendorDeviation,
  VendorRequest,
  VendorRoute,
} from "./deviating-vendor-types.js";

export { personalValues, vendorPerson, type DeviationKind, type VendorDeviation } from "./deviating-vendor-types.js";

export interface DeviatingVendorOptions {
  /** Where it listens on 127.0.0.1 (default: a free port). */
  port?: number;
}

/** One call the vendor answered: the operation (absent off the spec's routes), its path template, the status. */
export interface VendorCall {
  operationId: string | undefined;
  method: string;
  /** The operation's path template (the raw path when no route matched). */
  path: string;
  status: number;
}

export interface DeviatingVendor {
  url: string;
  port: number;
  stop(): Promise<void>;
  /** Every call answered, in order. */
  calls: VendorCall[];
  /** Every deviation it makes, the 503 fault (`every`) included. */
  deviations: readonly VendorDeviation[];
}

const definitions: Readonly<Record<ApiName, VendorDefinition>> = {
  "relay-cdm": relayCdmVendor,
  hiirelevate: hiirelevateVendor,
};

/** The deviations an API's vendor makes, without starting it (for a test that runs `pnpm drift:vendor`). */
export function vendorDeviations(api: ApiName): readonly VendorDeviation[] {
  return deviationsOf(definitions[api]);
}

/** The largest request body read; a larger one is answered 413. */
const maxBodyBytes = 1024 * 1024;

/** Starts the API's deviating vendor on 127.0.0.1; `stop()` ends it and its connections. */
export async function startDeviatingVendor(
  api: ApiName,
  options: DeviatingVendorOptions = {},
): Promise<DeviatingVendor> {
  const definition = definitions[api];
  if (!definition) throw new Error(`startDeviatingVendor: no vendor for "${api}" (relay-cdm or hiirelevate)`);
  const calls: VendorCall[] = [];
  const answer = answerer(definition);
  const server = createServer((req, res) => {
    readBody(req)
      .then((text) => {
        const { call, reply } = answer(req, text);
        calls.push({ ...call, status: reply.status });
        send(res, reply);
      })
      .catch((error: unknown) => {
        const status = error === tooLarge ? 413 : 500;
        const message = status === 413 ? `A body over ${maxBodyBytes} bytes` : "The vendor failed";
        send(res, { status, body: definition.error(status, message) });
      });
  });
  // Every wait has a deadline: a client that stalls its headers or body is cut off.
  server.headersTimeout = 10_000;
  server.requestTimeout = 20_000;
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(options.port ?? 0, "127.0.0.1", resolve);
  });
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    port,
    calls,
    deviations: deviationsOf(definition),
    stop: () =>
      new Promise((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

/** The definition's deviations and its 503 fault. */
function deviationsOf(definition: VendorDefinition): VendorDeviation[] {
  const { operationId, every } = definition.unavailable;
  const route = definition.routes.find((r) => r.operationId === operationId)!;
  const fault: VendorDeviation = {
    operationId,
    method: route.method,
    path: route.path,
    status: 503,
    rule: "undeclared-status",
    pointer: "",
    kind: "unavailable",
    piiField: false,
    every,
  };
  return [...definition.deviations, fault];
}

const tooLarge = new Error("body too large");

/** The request's body as text, at most `maxBodyBytes` (else rejects with `tooLarge`). */
function readBody(req: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on("data", (chunk: Buffer) => {
      size += chunk.length;
      if (size > maxBodyBytes) {
        req.removeAllListeners("data");
        req.resume();
        reject(tooLarge);
      } else chunks.push(chunk);
    });
    req.on("end", () => resolve(Buffer.concat(chunks).toString("utf8")));
    req.on("error", reject);
  });
}

interface Answered {
  call: Omit<VendorCall, "status">;
  reply: VendorAnswer;
}

/** Routes a request: its target, its route, its credential, its body, then the 503 fault or the route's answer. */
function answerer(definition: VendorDefinition): (req: IncomingMessage, text: string) => Answered {
  const routes = definition.routes.map((route) => ({ route, pattern: templatePattern(route.path) }));
  const counts = new Map<string, number>();
  const fail = (status: number, message: string): VendorAnswer => ({
    status,
    body: definition.error(status, message),
  });
  return (req, text) => {
    const method = (req.method ?? "GET").toUpperCase();
    const target = originForm(req.url);
    if ("refused" in target)
      return { call: { operationId: undefined, method, path: "" }, reply: fail(400, target.refused) };
    const matched = matchRoute(routes, method, target.path);
    if (!matched) return { call: { operationId: undefined, method, path: target.path }, reply: fail(404, "Not found") };
    const { route, params } = matched;
    const call = { operationId: route.operationId, method, path: route.path };
    if (!route.open && !definition.authorized(req.headers)) return { call, reply: fail(401, "Unauthorized") };
    if (params === undefined) return { call, reply: fail(400, "A path parameter is not valid percent-encoding") };
    const body = parseBody(req.headers["content-type"], text);
    if (body === invalid) return { call, reply: fail(400, "The body is not valid JSON") };
    const count = (counts.get(route.path + method) ?? 0) + 1;
    counts.set(route.path + method, count);
    const { operationId, every, retryAfterSeconds } = definition.unavailable;
    if (route.operationId === operationId && count % every === 0) {
      const reply = fail(503, "Service unavailable, try again later");
      return { call, reply: { ...reply, headers: { "retry-after": String(retryAfterSeconds) } } };
    }
    const request: VendorRequest = { params, query: new URLSearchParams(target.search), text, body };
    return { call, reply: route.answer(request) };
  };
}

/** A path template as a regex: each `{name}` one segment, captured by name. */
function templatePattern(template: string): { regex: RegExp; names: string[] } {
  const names: string[] = [];
  const source = template
    .split(/(\{[^}]+\})/)
    .map((part) => {
      if (!part.startsWith("{")) return part.replace(/[.*+?^$()|[\]\\]/g, "\\$&");
      names.push(part.slice(1, -1));
      return "([^/]+)";
    })
    .join("");
  return { regex: new RegExp(`^${source}$`), names };
}

/** The route of a method and path, and its parameters decoded (undefined when one does not decode). */
function matchRoute(
  routes: { route: VendorRoute; pattern: { regex: RegExp; names: string[] } }[],
  method: string,
  path: string,
): { route: VendorRoute; params: Record<string, string> | undefined } | undefined {
  for (const { route, pattern } of routes) {
    if (route.method !== method) continue;
    const match = pattern.regex.exec(path);
    if (!match) continue;
    try {
      return {
        route,
        params: Object.fromEntries(pattern.names.map((name, i) => [name, decodeURIComponent(match[i + 1]!)])),
      };
    } catch {
      return { route, params: undefined };
    }
  }
  return undefined;
}

const invalid = Symbol("invalid JSON");

/** The JSON body, undefined when there is none or it is not JSON, `invalid` when JSON fails to parse. */
function parseBody(contentType: string | undefined, text: string): unknown {
  const media = (contentType ?? "").split(";")[0]!.trim().toLowerCase();
  if (text === "" || !(media === "application/json" || media.endsWith("+json"))) return undefined;
  try {
    return JSON.parse(text);
  } catch {
    return invalid;
  }
}

function send(res: ServerResponse, reply: VendorAnswer): void {
  if (res.headersSent) return;
  const headers: Record<string, string> = { ...reply.headers };
  if (reply.body === undefined) return void res.writeHead(reply.status, headers).end();
  headers["content-type"] = "application/json";
  res.writeHead(reply.status, headers).end(JSON.stringify(reply.body));
}
