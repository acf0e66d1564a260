// HTTP plumbing shared by the sandbox's front and the deviation proxy: bounded request reading,
// forwarding to one fixed upstream (never to a host taken from the request), sending, listening.
import type { Agent, IncomingHttpHeaders, IncomingMessage, Server, ServerResponse } from "node:http";
import { request as httpRequest } from "node:http";
import { request as httpsRequest } from "node:https";
import type { AddressInfo, Socket } from "node:net";

export const hopByHop: ReadonlySet<string> = new Set([
  "connection",
  "keep-alive",
  "transfer-encoding",
  "upgrade",
  "host",
  "content-length",
  "proxy-connection",
  "proxy-authorization",
  "te",
  "trailer",
]);

/** Header names in lower case, repeated headers joined. */
export function flatHeaders(headers: IncomingHttpHeaders): Record<string, string> {
  const flat: Record<string, string> = {};
  for (const [name, value] of Object.entries(headers))
    if (value !== undefined) flat[name] = Array.isArray(value) ? value.join(", ") : value;
  return flat;
}

/** The headers worth passing on to another hop. */
export function endToEnd(headers: Record<string, string | undefined>): Record<string, string> {
  const kept: Record<string, string> = {};
  for (const [name, value] of Object.entries(headers))
    if (value !== undefined && !hopByHop.has(name)) kept[name] = value;
  return kept;
}

export type BodyRead = { body: string } | { tooLarge: true };

/**
 * Reads a request body of at most `limit` bytes. A larger one (declared or sent) is not kept: the
 * read settles at once as `tooLarge` and the rest is discarded as it arrives, so the caller can
 * answer 413 (with `connection: close`) without holding the upload in memory.
 */
export function readBody(req: IncomingMessage, limit: number): Promise<BodyRead> {
  return new Promise((resolve, reject) => {
    const declared = Number(req.headers["content-length"] ?? 0);
    if (declared > limit) {
      req.resume();
      return resolve({ tooLarge: true });
    }
    const chunks: Buffer[] = [];
    let size = 0;
    const onData = (chunk: Buffer) => {
      size += chunk.length;
      if (size <= limit) return void chunks.push(chunk);
      req.off("data", onData);
      chunks.length = 0;
      req.resume();
      resolve({ tooLarge: true });
    };
    req.on("data", onData);
    req.once("error", reject);
    req.once("end", () => resolve({ body: Buffer.concat(chunks).toString("utf8") }));
  });
}

/** An upstream: one origin, and the base path every forwarded path is put under. */
export interface Upstream {
  protocol: "http:" | "https:";
  hostname: string;
  port: number;
  basePath: string;
}

export function upstreamOf(base: string): Upstream {
  const url = new URL(base);
  if (url.protocol !== "http:" && url.protocol !== "https:")
    throw new Error(`an upstream must be an http(s) URL; got ${JSON.stringify(base)}`);
  const port = url.port ? Number(url.port) : url.protocol === "https:" ? 443 : 80;
  return { protocol: url.protocol, hostname: url.hostname, port, basePath: url.pathname.replace(/\/+$/, "") };
}

export interface Exchange {
  method: string;
  /** An origin-form target (path and query), already checked (see request-target.ts). */
  target: string;
  headers: Record<string, string>;
  body?: string | undefined;
}

export interface Answer {
  status: number;
  headers: Record<string, string>;
  text: string;
}

export interface ForwardOptions {
  agent?: Agent;
  /** The whole exchange, answer included, must finish within this. */
  timeoutMs: number;
  /** A longer answer is refused rather than held in memory. */
  maxAnswerBytes: number;
}

/** Sends one request to the upstream's origin, follows no redirect, and reads the whole answer. */
export function forward(upstream: Upstream, exchange: Exchange, options: ForwardOptions): Promise<Answer> {
  const send = upstream.protocol === "https:" ? httpsRequest : httpRequest;
  const { body } = exchange;
  const headers = body ? { ...exchange.headers, "content-length": String(Buffer.byteLength(body)) } : exchange.headers;
  return new Promise((resolve, reject) => {
    const outgoing = send(
      {
        protocol: upstream.protocol,
        hostname: upstream.hostname,
        port: upstream.port,
        path: `${upstream.basePath}${exchange.target}`,
        method: exchange.method,
        headers,
        ...(options.agent ? { agent: options.agent } : {}),
      },
      (answer) => collectAnswer(answer, options.maxAnswerBytes).then(resolve, reject),
    );
    const deadline = setTimeout(
      () => outgoing.destroy(new Error(`the upstream did not answer within ${options.timeoutMs} ms`)),
      options.timeoutMs,
    );
    outgoing.once("close", () => clearTimeout(deadline));
    outgoing.once("error", reject);
    outgoing.end(body);
  });
}

function collectAnswer(answer: IncomingMessage, maxBytes: number): Promise<Answer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    answer.on("data", (chunk: Buffer) => {
      size += chunk.length;
      if (size > maxBytes) answer.destroy(new Error(`the upstream's answer is larger than ${maxBytes} bytes`));
      else chunks.push(chunk);
    });
    answer.once("error", reject);
    answer.once("end", () =>
      resolve({
        status: answer.statusCode ?? 502,
        headers: flatHeaders(answer.headers),
        text: Buffer.concat(chunks).toString("utf8"),
      }),
    );
  });
}

/** Writes a whole answer; a body-less status (204, 304) gets no body. */
export function sendText(res: ServerResponse, status: number, headers: Record<string, string>, text: string): void {
  if (res.headersSent || res.destroyed) return;
  const bodyless = status === 204 || status === 304;
  res.writeHead(status, bodyless ? headers : { ...headers, "content-length": String(Buffer.byteLength(text)) });
  res.end(bodyless ? undefined : text);
}

const loopbackHosts: ReadonlySet<string> = new Set(["127.0.0.1", "::1", "localhost"]);

/** Whether a host to bind or a Host header's name is a loopback one. */
export function isLoopback(host: string): boolean {
  return loopbackHosts.has(host) || /^127\.\d{1,3}\.\d{1,3}\.\d{1,3}$/.test(host);
}

/** The URL a server listening on `host` and `port` is reached at. */
export function urlOf(host: string, port: number): string {
  return `http://${host.includes(":") ? `[${host}]` : host}:${port}`;
}

/** Deadlines on every socket, and a CONNECT (authority-form target) refused rather than left hanging. */
export function hardened(server: Server): Server {
  server.headersTimeout = 30_000;
  server.requestTimeout = 60_000;
  server.on("connect", (_req: IncomingMessage, socket: Socket) => {
    socket.end("HTTP/1.1 400 Bad Request\r\nconnection: close\r\ncontent-length: 0\r\n\r\n");
  });
  return server;
}

/** Whether a forward failed because the upstream process is gone (it exited, or is restarting). */
export function isConnectionLost(error: unknown): boolean {
  const code = (error as NodeJS.ErrnoException | undefined)?.code;
  return code === "ECONNREFUSED" || code === "ECONNRESET";
}

export function listen(server: Server, host: string, port: number): Promise<{ server: Server; url: string }> {
  return new Promise((resolve, reject) => {
    server.once("error", reject);
    server.listen(port, host, () => {
      server.off("error", reject);
      resolve({ server, url: urlOf(host, (server.address() as AddressInfo).port) });
    });
  });
}

export function closeServer(server: Server): Promise<void> {
  return new Promise((resolve) => {
    server.close(() => resolve());
    server.closeAllConnections();
  });
}
