// Verifies a spec against a real service: `prism proxy` for the spec in front of the service, and a
// front that forwards the caller's own traffic unchanged and writes every request and response that
// breaks the spec to a report (JSON lines), with a summary by operation and rule. The report holds
// no body, header or credential, and names the path template, not the path (which may hold a ccid).
import { appendFileSync, copyFileSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { Agent, createServer, type Server } from "node:http";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { startMock, type RunningMock } from "./prism.js";
import { closeServer, forward, hopByHop, listen, parseViolations, readRequest, type Violation } from "./server.js";
import { listOperations, matchOperation, type OpenApiDoc } from "./openapi.js";

export interface DeviationProxyOptions {
  /** The bundled spec file (JSON) of the API. */
  specFile: string;
  spec: OpenApiDoc;
  /** The real service's base URL (http or https). */
  target: string;
  /** JSON lines, one per request or response that breaks the spec. */
  reportFile: string;
  port?: number;
  host?: string;
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

export async function startDeviationProxy(options: DeviationProxyOptions): Promise<RunningDeviationProxy> {
  const { specFile, spec, target, reportFile, port = 0, host = "127.0.0.1" } = options;
  const targetUrl = new URL(target);
  if (targetUrl.protocol !== "http:" && targetUrl.protocol !== "https:")
    throw new Error(`--target must be an http(s) URL; got ${JSON.stringify(target)}`);
  const operations = listOperations(spec);
  const dir = mkdtempSync(join(tmpdir(), "cx-proxy-"));
  const privateSpec = join(dir, "spec.json");
  copyFileSync(specFile, privateSpec);
  writeFileSync(reportFile, "");
  const summary: DeviationSummary = { requests: 0, deviating: 0, byOperation: {} };
  const agent = new Agent({ keepAlive: true });
  let prism: RunningMock | undefined;
  let front: Server | undefined;
  const stopAll = async () => {
    await Promise.allSettled([front ? closeServer(front) : undefined, prism?.stop()]);
    agent.destroy();
    rmSync(dir, { recursive: true, force: true });
  };
  try {
    prism = await startMock({ spec: privateSpec, upstream: targetUrl.href.replace(/\/$/, "") });
    const prismUrl = prism.url;
    const server = createServer((req, res) => {
      void (async () => {
        const read = await readRequest(req, 10 * 1024 * 1024);
        if ("tooLarge" in read) {
          res.writeHead(413).end();
          return;
        }
        const headers: Record<string, string> = {};
        for (const [name, value] of Object.entries(read.headers))
          if (value !== undefined && !hopByHop.has(name)) headers[name] = value;
        const answer = await forward(agent, new URL(req.url ?? "/", prismUrl), read.method, headers, read.body);
        summary.requests += 1;
        const violations = parseViolations(answer.headers["sl-violations"]);
        if (violations.length) record(read.method, read.path, answer.status, violations);
        const out: Record<string, string> = {};
        for (const [name, value] of Object.entries(answer.headers))
          if (!hopByHop.has(name) && name !== "content-length") out[name] = value;
        res.writeHead(answer.status, out).end(answer.text);
      })().catch((error: unknown) => {
        if (!res.headersSent)
          res
            .writeHead(502, { "content-type": "text/plain" })
            .end(`proxy: ${error instanceof Error ? error.message : String(error)}`);
      });
    });
    front = (await listen(server, host, port)).server;
    const url = `http://${host}:${(front.address() as { port: number }).port}`;
    return {
      url,
      summary: () => structuredClone(summary),
      stop: async () => {
        await stopAll();
        writeFileSync(`${reportFile}.summary.json`, `${JSON.stringify(summary, null, 2)}\n`);
        return structuredClone(summary);
      },
    };
  } catch (error) {
    await stopAll();
    throw error;
  }

  function record(method: string, path: string, status: number, violations: Violation[]): void {
    let match: ReturnType<typeof matchOperation>;
    try {
      match = matchOperation(spec, method, path, operations);
    } catch {
      match = undefined;
    }
    const entry: Deviation = {
      time: new Date().toISOString(),
      method: method.toUpperCase(),
      path: match?.operation.path ?? "(no operation)",
      operationId: match?.operation.operationId ?? null,
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
  }
}
