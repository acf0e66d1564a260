// The attack probes every server the project starts must pass (SECURITY.md, "Checklist for a new
// server"): request targets that would name another host, cross-origin calls of the sandbox's own
// routes, oversized and deeply nested bodies. Sent over raw sockets on 127.0.0.1, since fetch
// normalizes exactly the targets under test; a canary server on another port records any request
// that leaks through.
import { createServer, type Server } from "node:http";
import { connect } from "node:net";
import { expect } from "vitest";

export interface RawAnswer {
  /** 0 when the server closed the connection without an answer. */
  status: number;
  headers: Record<string, string>;
  body: string;
}

export interface RawRequest {
  method?: string;
  target: string;
  headers?: Record<string, string>;
  body?: string;
}

/** Sends one request as written, target and all, and reads the answer (5 s deadline). */
export function rawRequest(
  url: string,
  { method = "GET", target, headers = {}, body }: RawRequest,
): Promise<RawAnswer> {
  const { hostname, port } = new URL(url);
  const head: Record<string, string> = { host: `${hostname}:${port}`, connection: "close", ...headers };
  if (body !== undefined) head["content-length"] = String(Buffer.byteLength(body));
  const lines = Object.entries(head).map(([name, value]) => `${name}: ${value}\r\n`);
  return new Promise((resolve, reject) => {
    const socket = connect(Number(port), hostname, () => {
      socket.write(`${method} ${target} HTTP/1.1\r\n${lines.join("")}\r\n`);
      if (body !== undefined) socket.write(body);
    });
    const chunks: Buffer[] = [];
    socket.setTimeout(5_000, () => socket.destroy(new Error(`no answer to ${method} ${target} within 5 s`)));
    socket.on("data", (chunk: Buffer) => chunks.push(chunk));
    // A server may close right after a refusal while the body is still being written.
    socket.on("error", (error: NodeJS.ErrnoException) => (chunks.length ? undefined : reject(error)));
    socket.on("close", () =>
      resolve(
        chunks.length ? parseAnswer(Buffer.concat(chunks).toString("utf8")) : { status: 0, headers: {}, body: "" },
      ),
    );
  });
}

function parseAnswer(text: string): RawAnswer {
  const split = text.indexOf("\r\n\r\n");
  const [statusLine = "", ...headerLines] = text.slice(0, split < 0 ? undefined : split).split("\r\n");
  const headers: Record<string, string> = {};
  for (const line of headerLines) {
    const colon = line.indexOf(":");
    if (colon > 0) headers[line.slice(0, colon).toLowerCase()] = line.slice(colon + 1).trim();
  }
  return { status: Number(statusLine.split(" ")[1]), headers, body: split < 0 ? "" : text.slice(split + 4) };
}

export interface Canary {
  /** The canary's `127.0.0.1:port`, to put in hostile targets. */
  authority: string;
  url: string;
  hits(): number;
  close(): Promise<void>;
}

/** A server that only counts the requests it gets: any request is a leak. */
export function startCanary(): Promise<Canary> {
  let hits = 0;
  const server: Server = createServer((_req, res) => {
    hits++;
    res.writeHead(200, { "content-type": "application/json" }).end('{"leaked":true}');
  });
  return new Promise((resolve) =>
    server.listen(0, "127.0.0.1", () => {
      const { port } = server.address() as { port: number };
      resolve({
        authority: `127.0.0.1:${port}`,
        url: `http://127.0.0.1:${port}`,
        hits: () => hits,
        close: () => new Promise<void>((done) => server.close(() => done())).then(() => server.closeAllConnections()),
      });
    }),
  );
}

/** Request targets that name the canary's host in each way a URL parser or a later hop may read them. */
export function hostileTargets(authority: string): { method: string; target: string }[] {
  return [
    { method: "GET", target: `//${authority}/json` },
    { method: "GET", target: `/\\${authority}/json` },
    { method: "GET", target: `http://${authority}/json` },
    { method: "GET", target: authority },
    { method: "CONNECT", target: authority },
    { method: "GET", target: `/%2F${authority}/json` },
    { method: "GET", target: `/%2f%2f${authority}/json` },
    { method: "GET", target: `/%5C${authority}/json` },
    { method: "DELETE", target: `//${authority}/json` },
  ];
}

/**
 * Sends every hostile target with `headers` (a credential, say) and expects each to be refused
 * with a 4xx (or the connection closed) and the canary never to be called. `refused` narrows the
 * status where it is known.
 */
export async function expectNoForwarding(
  url: string,
  canary: Canary,
  { headers = {}, refused = (status: number) => status === 0 || (status >= 400 && status < 500) } = {} as {
    headers?: Record<string, string>;
    refused?: (status: number) => boolean;
  },
): Promise<void> {
  const before = canary.hits();
  for (const { method, target } of hostileTargets(canary.authority)) {
    const answer = await rawRequest(url, { method, target, headers });
    expect.soft(refused(answer.status), `${method} ${target} answered ${answer.status}`).toBe(true);
    expect.soft(answer.body).not.toContain("leaked");
  }
  expect(canary.hits() - before, "requests that reached the canary").toBe(0);
}

/** A JSON text nested `depth` levels deep. */
export function nestedJson(depth: number): string {
  return `${"[".repeat(depth)}${"]".repeat(depth)}`;
}

/**
 * The most expensive Relay onboard bodies within the default limits (1 MiB, 64 levels): where work
 * grows faster than the input, or recursion follows its depth, these bodies show it (seconds of a
 * held event loop, a stack overflow). With the status each gets.
 */
export function worstOnboardBodies(): { name: string; body: string; status: number }[] {
  const items = (n: number) => Array.from({ length: n }, () => ({ channel_addr: 5 }));
  const manyKeys = Object.fromEntries(items(30_000).map((item, i) => [`k${i}`, item]));
  const onboard = (customer: Record<string, unknown>) =>
    JSON.stringify({ product_group_id: "default", customer: { ccid: "WORST-1", ...customer } });
  return [
    { name: "25,000 invalid array items", body: onboard({ notification_channels: items(25_000) }), status: 400 },
    { name: "30,000 unknown keys", body: onboard({ extra: manyKeys }), status: 200 },
    { name: "nested 200,000 levels", body: `{"a":${nestedJson(200_000)}}`, status: 400 },
    { name: "nested 62 levels (the most allowed)", body: onboard({ extra: JSON.parse(nestedJson(62)) }), status: 200 },
    { name: "a string of 1 MiB", body: onboard({ first_name: "x".repeat(1024 * 1024 - 100) }), status: 400 },
  ];
}
