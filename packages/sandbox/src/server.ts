// The sandbox on the network. Per API, three hops on the host it binds:
//   front (the port you call: request-target and size checks, CORS, the sandbox's own routes,
//          faults, the gate's verdict)
//     -> prism proxy for the API's bundled spec (gate.ts), restarted if it exits
//       -> the sandbox itself, on a private port.
// A request the sandbox finds invalid never reaches Prism: the sandbox answers the documented 400
// and the front checks that answer with the sandbox's own validator. With gate "in-process" (no
// Prism: the published package's fallback) every answer is checked that way.
import { apiNames, originForm, startPrism, type ApiName } from "@cx-openapi/spec";
import { Agent, createServer, type Server } from "node:http";
import type { AdminPolicy, CorsOrigins } from "./cors.js";
import { frontServer } from "./front.js";
import { OpenStreams } from "./front-stream.js";
import { supervisePrism, type GateEvents, type SupervisedPrism } from "./gate.js";
import { closeServer, flatHeaders, hardened, isLoopback, listen, readBody, sendText } from "./http.js";
import { resolveLimits, type Limits } from "./limits.js";
import type { Sandbox } from "./sandbox.js";
import { bodyText } from "./types.js";

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
  /** Where the docs are served, for the links of each port's index and inspector (`pnpm start`'s). */
  docsUrl?: string | undefined;
  onLog?: (api: ApiName, line: string) => void;
  /** Prism exited and is restarting, or is back (default: written to stderr). */
  onGateEvent?: (message: string) => void;
  /** Prism keeps exiting: the gate gave up, and the API answers 503 from now on (default: stderr). */
  onGateFatal?: (error: Error) => void;
}

export interface RunningSandbox {
  urls: Record<ApiName, string>;
  gate: Gate;
  limits: Limits;
  stop(): Promise<void>;
}

export async function serveSandbox(options: ServeOptions): Promise<RunningSandbox> {
  const { sandbox, specFiles, ports = {}, host = "127.0.0.1", gate = "prism" } = options;
  const access = accessOf(host, options);
  const limits = resolveLimits(options.limits);
  const servers: Server[] = [];
  const gates: SupervisedPrism[] = [];
  const agent = new Agent({ keepAlive: true, maxSockets: 64 });
  const streams = new OpenStreams();
  const stop = async () => {
    await streams.endAll();
    await Promise.allSettled([...servers.map(closeServer), ...gates.map((g) => g.stop())]);
    agent.destroy();
  };
  const events: GateEvents = {
    onEvent: options.onGateEvent ?? ((message) => console.error(`cx-sandbox: ${message}`)),
    onFatal: options.onGateFatal ?? ((error) => console.error(`cx-sandbox: ✖ ${error.message}`)),
  };
  try {
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
      const pages = { urls, docsUrl: options.docsUrl, streams };
      const front = await listen(
        frontServer({ api, sandbox, prism, agent, limits, ...access, ...pages }),
        host,
        ports[api] ?? 0,
      );
      servers.push(front.server);
      urls[api] = front.url;
    };
    await Promise.all(apiNames.map(serveApi));
    return { urls, gate, limits, stop };
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
  return hardened(
    createServer((req, res) => {
      void readBody(req, limits.bodyBytes).then(
        (read) => {
          const target = originForm(req.url);
          const answer =
            "tooLarge" in read || "refused" in target
              ? sandbox.engines[api].error(400, "refused by the front")
              : sandbox.respond(
                  api,
                  { method: req.method ?? "GET", path: target.path, headers: flatHeaders(req.headers), ...read },
                  limits,
                );
          sendText(res, answer.status, answer.headers, bodyText(answer));
        },
        () => res.destroy(),
      );
    }),
  );
}
