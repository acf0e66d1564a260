// The port each API is called on: the request target, the sandbox's own routes (same-origin only),
// CORS and the body limit, then one exchange (exchange.ts), whose outcome it sends: an answer, a
// body a fault broke, or a reset connection.
import { originForm } from "@cx-openapi/spec";
import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import { apiAnswer, type ApiAnswerContext } from "./api-answer.js";
import { isControlPath, json } from "./control-routes.js";
import { adminRefusal, corsHeaders, preflight, type AdminPolicy, type CorsOrigins } from "./cors.js";
import { problem } from "./engine.js";
import { corruptBody, exchange, type Corruption } from "./exchange.js";
import { ownPage, type PagesContext } from "./front-pages.js";
import { sendStream, type OpenStreams } from "./front-stream.js";
import { flatHeaders, hardened, readBody, sendText } from "./http.js";
import { bodyText, type SandboxRequest, type SandboxResponse } from "./types.js";

export interface FrontContext extends ApiAnswerContext, PagesContext {
  admin: AdminPolicy;
  cors: CorsOrigins;
  /** The journal streams being sent, ended first when the server stops. */
  streams: OpenStreams;
}

export function frontServer(ctx: FrontContext): Server {
  return hardened(createServer((req, res) => void front(ctx, req, res)));
}

async function front(ctx: FrontContext, req: IncomingMessage, res: ServerResponse): Promise<void> {
  const engine = ctx.sandbox.engines[ctx.api];
  const headers = flatHeaders(req.headers);
  const target = originForm(req.url);
  if ("refused" in target) return reply(res, engine.error(400, target.refused), { connection: "close" });
  const page = ownPage(ctx, req.method ?? "GET", target.path, headers);
  if (page) return reply(res, page);
  const own = isControlPath(target.path);
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
  const query = target.search.slice(1);
  const request: SandboxRequest = { method: req.method ?? "GET", path: target.path, query, headers, body: read.body };
  try {
    await exchangeOne(ctx, req, res, request, cors);
  } catch (error) {
    reply(res, problem(500, "The sandbox failed", [error instanceof Error ? error.message : String(error)]), cors);
  }
}

async function exchangeOne(
  ctx: FrontContext,
  req: IncomingMessage,
  res: ServerResponse,
  request: SandboxRequest,
  cors: Record<string, string>,
): Promise<void> {
  const outcome = await exchange(ctx.sandbox, ctx.api, request, {
    api: () => apiAnswer(ctx, request),
    wait: (ms) => delay(ms, req),
    limits: ctx.limits,
  });
  if (!outcome) return;
  // A reset connection: what a crashed upstream or a dropped network looks like to a client.
  if (outcome.kind === "reset") return void req.socket.resetAndDestroy();
  const { stream } = outcome.response;
  if (stream) return sendStream(res, { ...outcome.response, stream }, ctx.streams);
  reply(res, outcome.response, cors, outcome.corrupt);
}

function reply(
  res: ServerResponse,
  response: SandboxResponse,
  extra: Record<string, string> = {},
  corrupt?: Corruption,
): void {
  const text = bodyText(response);
  sendText(
    res,
    response.status,
    { ...response.headers, ...extra },
    corrupt && text ? corruptBody(text, corrupt) : text,
  );
}

/** Waits `ms`; false when the caller gave up meanwhile (its own timeout), which ends the wait. */
function delay(ms: number, req: IncomingMessage): Promise<boolean> {
  return new Promise((resolve) => {
    const timer = setTimeout(() => done(true), ms);
    const gone = () => done(false);
    req.socket.once("close", gone);
    function done(waited: boolean) {
      clearTimeout(timer);
      req.socket.off("close", gone);
      resolve(waited && !req.socket.destroyed);
    }
  });
}
