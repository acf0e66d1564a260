// node:http servers on 127.0.0.1 for the clients' tests: one that records what it receives, a
// scripted one that plays faults in turn, and a set stopped after each test.
import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { afterEach } from "vitest";

export interface LocalServer {
  url: string;
  /** Every request seen, with its body as text. */
  requests: { method: string; url: string; headers: IncomingMessage["headers"]; body: string }[];
  close(): Promise<void>;
}

/** A node:http server on 127.0.0.1 and a free port, recording what it receives. */
export async function startLocalServer(
  handle: (request: LocalServer["requests"][number], response: ServerResponse) => void,
): Promise<LocalServer> {
  const requests: LocalServer["requests"] = [];
  const server = createServer((req, res) => {
    // Every answer closes its connection: an idle keep-alive connection sets a timer of fetch's own
    // (undici's), which a test on a fake clock could take for the client's wait (untilScheduled).
    res.shouldKeepAlive = false;
    let body = "";
    req.on("data", (chunk: Buffer) => (body += chunk.toString()));
    req.on("end", () => {
      const seen = { method: req.method ?? "", url: req.url ?? "", headers: req.headers, body };
      requests.push(seen);
      handle(seen, res);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    requests,
    close: () =>
      new Promise((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

export function sendJson(res: ServerResponse, status: number, body: unknown): void {
  res.writeHead(status, { "content-type": "application/json" }).end(JSON.stringify(body));
}

/** What a fault-injecting server does with one request. */
export type Fault =
  | { status: number; headers?: Record<string, string>; body?: unknown }
  /** Destroys the connection without answering (the client sees a reset). */
  | "reset"
  /** Never answers; `close()` ends the connection. */
  | "hang";

/** A handler that plays `faults` in order, one per request, and repeats the last one after that. */
export function script(...faults: [Fault, ...Fault[]]): Parameters<typeof startLocalServer>[0] {
  let served = 0;
  return (_request, res) => {
    const fault = faults[Math.min(served++, faults.length - 1)]!;
    if (fault === "reset") res.socket?.destroy();
    else if (fault !== "hang") {
      res
        .writeHead(fault.status, { "content-type": "application/json", ...fault.headers })
        .end(JSON.stringify(fault.body ?? {}));
    }
  };
}

/**
 * Local servers stopped after each test. `echo` answers `status()` and echoes the request back in
 * its error body: method, path, parsed body, and the credential headers it received.
 */
export function useServers() {
  const servers: LocalServer[] = [];
  afterEach(async () => {
    await Promise.all(servers.splice(0).map((s) => s.close()));
  });
  const serve = async (handle: Parameters<typeof startLocalServer>[0]) => {
    const server = await startLocalServer(handle);
    servers.push(server);
    return server;
  };
  const echo = (status: () => number | "reset" | "hang") =>
    serve((request, res) => {
      const answer = status();
      if (answer === "reset") return void res.socket?.destroy();
      if (answer === "hang") return;
      sendJson(res, answer, {
        message: `cannot process ${request.method} ${request.url}`,
        path: request.url,
        request: request.body ? JSON.parse(request.body) : null,
        seen_key: request.headers["xx-relay-api-key"] ?? request.headers["x-api-key"],
        seen_auth: request.headers.authorization,
      });
    });
  return { serve, echo };
}
