// The sandbox's own routes, beside each API's operations: reset, seed, the state and the Pub/Sub
// deliveries under /__sandbox, and the HiiRelevate OAuth2 token endpoint. Transport-free, like the
// engines: node:http and MSW both reach them through Sandbox.handle.
import type { ApiName } from "@cx-openapi/spec/openapi";
import { issueToken } from "./hiirelevate.js";
import type { SandboxState } from "./state.js";
import { SandboxSaveError, type Store } from "./store.js";
import type { SandboxRequest, SandboxResponse } from "./types.js";

/** The path prefix of the sandbox's own routes; no vendor path starts with it. */
export const controlPrefix = "/__sandbox";
/** Where the HiiRelevate sandbox serves its OAuth2 token endpoint (Hii Retail's path on auth.retailsvc.com). */
export const tokenPath = "/oauth2/token";

export interface ControlContext {
  store: Store;
  /** The state a seed's fixtures describe; throws a SandboxDataError naming a bad one. */
  fromSeed(fixtures: unknown): SandboxState;
}

type Route = (ctx: ControlContext, request: SandboxRequest) => SandboxResponse;

/** `METHOD /path` under the prefix → its answer. */
const routes: Record<string, Route> = {
  "POST /reset": ({ store }) => saved(() => store.reset(), json(204)),
  "PUT /seed": reseed,
  "GET /state": ({ store }) => json(200, shownState(store.state)),
  "GET /pubsub": ({ store }) =>
    json(
      200,
      Object.entries(store.state.hiirelevate.tenants).flatMap(([tenant, t]) =>
        t.pubsub.map((delivery) => ({ tenant, ...delivery })),
      ),
    ),
};

/** The answer of a sandbox route, or undefined when the request is for the API. */
export function controlRoutes(
  ctx: ControlContext,
): (api: ApiName, request: SandboxRequest) => SandboxResponse | undefined {
  return (api, request) => {
    if (api === "hiirelevate" && request.path === tokenPath) return tokenRoute(ctx.store, request);
    if (!request.path.startsWith(`${controlPrefix}/`)) return undefined;
    const method = request.method.toUpperCase();
    const route = routes[`${method} ${request.path.slice(controlPrefix.length)}`];
    if (route) return route(ctx, request);
    return json(404, { message: `No sandbox route ${method} ${request.path}; see the sandbox README` });
  };
}

function json(status: number, body?: unknown): SandboxResponse {
  return body === undefined
    ? { status, headers: {} }
    : { status, headers: { "content-type": "application/json" }, body };
}

function reseed({ store, fromSeed }: ControlContext, request: SandboxRequest): SandboxResponse {
  let seeded: SandboxState;
  try {
    seeded = fromSeed(JSON.parse(request.body || "{}"));
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    return json(400, { message: error instanceof SyntaxError ? `the seed is not valid JSON: ${message}` : message });
  }
  return saved(() => store.reseed(seeded), json(204));
}

/** Runs a change of the whole state; one that cannot be saved is undone and answered 500. */
function saved(change: () => void, answer: SandboxResponse): SandboxResponse {
  const failure = saveFailure(change);
  return failure === undefined ? answer : json(500, { message: failure });
}

/** The token endpoint: a token counts once it is saved (else a 500 `server_error`, and no token). */
function tokenRoute(store: Store, request: SandboxRequest): SandboxResponse {
  const response = issueToken(store.state, request);
  if (response.status !== 200) return response;
  const failure = saveFailure(() => store.commit());
  if (failure === undefined) return response;
  return {
    status: 500,
    headers: { "content-type": "application/json", "cache-control": "no-store" },
    body: { error: "server_error", error_description: failure },
  };
}

/** Runs a change; the message of the SandboxSaveError it throws (the change was undone), if any. */
function saveFailure(change: () => void): string | undefined {
  try {
    change();
    return undefined;
  } catch (error) {
    if (error instanceof SandboxSaveError) return error.message;
    throw error;
  }
}

/** The state as `GET /__sandbox/state` shows it: credentials (keys, secrets, issued tokens) left out. */
function shownState(state: SandboxState): unknown {
  const { tokens: _tokens, clients, ...hii } = state.hiirelevate;
  const relayClients = Object.fromEntries(
    Object.entries(state.relayCdm.clients).map(([id, { apiKeys, ...client }]) => [
      id,
      { ...client, apiKeys: apiKeys.length },
    ]),
  );
  return {
    ...state,
    relayCdm: { clients: relayClients },
    hiirelevate: { ...hii, clients: clients.map(({ clientSecret: _secret, ...client }) => client) },
  };
}
