// The bench's HTTP server. scripts/bench.ts forks it, so the server never shares an event loop with
// the clients it measures. It answers the Relay customer GET with a small JSON body (with a
// content-length), listens on 127.0.0.1 only, reports its port over IPC and exits with its parent.
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";

if (!process.send) {
  console.error("scripts/bench/server.ts is started by scripts/bench.ts (pnpm bench), not on its own.");
  process.exit(1);
}

const apiKey = process.env.BENCH_API_KEY ?? "";
const route = /^\/cdm\/client\/[^/]+\/customer\/[^/]+$/;
const body = Buffer.from(
  JSON.stringify({
    ccid: "BAK-11984-007",
    first_name: "Ada",
    last_name: "Lovelace",
    postal_code: "02134",
    notification_channels: [{ channel_type: "sms", channel_addr: "+16175550123" }],
  }),
);
const notFound = Buffer.from(JSON.stringify({ message: "not found" }));
const unauthorized = Buffer.from(JSON.stringify({ message: "missing or wrong xx-relay-api-key" }));

const server = createServer((request, response) => {
  const [status, payload] =
    request.method !== "GET" || !route.test(request.url ?? "")
      ? [404, notFound]
      : request.headers["xx-relay-api-key"] !== apiKey
        ? [401, unauthorized]
        : [200, body];
  response.writeHead(status, { "content-type": "application/json", "content-length": payload.length });
  response.end(payload);
});
// The bench pauses between phases; keep idle keep-alive connections open through the pauses.
server.keepAliveTimeout = 120_000;

server.listen(0, "127.0.0.1", () => {
  process.send!({ port: (server.address() as AddressInfo).port });
});

// The parent going away for any reason (exit, crash, SIGKILL) closes the IPC channel: leave with it.
process.on("disconnect", () => process.exit(0));
process.on("SIGTERM", () => process.exit(0));
process.on("SIGINT", () => process.exit(0));
