// The sandbox on the network. Per API, three hops on 127.0.0.1:
//   front (the port you call: CORS, faults, the sandbox's own routes, the gate)
//     -> prism proxy for the API's bundled spec (no --errors: it validates and reports)
//       -> the sandbox itself, on a private port.
// The gate reads Prism's `sl-violations` header: a response that breaks the spec, or a success
// answer to a request the spec forbids, becomes a 500 problem+json listing the violations. Invalid
// requests thus reach the sandbox, which answers the documented 400 in the vendor's shape.
// With gate "in-process" (no Prism: the published package's fallback), the same checks run with the
// sandbox's own validator.
import {
  createServer,
  request as httpRequest,
  Agent,
  type IncomingMessage,
  type Server,
  type ServerResponse,
} from "node:http";
import { copyFileSync, mkdtempSync, rmSync } from "node:fs";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { problem } from "./engine.js";
import { checkFaultRules, FaultInjector } from "./faults.js";
import { startMock, type RunningMock } from "./prism.js";
import { apiNames, controlPrefix, type ApiName, type Sandbox } from "./sandbox.js";
import type { SandboxRequest, SandboxResponse } from "./types.js";

export type Gate = "prism" | "in-process";

export interface ServeOptions {
  sandbox: Sandbox;
  /** The bundled spec file of each API, for Prism. */
  specFiles: Record<ApiName, string>;
  /** The front port of each API; 0 or absent picks a free one. */
  ports?: Partial<Record<ApiName, number>>;
  host?: string;
  gate?: Gate;
  /** Larger request bodies get a 400 in the API's shape (default 10 MiB, Prism's own limit). */
  bodyLimitBytes?: number;
  onLog?: (api: ApiName, line: string) => void;
}

export interface RunningSandbox {
  urls: Record<ApiName, string>;
  faults: Record<ApiName, FaultInjector>;
  gate: Gate;
  stop(): Promise<void>;
}

export const defaultBodyLimitBytes = 10 * 1024 * 1024;

/** A Prism violation, as listed in `sl-violations`. */
export interface Violation {
  location?: (string | number)[];
  severity?: string;
  code?: string | number;
  message?: string;
}

export async function serveSandbox(options: ServeOptions): Promise<RunningSandbox> {
  const {
    sandbox,
    specFiles,
    ports = {},
    host = "127.0.0.1",
    gate = "prism",
    bodyLimitBytes = defaultBodyLimitBytes,
    onLog,
  } = options;
  const servers: Server[] = [];
  const prisms: RunningMock[] = [];
  const agent = new Agent({ keepAlive: true, maxSockets: 64 });
  // Prism watches its spec file and restarts when it changes: it gets private copies, so rebuilding
  // the bundles never restarts it mid-run.
  const specDir = gate === "prism" ? mkdtempSync(join(tmpdir(), "cx-sandbox-")) : undefined;
  const stop = async () => {
    await Promise.allSettled([...servers.map(closeServer), ...prisms.map((p) => p.stop())]);
    agent.destroy();
    if (specDir) rmSync(specDir, { recursive: true, force: true });
  };
  try {
    const faults = Object.fromEntries(apiNames.map((api) => [api, new FaultInjector()])) as Record<
      ApiName,
      FaultInjector
    >;
    const urls = {} as Record<ApiName, string>;
    await Promise.all(
      apiNames.map(async (api) => {
        let prismUrl: string | undefined;
        if (gate === "prism") {
          const upstream = await listen(
            createServer((req, res) => {
              const engine = sandbox.engines[api];
              void readRequest(req, bodyLimitBytes).then((r) =>
                send(res, "tooLarge" in r ? r.tooLarge(engine) : engine.handle(r, sandbox.store)),
              );
            }),
            host,
            0,
          );
          servers.push(upstream.server);
          const spec = join(specDir!, `${api}.json`);
          copyFileSync(specFiles[api], spec);
          const prism = await startMock({
            spec,
            upstream: upstream.url,
            host,
            ...(onLog ? { onLog: (line: string) => onLog(api, line) } : {}),
          });
          prisms.push(prism);
          prismUrl = prism.url;
        }
        const front = await listen(
          createServer(
            (req, res) =>
              void frontHandler({ api, sandbox, faults: faults[api], prismUrl, agent, bodyLimitBytes }, req, res),
          ),
          host,
          ports[api] ?? 0,
        );
        servers.push(front.server);
        urls[api] = front.url;
      }),
    );
    return { urls, faults, gate, stop };
  } catch (error) {
    await stop();
    throw error;
  }
}

interface FrontContext {
  api: ApiName;
  sandbox: Sandbox;
  faults: FaultInjector;
  /** Where Prism listens; undefined with the in-process gate. */
  prismUrl: string | undefined;
  agent: Agent;
  bodyLimitBytes: number;
}

async function frontHandler(ctx: FrontContext, req: IncomingMessage, res: ServerResponse): Promise<void> {
  const origin = req.headers.origin;
  try {
    if (req.method === "OPTIONS" && req.headers["access-control-request-method"])
      return send(res, preflight(req), origin);
    const read = await readRequest(req, ctx.bodyLimitBytes);
    const engine = ctx.sandbox.engines[ctx.api];
    if ("tooLarge" in read) return send(res, read.tooLarge(engine), origin);
    const request = read;
    const faultControl = faultRoute(ctx, request);
    if (faultControl) return send(res, faultControl, origin);
    const own = ctx.sandbox.control(ctx.api, request);
    if (own) return send(res, own, origin);

    const fault = ctx.faults.pick(request);
    if (fault && "problem" in fault) return send(res, engine.error(400, fault.problem), origin);
    if (fault?.delayMs) await delay(fault.delayMs, req);
    if (req.socket.destroyed) return;
    if (fault?.status !== undefined) {
      const answer = engine.error(fault.status, `fault injected by the sandbox (status ${fault.status})`);
      if (fault.retryAfter !== undefined) answer.headers["retry-after"] = String(fault.retryAfter);
      return send(res, answer, origin);
    }

    // Prism cannot take a malformed JSON body (it answers with its own error and a stack trace) or
    // a path with broken percent-encoding (it crashes): such a request goes to the sandbox directly,
    // and its answer is checked in process.
    if (ctx.prismUrl === undefined || malformedJson(request) || malformedPath(request))
      return send(res, checked(ctx, request), origin);
    return send(res, await throughPrism(ctx, req, request), origin);
  } catch (error) {
    send(res, problem(500, "The sandbox failed", [error instanceof Error ? error.message : String(error)]), origin);
  }
}

/** The sandbox's answer, checked against the spec by its own validator. */
function checked(ctx: FrontContext, request: SandboxRequest): SandboxResponse {
  const engine = ctx.sandbox.engines[ctx.api];
  const response = engine.handle(request, ctx.sandbox.store);
  const route = engine.route(request);
  if (!route) return response;
  const verdict = engine.validator.validateResponse({
    operationId: route,
    status: response.status,
    contentType: response.headers["content-type"],
    body: response.body,
  });
  return verdict.valid ? response : problem(500, "The sandbox's response breaks the spec", verdict.errors);
}

function faultRoute(ctx: FrontContext, request: SandboxRequest): SandboxResponse | undefined {
  if (request.path !== `${controlPrefix}/faults`) return undefined;
  const json = (status: number, body?: unknown): SandboxResponse =>
    body === undefined ? { status, headers: {} } : { status, headers: { "content-type": "application/json" }, body };
  switch (request.method.toUpperCase()) {
    case "GET":
      return json(200, ctx.faults.rules);
    case "DELETE":
      ctx.faults.clear();
      return json(204);
    case "PUT": {
      let value: unknown;
      try {
        value = JSON.parse(request.body || "null");
      } catch {
        return json(400, { message: "(body) is not valid JSON" });
      }
      const checkedRules = checkFaultRules(value);
      if ("problems" in checkedRules) return json(400, { message: checkedRules.problems.join("; ") });
      ctx.faults.set(checkedRules.rules);
      return json(204);
    }
    default:
      return json(405, { message: "use GET, PUT or DELETE" });
  }
}

async function throughPrism(
  ctx: FrontContext,
  req: IncomingMessage,
  request: SandboxRequest,
): Promise<SandboxResponse> {
  const url = new URL(req.url ?? "/", ctx.prismUrl);
  const headers: Record<string, string> = {};
  for (const [name, value] of Object.entries(request.headers))
    if (value !== undefined && !hopByHop.has(name)) headers[name] = value;
  const { status, headers: answerHeaders, text } = await forward(ctx.agent, url, request.method, headers, request.body);
  const violations = parseViolations(answerHeaders["sl-violations"]);
  const broken = violations.filter((v) => v.location?.[0] === "response");
  if (broken.length) return problem(500, "The sandbox's response breaks the spec", broken.map(describeViolation));
  const refused = violations.filter((v) => v.location?.[0] === "request" && v.severity === "Error");
  if (refused.length && status < 400)
    return problem(500, "The sandbox accepted a request the spec forbids", refused.map(describeViolation));
  const out: Record<string, string> = {};
  for (const [name, value] of Object.entries(answerHeaders)) {
    if (!hopByHop.has(name) && !name.startsWith("access-control-") && name !== "content-length" && name !== "vary")
      out[name] = value;
  }
  let body: unknown;
  if (text !== "") {
    try {
      body = JSON.parse(text);
    } catch {
      return problem(500, "The sandbox answered a body that is not JSON", [text.slice(0, 200)]);
    }
  }
  return { status, headers: out, body };
}

function describeViolation(v: Violation): string {
  return `${(v.location ?? []).join(".")}: ${v.message ?? String(v.code ?? "violation")}`;
}

export function parseViolations(header: string | undefined): Violation[] {
  if (!header) return [];
  try {
    const parsed: unknown = JSON.parse(header);
    return Array.isArray(parsed) ? (parsed as Violation[]) : [];
  } catch {
    return [{ location: ["response"], message: `unreadable sl-violations header: ${header.slice(0, 200)}` }];
  }
}

export const hopByHop = new Set([
  "connection",
  "keep-alive",
  "transfer-encoding",
  "upgrade",
  "host",
  "content-length",
  "proxy-connection",
  "te",
  "trailer",
]);

export function forward(
  agent: Agent,
  url: URL,
  method: string,
  headers: Record<string, string>,
  body: string | undefined,
): Promise<{ status: number; headers: Record<string, string>; text: string }> {
  return new Promise((resolve, reject) => {
    const outgoing = httpRequest(
      url,
      {
        method,
        headers: body ? { ...headers, "content-length": String(Buffer.byteLength(body)) } : headers,
        agent,
        timeout: 30_000,
      },
      (answer) => {
        const chunks: Buffer[] = [];
        answer.on("data", (c: Buffer) => chunks.push(c));
        answer.on("error", reject);
        answer.on("end", () => {
          const flat: Record<string, string> = {};
          for (const [k, v] of Object.entries(answer.headers))
            if (v !== undefined) flat[k] = Array.isArray(v) ? v.join(", ") : v;
          resolve({ status: answer.statusCode ?? 502, headers: flat, text: Buffer.concat(chunks).toString("utf8") });
        });
      },
    );
    outgoing.on("timeout", () => outgoing.destroy(new Error("Prism did not answer within 30 s")));
    outgoing.on("error", reject);
    outgoing.end(body);
  });
}

function malformedPath(request: SandboxRequest): boolean {
  try {
    decodeURIComponent(request.path);
    return false;
  } catch {
    return true;
  }
}

function malformedJson(request: SandboxRequest): boolean {
  if (!request.body) return false;
  try {
    JSON.parse(request.body);
    return false;
  } catch {
    return true;
  }
}

type ReadResult =
  | SandboxRequest
  | { tooLarge: (engine: { error(status: number, ...m: string[]): SandboxResponse }) => SandboxResponse };

/** Reads a request; a body over the limit is drained, not kept, and answered with a 400. */
export function readRequest(req: IncomingMessage, limit: number): Promise<ReadResult> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on("data", (chunk: Buffer) => {
      size += chunk.length;
      if (size <= limit) chunks.push(chunk);
    });
    req.on("error", reject);
    req.on("end", () => {
      if (size > limit)
        return resolve({
          tooLarge: (engine) => engine.error(400, `the request body is larger than the limit of ${limit} bytes`),
        });
      const headers: Record<string, string> = {};
      for (const [k, v] of Object.entries(req.headers))
        if (v !== undefined) headers[k] = Array.isArray(v) ? v.join(", ") : v;
      const url = req.url ?? "/";
      const query = url.indexOf("?");
      resolve({
        method: req.method ?? "GET",
        path: query < 0 ? url : url.slice(0, query),
        headers,
        body: Buffer.concat(chunks).toString("utf8"),
      });
    });
  });
}

const exposed = "retry-after, location, sl-violations, content-type";

/** CORS preflight: any origin may call the sandbox, with any of the headers the clients send. */
function preflight(req: IncomingMessage): SandboxResponse {
  return {
    status: 204,
    headers: {
      "access-control-allow-methods": "GET, POST, PUT, PATCH, DELETE, OPTIONS",
      "access-control-allow-headers": String(
        req.headers["access-control-request-headers"] ?? "content-type, authorization, xx-relay-api-key",
      ),
      "access-control-max-age": "600",
    },
  };
}

function send(res: ServerResponse, response: SandboxResponse, origin?: string): void {
  if (res.headersSent || res.destroyed) return;
  const text = response.body === undefined ? "" : JSON.stringify(response.body);
  const headers: Record<string, string> = { ...response.headers };
  if (origin) {
    headers["access-control-allow-origin"] = origin;
    headers["access-control-expose-headers"] = exposed;
    headers.vary = "Origin";
  }
  if (response.status !== 204) headers["content-length"] = String(Buffer.byteLength(text));
  res.writeHead(response.status, headers);
  res.end(response.status === 204 ? undefined : text);
}

function delay(ms: number, req: IncomingMessage): Promise<void> {
  return new Promise((resolve) => {
    const timer = setTimeout(done, ms);
    // A caller that gave up (its own timeout) ends the wait.
    req.socket.once("close", done);
    function done() {
      clearTimeout(timer);
      req.socket.off("close", done);
      resolve();
    }
  });
}

export function listen(server: Server, host: string, port: number): Promise<{ server: Server; url: string }> {
  return new Promise((resolve, reject) => {
    server.once("error", reject);
    server.listen(port, host, () => {
      server.off("error", reject);
      resolve({ server, url: `http://${host}:${(server.address() as AddressInfo).port}` });
    });
  });
}

export function closeServer(server: Server): Promise<void> {
  return new Promise((resolve) => {
    server.close(() => resolve());
    server.closeAllConnections();
  });
}
