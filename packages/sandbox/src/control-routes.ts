// The sandbox's own routes under /__sandbox, each acting on the world of the request's namespace
// (see worlds.ts): reset, seed, the state and the Pub/Sub deliveries, the fault rules, the response
// overrides and the clock; and the API's request journal (journal-routes.ts). Transport-free, like
// the engines: node:http and MSW both reach them.
import type { ApiName } from "@cx-openapi/spec/openapi";
import { checkClockChange } from "./clock.js";
import { checkFaultRules } from "./faults.js";
import type { Journal } from "./journal.js";
import { clearRequests, listRequests, requestsHar } from "./journal-routes.js";
import { checkOverrides } from "./overrides.js";
import { statePartOf, type SandboxState } from "./state.js";
import { SandboxSaveError } from "./store.js";
import type { SandboxRequest, SandboxResponse } from "./types.js";
import type { World } from "./worlds.js";

/** The path prefix of the sandbox's own routes; no vendor path starts with it. */
export const controlPrefix = "/__sandbox";

export interface ControlContext {
  api: ApiName;
  world: World;
  /** The state a seed's fixtures describe; throws a SandboxDataError naming a bad one. */
  fromSeed(fixtures: unknown): SandboxState;
  /** The API's request journal (every namespace's). */
  journal: Journal;
}

type Route = (ctx: ControlContext, request: SandboxRequest) => SandboxResponse;

/** `METHOD /path` under the prefix → its answer. */
const routes: Record<string, Route> = {
  "POST /reset": reset,
  "PUT /seed": reseed,
  "GET /state": ({ world }) => json(200, shownState(world.store.state)),
  "GET /pubsub": ({ world }) => json(200, pubsubDeliveries(world.store.state)),
  "GET /faults": ({ api, world }) => json(200, world.faults[api].rules),
  "PUT /faults": setFaults,
  "DELETE /faults": ({ api, world }) => cleared(() => world.faults[api].clear()),
  "GET /overrides": ({ api, world }) => json(200, world.overrides[api].list),
  "PUT /overrides": setOverrides,
  "DELETE /overrides": ({ api, world }) => cleared(() => world.overrides[api].clear()),
  "GET /clock": ({ world }) => json(200, world.clock.shown),
  "PUT /clock": setClock,
  "GET /requests": ({ journal }, request) => listRequests(journal, request),
  "GET /requests.har": ({ journal }, request) => requestsHar(journal, request),
  "DELETE /requests": ({ journal }, request) => clearRequests(journal, request),
};

/** Whether a request is for the sandbox's own routes. */
export function isControlPath(path: string): boolean {
  return path === controlPrefix || path.startsWith(`${controlPrefix}/`);
}

/** The answer of a sandbox route (404 naming the route when there is none). */
export function controlRoute(ctx: ControlContext, request: SandboxRequest): SandboxResponse {
  const method = request.method.toUpperCase();
  const route = routes[`${method} ${request.path.slice(controlPrefix.length)}`];
  if (route) return route(ctx, request);
  return json(404, { message: `No sandbox route ${method} ${request.path}; see the sandbox README` });
}

function cleared(clear: () => void): SandboxResponse {
  clear();
  return json(204);
}

export function json(status: number, body?: unknown): SandboxResponse {
  return body === undefined
    ? { status, headers: {} }
    : { status, headers: { "content-type": "application/json" }, body };
}

/** The body as JSON, or the 400 that says why not. */
function jsonBody(request: SandboxRequest, fallback: string): unknown | SandboxResponse {
  try {
    return JSON.parse(request.body || fallback);
  } catch (error) {
    return json(400, { message: `(body) is not valid JSON: ${(error as Error).message}` });
  }
}

const isAnswer = (value: unknown): value is SandboxResponse =>
  typeof value === "object" && value !== null && "status" in value && "headers" in value && !Array.isArray(value);

/** This API's part of the state back to its seed, or every API's with `?api=all`. */
function reset({ api, world }: ControlContext, request: SandboxRequest): SandboxResponse {
  const all = new URLSearchParams(request.query ?? "").get("api") === "all";
  return saved(() => (all ? world.store.reset() : world.store.resetPart(statePartOf[api])), json(204));
}

function reseed({ world, fromSeed }: ControlContext, request: SandboxRequest): SandboxResponse {
  const fixtures = jsonBody(request, "{}");
  if (isAnswer(fixtures)) return fixtures;
  let seeded: SandboxState;
  try {
    seeded = fromSeed(fixtures);
  } catch (error) {
    return json(400, { message: (error as Error).message });
  }
  return saved(() => world.store.reseed(seeded), json(204));
}

/** A list of rules, or `{ rules, seed }` to fix the draws of probabilities and delay ranges. */
function setFaults({ api, world }: ControlContext, request: SandboxRequest): SandboxResponse {
  const value = jsonBody(request, "null");
  if (isAnswer(value)) return value;
  const { rules, seed } = Array.isArray(value)
    ? { rules: value, seed: undefined }
    : ((value ?? {}) as Record<string, unknown>);
  if (seed !== undefined && !Number.isInteger(seed)) return json(400, { message: "seed must be a whole number" });
  const checked = checkFaultRules(rules);
  if ("problems" in checked) return json(400, { message: checked.problems.join("; ") });
  world.faults[api].set(checked.rules, seed as number | undefined);
  return json(204);
}

function setOverrides({ api, world }: ControlContext, request: SandboxRequest): SandboxResponse {
  const value = jsonBody(request, "null");
  if (isAnswer(value)) return value;
  const checked = checkOverrides(value);
  if ("problems" in checked) return json(400, { message: checked.problems.join("; ") });
  world.overrides[api].set(checked.overrides);
  return json(204);
}

function setClock({ world }: ControlContext, request: SandboxRequest): SandboxResponse {
  const value = jsonBody(request, "null");
  if (isAnswer(value)) return value;
  const checked = checkClockChange(value);
  if ("problems" in checked) return json(400, { message: checked.problems.join("; ") });
  world.clock.change(checked.change);
  return json(200, world.clock.shown);
}

/** Runs a change of the whole state; one that cannot be saved is undone and answered 500. */
export function saved(change: () => void, answer: SandboxResponse): SandboxResponse {
  const failure = saveFailure(change);
  return failure === undefined ? answer : json(500, { message: failure });
}

/** Runs a change; the message of the SandboxSaveError it throws (the change was undone), if any. */
export function saveFailure(change: () => void): string | undefined {
  try {
    change();
    return undefined;
  } catch (error) {
    if (error instanceof SandboxSaveError) return error.message;
    throw error;
  }
}

function pubsubDeliveries(state: SandboxState): unknown[] {
  return Object.entries(state.hiirelevate.tenants).flatMap(([tenant, t]) =>
    t.pubsub.map((delivery) => ({ tenant, ...delivery })),
  );
}

/** The state as `GET /__sandbox/state` shows it: credentials (keys, secrets, issued tokens) left out. */
export function shownState(state: SandboxState): unknown {
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
