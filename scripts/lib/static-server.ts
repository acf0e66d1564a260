// A tiny static file server for dist/docs: loopback only, GET and HEAD only, no directory listings,
// and no way out of the root (no `..`, no encoded separators, no symlinks pointing elsewhere).
import { createReadStream, realpathSync, statSync, type Stats } from "node:fs";
import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import { extname, join, resolve, sep } from "node:path";
import { originForm } from "@cx-openapi/spec";

export interface StaticServer {
  url: string;
  port: number;
  close(): Promise<void>;
}

export interface StaticServerOptions {
  /** The folder to serve. */
  root: string;
  /** 0 (the default) picks a free port. */
  port?: number;
  /** Only loopback addresses are accepted; 127.0.0.1 by default. */
  host?: string;
}

export const contentTypes: Readonly<Record<string, string>> = {
  ".html": "text/html; charset=utf-8",
  ".json": "application/json; charset=utf-8",
  ".yaml": "application/yaml; charset=utf-8",
  ".yml": "application/yaml; charset=utf-8",
  ".svg": "image/svg+xml",
  ".png": "image/png",
  ".ico": "image/x-icon",
  ".css": "text/css; charset=utf-8",
  ".js": "text/javascript; charset=utf-8",
  ".txt": "text/plain; charset=utf-8",
};

const loopback = new Set(["127.0.0.1", "::1", "localhost"]);

/** Starts the server and resolves once it listens. */
export function serveStatic({ root, port = 0, host = "127.0.0.1" }: StaticServerOptions): Promise<StaticServer> {
  if (!loopback.has(host)) throw new Error(`serveStatic: host must be a loopback address; got ${host}`);
  const realRoot = realpathSync(root);
  const server = createServer((request, response) => handle(realRoot, request, response));
  // Keep-alive sockets from a browser would hold close() open; they are ended on close.
  const sockets = new Set<import("node:net").Socket>();
  server.on("connection", (socket) => {
    sockets.add(socket);
    socket.once("close", () => sockets.delete(socket));
  });
  return new Promise((resolvePromise, reject) => {
    server.once("error", reject);
    server.listen(port, host, () => {
      server.off("error", reject);
      const address = server.address();
      const actualPort = typeof address === "object" && address ? address.port : port;
      const urlHost = host.includes(":") ? `[${host}]` : host;
      resolvePromise({
        url: `http://${urlHost}:${actualPort}`,
        port: actualPort,
        close: () =>
          new Promise<void>((done) => {
            server.close(() => done());
            for (const socket of sockets) socket.destroy();
          }),
      });
    });
  });
}

function handle(root: string, request: IncomingMessage, response: ServerResponse): void {
  response.setHeader("X-Content-Type-Options", "nosniff");
  response.setHeader("Cache-Control", "no-cache");
  if (request.method !== "GET" && request.method !== "HEAD") {
    response.setHeader("Allow", "GET, HEAD");
    return send(response, 405, "Method Not Allowed");
  }
  const file = resolveFile(root, request.url ?? "/");
  if (file === undefined) return send(response, 400, "Bad Request");
  let stats: Stats;
  let real: string;
  try {
    real = realpathSync(file.path);
    stats = statSync(real);
  } catch {
    return send(response, 404, "Not Found");
  }
  // A symlink inside the root must not lead out of it.
  if (real !== root && !real.startsWith(root + sep)) return send(response, 404, "Not Found");
  if (stats.isDirectory()) {
    // `/docs` → `/docs/`, so relative links in its index.html resolve inside the folder.
    if (!file.trailingSlash) {
      response.setHeader("Location", `${file.pathname}/${file.search}`);
      return send(response, 301, "Moved Permanently");
    }
    return serveFile(response, request, join(real, "index.html"), root);
  }
  if (!stats.isFile()) return send(response, 404, "Not Found");
  return serveFile(response, request, real, root);
}

function serveFile(response: ServerResponse, request: IncomingMessage, path: string, root: string): void {
  let stats: Stats;
  let real: string;
  try {
    real = realpathSync(path);
    stats = statSync(real);
  } catch {
    return send(response, 404, "Not Found");
  }
  if (!stats.isFile() || !real.startsWith(root + sep)) return send(response, 404, "Not Found");
  response.statusCode = 200;
  response.setHeader("Content-Type", contentTypes[extname(real).toLowerCase()] ?? "application/octet-stream");
  response.setHeader("Content-Length", stats.size);
  if (request.method === "HEAD") {
    response.end();
    return;
  }
  const stream = createReadStream(real);
  stream.on("error", () => response.destroy());
  stream.pipe(response);
}

/**
 * Maps a request target to a file under the root, or undefined when it is malformed or tries to
 * leave the root. Decoding happens once, per segment, and decoded separators are refused.
 */
export function resolveFile(
  root: string,
  target: string,
): { path: string; pathname: string; search: string; trailingSlash: boolean } | undefined {
  // Origin form only: `//host/x` would turn the directory redirect's Location into another host.
  const form = originForm(target);
  if ("refused" in form) return undefined;
  const { path: rawPath, search } = form;
  const segments: string[] = [];
  for (const raw of rawPath.split("/")) {
    let segment: string;
    try {
      segment = decodeURIComponent(raw);
    } catch {
      return undefined;
    }
    if (segment.includes("/") || segment.includes("\\") || segment.includes("\0")) return undefined;
    if (segment === "" || segment === ".") continue;
    // `..` and hidden files (`.env`, `.git`) are never served.
    if (segment.startsWith(".")) return undefined;
    segments.push(segment);
  }
  const path = resolve(root, ...segments);
  if (path !== root && !path.startsWith(root + sep)) return undefined;
  return { path, pathname: rawPath.replace(/\/+$/, ""), search, trailingSlash: rawPath.endsWith("/") };
}

function send(response: ServerResponse, status: number, text: string): void {
  response.statusCode = status;
  response.setHeader("Content-Type", "text/plain; charset=utf-8");
  response.end(`${text}\n`);
}
