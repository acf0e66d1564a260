// Verifies a spec against a real service. Three hops, all on loopback but the last:
//   front (the port you call: request-target, size and depth checks, the report)
//     -> prism proxy for the spec (validates both ways, reports in `sl-violations`; restarted if it exits)
//       -> relay -> the real service at --target.
// The relay is why credentials never leave the target's origin: it forwards only to the target, and
// hands redirects back unfollowed (Prism's node-fetch would follow them to any origin, carrying
// `xx-relay-api-key`). The caller's client then decides; a Location on the target's own origin is
// rewritten to go through the proxy again.
// The report holds no body, header or credential, and names the path template, not the path (which
// may hold a ccid).
import { appendFileSync, writeFileSync } from "node:fs";
import { Agent, createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import {
  listOperations,
  matchOperation,
  originForm,
  startPrism,
  type OpenApiDoc,
  type Operation,
} from "@cx-openapi/spec";
import { parseViolations, supervisePrism, type GateEvents, type SupervisedPrism, type Violation } from "./gate.js";
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
  upstreamOf,
  type Answer,
  type Upstream,
} from "./http.js";
import { nestsDeeperThan, resolveLimits, type Limits } from "./limits.js";

export interface DeviationProxyOptions {
  /** The bundled spec file (JSON) of the API. */
  specFile: string;
  spec: OpenApiDoc;
  /** The real service's base URL (http or https). */
  target: string;
  /** JSON lines, one per request or response that breaks the spec. */
  reportFile: string;
  port?: number;
  /** A loopback address (127.0.0.1 by default): the proxy carries your credentials. */
  host?: string;
  /** Body size and JSON depth (see limits.ts). */
  limits?: Partial<Limits>;
  onGateEvent?: (message: string) => void;
  onGateFatal?: (error: Error) => void;
  /**
   * Called with every exchange the front forwards, after the report has it: for drift evidence and
   * recordings (`pnpm proxy --evidence`, `--record`). It sees the path, the headers and the bodies
   * as they are, in process; what it throws is ignored.
   */
  onExchange?: (exchange: ProxiedExchange) => void;
}

/** One exchange through the proxy, as `onExchange` gets it. */
export interface ProxiedExchange {
  method: string;
  /** The path as requested (it may hold personal values). */
  path: string;
  /** The query as requested, with its `?`, or "". */
  search: string;
  requestHeaders: Record<string, string>;
  /** The request's body as text ("" when there is none). */
  requestBody: string;
  requestContentType: string | undefined;
  status: number;
  /** The answer's Content-Type. */
  contentType: string | undefined;
  /** The answer's body as text. */
  body: string;
  /** The answer's Retry-After header, as sent. */
  retryAfter: string | undefined;
  /** From the request reaching the proxy to the upstream's whole answer, in ms. */
  durationMs: number;
  violations: Violation[];
}

export interface Deviation {
  time: string;
  method: string;
  /** The operation's path template, or "(no operation)" for a route the spec does not have. */
  path: string;
  operationId: string | null;
  status: number;
  violations: { side: "request" | "response"; rule: string; at: string; message: string; severity: string }[];
}

export interface DeviationSummary {
  requests: number;
  deviating: number;
  /** operationId (or path) -> rule -> count. */
  byOperation: Record<string, Record<string, number>>;
}

export interface RunningDeviationProxy {
  url: string;
  summary(): DeviationSummary;
  /** Stops, and writes the summary next to the report (`<report>.summary.json`). */
  stop(): Promise<DeviationSummary>;
}

/** The relay's name for a redirect's Location, so that Prism does not follow it. */
const heldLocation = "x-cx-upstream-location";
const timeoutMs = 60_000;
const maxAnswerBytes = 16 * 1024 * 1024;

export async function startDeviationProxy(options: DeviationProxyOptions): Promise<RunningDeviationProxy> {
  const { specFile, spec, reportFile, port = 0, host = "127.0.0.1" } = options;
  if (!isLoopback(host)) throw new Error(`the proxy listens on loopback only; got host ${JSON.stringify(host)}`);
  const target = upstreamOf(options.target);
  const limits = resolveLimits(options.limits);
  writeFileSync(reportFile, "");
  const report = deviationReport(spec, reportFile);
  const agent = new Agent({ keepAlive: true });
  const servers: Server[] = [];
  let prism: SupervisedPrism | undefined;
  const stopAll = async () => {
    await Promise.allSettled([...servers.map(closeServer), prism?.stop()]);
    agent.destroy();
  };
  try {
    const relay = await listen(relayServer(target), "127.0.0.1", 0);
    servers.push(relay.server);
    const events: GateEvents = {
      onEvent: options.onGateEvent ?? ((message) => console.error(`proxy: ${message}`)),
      onFatal: options.onGateFatal ?? ((error) => console.error(`proxy: ✖ ${error.message}`)),
    };
    prism = await supervisePrism("proxy", () => startPrism({ spec: specFile, upstream: relay.url }), events);
    const onExchange = options.onExchange;
    const front = await listen(frontServer({ prism, agent, limits, target, report, onExchange }), host, port);
    servers.push(front.server);
    return {
      url: front.url,
      summary: report.summary,
      stop: async () => {
        await stopAll();
        writeFileSync(`${reportFile}.summary.json`, `${JSON.stringify(report.summary(), null, 2)}\n`);
        return report.summary();
      },
    };
  } catch (error) {
    await stopAll();
    throw error;
  }
}

/** Forwards what Prism sends to the target's origin only, with every redirect held back. */
function relayServer(target: Upstream): Server {
  return hardened(
    createServer((req, res) => {
      void (async () => {
        const checked = originForm(req.url);
        const read = await readBody(req, maxAnswerBytes);
        if ("refused" in checked || "tooLarge" in read) return sendText(res, 400, {}, "");
        const headers = { ...endToEnd(flatHeaders(req.headers)), "accept-encoding": "identity" };
        const exchange = {
          method: req.method ?? "GET",
          target: `${checked.path}${checked.search}`,
          headers,
          body: read.body,
        };
        const answer = await forward(target, exchange, { timeoutMs, maxAnswerBytes });
        const out = endToEnd(answer.headers);
        if (out.location !== undefined) {
          out[heldLocation] = out.location;
          delete out.location;
        }
        sendText(res, answer.status, out, answer.text);
      })().catch(() => sendText(res, 502, { "content-type": "text/plain" }, "the target could not be reached"));
    }),
  );
}

interface FrontContext {
  prism: SupervisedPrism;
  agent: Agent;
  limits: Limits;
  target: Upstream;
  report: DeviationReport;
  onExchange: DeviationProxyOptions["onExchange"];
}

function frontServer(ctx: FrontContext): Server {
  return hardened(
    createServer((req, res) => {
      void proxyOne(ctx, req, res).catch((error: unknown) =>
        sendText(
          res,
          502,
          { "content-type": "text/plain" },
          `proxy: ${error instanceof Error ? error.message : String(error)}`,
        ),
      );
    }),
  );
}

async function proxyOne(ctx: FrontContext, req: IncomingMessage, res: ServerResponse): Promise<void> {
  const started = performance.now();
  const text = (status: number, message: string) =>
    sendText(res, status, { "content-type": "text/plain", connection: "close" }, `proxy: ${message}\n`);
  const target = originForm(req.url);
  if ("refused" in target) return text(400, target.refused);
  const read = await readBody(req, ctx.limits.bodyBytes);
  if ("tooLarge" in read) return text(413, `the request body is larger than ${ctx.limits.bodyBytes} bytes`);
  if (nestsDeeperThan(read.body, ctx.limits.depth))
    return text(400, `the JSON body nests deeper than ${ctx.limits.depth} levels`);
  const method = req.method ?? "GET";
  const headers = endToEnd(flatHeaders(req.headers));
  const exchange = { method, target: `${target.path}${target.search}`, headers, body: read.body };
  const answer = await throughPrism(ctx, exchange);
  if (!answer)
    return sendText(res, 503, { "retry-after": "1", "content-type": "text/plain" }, "proxy: Prism is restarting\n");
  const violations = parseViolations(answer.headers["sl-violations"]);
  ctx.report.add(method, target.path, answer.status, violations);
  handOver(ctx, {
    method,
    path: target.path,
    search: target.search,
    requestHeaders: headers,
    requestBody: read.body,
    requestContentType: headers["content-type"],
    status: answer.status,
    contentType: answer.headers["content-type"],
    body: answer.text,
    retryAfter: answer.headers["retry-after"],
    durationMs: Math.round(performance.now() - started),
    violations,
  });
  const out = endToEnd(answer.headers);
  const held = out[heldLocation];
  delete out[heldLocation];
  if (held !== undefined) out.location = throughProxy(held, ctx.target, req.headers.host ?? "");
  sendText(res, answer.status, out, answer.text);
}

/** Hands an exchange to `onExchange`: what the caller does with it must not touch the proxying. */
function handOver(ctx: FrontContext, exchange: ProxiedExchange): void {
  try {
    ctx.onExchange?.(exchange);
  } catch {
    // The caller's evidence, not the proxy's.
  }
}

/** Prism's answer, or undefined while Prism is restarting. */
async function throughPrism(ctx: FrontContext, exchange: Parameters<typeof forward>[1]): Promise<Answer | undefined> {
  const gate = ctx.prism.current();
  if (!gate) return undefined;
  try {
    return await forward(gate, exchange, { agent: ctx.agent, timeoutMs, maxAnswerBytes });
  } catch (error) {
    if (isConnectionLost(error)) return undefined;
    throw error;
  }
}

/** A Location on the target's own origin, made to point at the proxy; any other left as it is. */
function throughProxy(location: string, target: Upstream, proxyHost: string): string {
  const base = `${target.protocol}//${target.hostname}:${target.port}${target.basePath}/`;
  let url: URL;
  try {
    url = new URL(location, base);
  } catch {
    return location;
  }
  const port = url.port ? Number(url.port) : url.protocol === "https:" ? 443 : 80;
  const sameOrigin = url.protocol === target.protocol && url.hostname === target.hostname && port === target.port;
  if (!sameOrigin || !url.pathname.startsWith(`${target.basePath}/`)) return location;
  return `http://${proxyHost}${url.pathname.slice(target.basePath.length)}${url.search}`;
}

interface DeviationReport {
  add(method: string, path: string, status: number, violations: Violation[]): void;
  summary(): DeviationSummary;
}

/** The JSON-lines report and its running summary. */
function deviationReport(spec: OpenApiDoc, reportFile: string): DeviationReport {
  const operations = listOperations(spec);
  const summary: DeviationSummary = { requests: 0, deviating: 0, byOperation: {} };
  const add = (method: string, path: string, status: number, violations: Violation[]) => {
    summary.requests += 1;
    if (!violations.length) return;
    const operation = operationOf(spec, method, path, operations);
    const entry: Deviation = {
      time: new Date().toISOString(),
      method: method.toUpperCase(),
      path: operation?.path ?? "(no operation)",
      operationId: operation?.operationId ?? null,
      status,
      violations: violations.map((v) => ({
        side: v.location?.[0] === "response" ? "response" : "request",
        rule: String(v.code ?? "route"),
        at: (v.location ?? []).join("."),
        message: v.message ?? "",
        severity: v.severity ?? "Error",
      })),
    };
    appendFileSync(reportFile, `${JSON.stringify(entry)}\n`);
    summary.deviating += 1;
    const key = entry.operationId ?? `${entry.method} ${entry.path}`;
    summary.byOperation[key] ??= {};
    const rules = summary.byOperation[key];
    for (const v of entry.violations) rules[`${v.side} ${v.rule}`] = (rules[`${v.side} ${v.rule}`] ?? 0) + 1;
  };
  return { add, summary: () => structuredClone(summary) };
}

function operationOf(spec: OpenApiDoc, method: string, path: string, operations: Operation[]): Operation | undefined {
  try {
    return matchOperation(spec, method, path, operations)?.operation;
  } catch {
    return undefined;
  }
}
