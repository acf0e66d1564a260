// The sandbox on the network. Per API, three hops on the host it binds:
//   front (the port you call: request-target and size checks, CORS, the sandbox's own routes,
//          faults, the gate's verdict)
//     -> prism proxy for the API's bundled spec (gate.ts), restarted if it exits
//       -> the sandbox itself, on a private port.
// A request the sandbox finds invalid never reaches Prism: the sandbox answers the documented 400
// and the front checks that answer with the sandbox's own validator. With gate "in-process" (no
// Prism: the published package's fallback) every answer is checked that way.
import { apiNames, originForm, startPrism, type ApiName } from "@cx-openapi/spec";
import { Agent, createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import { adminRefusal, corsHeaders, preflight, type AdminPolicy, type CorsOrigins } from "./cors.js";
import { problem } from "./engine.js";
import { FaultInjector } from "./faults.js";
import { faultRoute } from "./fault-route.js";
import { judge, supervisePrism, type GateEvents, type SupervisedPrism } from "./gate.js";
import {
  closeServer,
  endToEnd,
  flatHeaders,
  forward,
  hardened,
  isConnectionLost,
  isLoopback,
  listen,
  readBody,
  sendText,
} from "./http.js";
import { resolveLimits, type Limits } from "./limits.js";
import { controlPrefix } from "./control-routes.js";
import type { Sandbox } from "./sandbox.js";
import type { SandboxRequest, SandboxResponse } from "./types.js";

export type Gate = "prism" | "in-process";

export interface ServeOptions {
  sandbox: Sandbox;
  /** The bundled spec file of each API, for Prism. */
  specFiles: Record<ApiName, string>;
  /** The front port of each API; 0 or absent picks a free one. */
  ports?: Partial<Record<ApiName, number>>;
  /** 127.0.0.1 by default. Any other than loopback needs `adminToken`. */
  host?: string;
  gate?: Gate;
  /** Body size, JSON depth and violations listed (see limits.ts for the defaults). */
  limits?: Partial<Limits>;
  /** Required beyond loopback: every call of `/__sandbox/*` must then carry it as a bearer token. */
  adminToken?: string;
  /** Origins whose pages may call the API routes: any by default on loopback, none beyond it. */
  corsOrigins?: CorsOrigins;
  onLog?: (api: ApiName, line: string) => void;
  /** Prism exited and is restarting, or is back (default: written to stderr). */
  onGateEvent?: (message: string) => void;
  /** Prism keeps exiting: the gate gave up, and the API answers 503 from now on (default: stderr). */
  onGateFatal?: (error: Error) => void;
}

export interface RunningSandbox {
  urls: Record<ApiName, string>;
  faults: Record<ApiName, FaultInjector>;
  gate: Gate;
  limits: Limits;
  stop(): Promise<void>;
}

/** How long the front waits for Prism's whole answer. */
const gateTimeoutMs = 30_000;

export async function serveSandbox(options: ServeOptions): Promise<RunningSandbox> {
  const { sandbox, specFiles, ports = {}, host = "127.0.0.1", gate = "prism" } = options;
  const access = accessOf(host, options);
  const limits = resolveLimits(options.limits);
  const servers: Server[] = [];
  const gates: SupervisedPrism[] = [];
  const agent = new Agent({ keepAlive: true, maxSockets: 64 });
  const stop = async () => {
    await Promise.allSettled([...servers.map(closeServer), ...gates.map((g) => g.stop())]);
    agent.destroy();
  };
  const events: GateEvents = {
    onEvent: options.onGateEvent ?? ((message) => console.error(`cx-sandbox: ${message}`)),
    onFatal: options.onGateFatal ?? ((error) => console.error(`cx-sandbox: ✖ ${error.message}`)),
  };
  try {
    const faults = Object.fromEntries(apiNames.map((api) => [api, new FaultInjector()])) as Record<
      ApiName,
      FaultInjector
    >;
    const urls = {} as Record<ApiName, string>;
    const serveApi = async (api: ApiName) => {
      let prism: SupervisedPrism | undefined;
      if (gate === "prism") {
        const upstream = await listen(privateServer(sandbox, api, limits), host, 0);
        servers.push(upstream.server);
        const onLog = options.onLog;
        const start = () =>
          startPrism({
            spec: specFiles[api],
            upstream: upstream.url,
            host,
            ...(onLog ? { onLog: (l: string) => onLog(api, l) } : {}),
          });
        prism = await supervisePrism(api, start, events);
        gates.push(prism);
      }
      const ctx: FrontContext = { api, sandbox, faults: faults[api], prism, agent, limits, ...access };
      const front = await listen(frontServer(ctx), host, ports[api] ?? 0);
      servers.push(front.server);
      urls[api] = front.url;
    };
    await Promise.all(apiNames.map(serveApi));
    return { urls, faults, gate, limits, stop };
  } catch (error) {
    await stop();
    throw error;
  }
}

/** Who may call: beyond loopback, only with an admin token and named CORS origins. */
function accessOf(host: string, options: ServeOptions): { admin: AdminPolicy; cors: CorsOrigins } {
  const loopback = isLoopback(host);
  if (!loopback && !options.adminToken)
    throw new Error(
      `serving on ${host} (beyond loopback) needs an admin token for /__sandbox/* (--admin-token or CX_SANDBOX_ADMIN_TOKEN)`,
    );
  const cors = options.corsOrigins ?? (loopback ? "any" : []);
  if (!loopback && cors === "any")
    throw new Error(`serving on ${host} (beyond loopback) allows only named CORS origins (--cors-origin)`);
  return { admin: { token: options.adminToken, loopback }, cors };
}

/**
 * The sandbox on its private port, where only Prism calls it: the API's operations only (the
 * sandbox's own routes are the front's), under the same limits.
 */
function privateServer(sandbox: Sandbox, api: ApiName, limits: Limits): Server {
  const engine = sandbox.engines[api];
  return hardened(
    createServer((req, res) => {
      void readBody(req, limits.bodyBytes).then(
        (read) => {
          const target = originForm(req.url);
          if ("tooLarge" in read || "refused" in target) return reply(res, engine.error(400, "refused by the front"));
          const request = {
            method: req.method ?? "GET",
            path: target.path,
            headers: flatHeaders(req.headers),
            ...read,
          };
          reply(res, engine.handle(request, sandbox.store, limits));
        },
        () => res.destroy(),
      );
    }),
  );
}

interface FrontContext {
  api: ApiName;
  sandbox: Sandbox;
  faults: FaultInjector;
  /** Prism, with the prism gate; undefined with the in-process gate. */
  prism: SupervisedPrism | undefined;
  agent: Agent;
  limits: Limits;
  admin: AdminPolicy;
  cors: CorsOrigins;
}

function frontServer(ctx: FrontContext): Server {
  return hardened(createServer((req, res) => void front(ctx, req, res)));
}

async function front(ctx: FrontContext, req: IncomingMessage, res: ServerResponse): Promise<void> {
  const engine = ctx.sandbox.engines[ctx.api];
  const headers = flatHeaders(req.headers);
  const target = originForm(req.url);
  if ("refused" in target) return reply(res, engine.error(400, target.refused), { connection: "close" });
  const own = target.path === controlPrefix || target.path.startsWith(`${controlPrefix}/`);
  const cors = own ? {} : corsHeaders(ctx.cors, headers.origin);
  if (own) {
    const refusal = adminRefusal(headers, ctx.admin);
    if (refusal) return reply(res, json(403, { message: refusal }), { connection: "close" });
  }
  if (req.method === "OPTIONS" && headers["access-control-request-method"]) {
    const answer = own ? { status: 403, headers: {} } : preflight(ctx.cors, headers);
    return reply(res, { status: answer.status, headers: answer.headers });
  }
  const read = await readBody(req, ctx.limits.bodyBytes);
  if ("tooLarge" in read) {
    const message = `the request body is larger than the limit of ${ctx.limits.bodyBytes} bytes`;
    return reply(res, engine.error(413, message), { ...cors, connection: "close" });
  }
  const request: SandboxRequest = { method: req.method ?? "GET", path: target.path, headers, body: read.body };
  try {
    const response = await answer(ctx, req, request, target.search);
    if (response) reply(res, response, cors);
  } catch (error) {
    reply(res, problem(500, "The sandbox failed", [error instanceof Error ? error.message : String(error)]), cors);
  }
}

/**
 * The answer to a request that passed the front's checks: a sandbox route, a fault, or the API;
 * undefined when the caller gave up during an injected delay (nothing is then changed).
 */
async function answer(
  ctx: FrontContext,
  req: IncomingMessage,
  request: SandboxRequest,
  search: string,
): Promise<SandboxResponse | undefined> {
  const engine = ctx.sandbox.engines[ctx.api];
  const own = faultRoute(ctx.faults, request) ?? ctx.sandbox.control(ctx.api, request);
  if (own) return own;
  const fault = ctx.faults.pick(request);
  if (fault && "problem" in fault) return engine.error(400, fault.problem);
  if (fault?.delayMs) await delay(fault.delayMs, req);
  if (req.socket.destroyed) return undefined;
  if (fault?.status !== undefined) {
    const failed = engine.error(fault.status, `fault injected by the sandbox (status ${fault.status})`);
    if (fault.retryAfter !== undefined) failed.headers["retry-after"] = String(fault.retryAfter);
    return failed;
  }
  const refused = engine.inspect(request, ctx.limits).violations;
  if (ctx.prism === undefined || refused.length) return checked(ctx, request, refused);
  return throughPrism(ctx, request, search);
}

/**
 * The sandbox's answer, checked against the spec by its own validator. `refused` lists what the
 * sandbox's validator found wrong with the request: a success answer to it breaks the contract.
 */
function checked(ctx: FrontContext, request: SandboxRequest, refused: string[]): SandboxResponse {
  const engine = ctx.sandbox.engines[ctx.api];
  const response = ctx.sandbox.handle(ctx.api, request, ctx.limits);
  if (refused.length && response.status < 400)
    return problem(500, "The sandbox accepted a request the spec forbids", refused);
  if (refused.length) response.headers["sl-violations"] = violationsHeader(refused);
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

async function throughPrism(ctx: FrontContext, request: SandboxRequest, search: string): Promise<SandboxResponse> {
  const gate = ctx.prism?.current();
  if (!gate) return restarting(ctx);
  const exchange = { method: request.method, target: `${request.path}${search}`, headers: endToEnd(request.headers) };
  let answer: Awaited<ReturnType<typeof forward>>;
  try {
    answer = await forward(
      gate,
      { ...exchange, body: request.body },
      { agent: ctx.agent, timeoutMs: gateTimeoutMs, maxAnswerBytes: 16 * ctx.limits.bodyBytes },
    );
  } catch (error) {
    // Prism exited between the check above and this call: the supervisor is restarting it.
    if (isConnectionLost(error)) return restarting(ctx);
    throw error;
  }
  const verdict = judge(answer);
  if (verdict) return problem(500, verdict.title, verdict.violations);
  const headers: Record<string, string> = {};
  for (const [name, value] of Object.entries(endToEnd(answer.headers)))
    if (!name.startsWith("access-control-") && name !== "vary") headers[name] = value;
  if (answer.text === "") return { status: answer.status, headers };
  try {
    return { status: answer.status, headers, body: JSON.parse(answer.text) };
  } catch {
    return problem(500, "The sandbox answered a body that is not JSON", []);
  }
}

/**
 * What the sandbox's validator found wrong with a request, in `sl-violations` as Prism writes it
 * for the requests it sees; escaped to ASCII, since a header value takes nothing else.
 */
function violationsHeader(messages: string[]): string {
  const list = messages.map((message) => ({ location: ["request"], severity: "Error", message }));
  return JSON.stringify(list).replace(/[^\x20-\x7e]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, "0")}`);
}

function restarting(ctx: FrontContext): SandboxResponse {
  const answer = ctx.sandbox.engines[ctx.api].error(503, "the contract gate (Prism) is restarting; try again shortly");
  answer.headers["retry-after"] = "1";
  return answer;
}

function json(status: number, body: unknown): SandboxResponse {
  return { status, headers: { "content-type": "application/json" }, body };
}

function reply(res: ServerResponse, response: SandboxResponse, extra: Record<string, string> = {}): void {
  const text = response.body === undefined ? "" : JSON.stringify(response.body);
  sendText(res, response.status, { ...response.headers, ...extra }, text);
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
