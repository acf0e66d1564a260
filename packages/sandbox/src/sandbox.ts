// Both APIs' sandboxes on one store, with the routes that are the sandbox's own (reset, seed,
// inspection, the OAuth2 token endpoint). Transport-free: node:http and MSW both call `handle`.
import { createEngine, type ApiBehaviour, type Engine } from "./engine.js";
import { hiiBehaviour, issueToken } from "./hiirelevate.js";
import { relayBehaviour } from "./relay-cdm.js";
import type { Limits } from "./limits.js";
import { buildSeed } from "./seed.js";
import { apiNames, type ApiName, type OpenApiDoc } from "@cx-openapi/spec/openapi";
import { SandboxSaveError, Store, type Persistence } from "./store.js";
import type { Clock, SandboxState } from "./state.js";
import type { SandboxRequest, SandboxResponse } from "./types.js";

export type { ApiName };

/**
 * Each API's behaviour, written by hand. The APIs themselves come from the registry (redocly.yaml):
 * one added there is a type error here until its behaviour is written.
 */
const behaviours: Record<ApiName, ApiBehaviour> = { "relay-cdm": relayBehaviour, hiirelevate: hiiBehaviour };

/** The path prefix of the sandbox's own routes; no vendor path starts with it. */
export const controlPrefix = "/__sandbox";
/** Where the HiiRelevate sandbox serves its OAuth2 token endpoint (Hii Retail's path on auth.retailsvc.com). */
export const tokenPath = "/oauth2/token";

export interface SandboxOptions {
  /** The bundled spec of each API. */
  specs: Record<ApiName, OpenApiDoc>;
  /** Where the state is kept across restarts (`fileStore(path)` for `--data`); default: memory only. */
  persistence?: Persistence | undefined;
  /** Fixtures (the `--seed` file's content): the state a fresh store starts from and reset returns to. */
  seed?: unknown;
  /** Validate every answer in process (where Prism is not the gate). */
  checkResponses?: boolean;
  /** The clock, in milliseconds since the epoch (default `Date.now`): when issued tokens expire. */
  now?: Clock | undefined;
}

export interface Sandbox {
  readonly store: Store;
  readonly engines: Record<ApiName, Engine>;
  /** Answers a request to one API: the sandbox's own routes first, then the API's operations. */
  handle(api: ApiName, request: SandboxRequest, limits?: Limits): SandboxResponse;
  /** The sandbox's own routes only; undefined when the request is for the API. */
  control(api: ApiName, request: SandboxRequest): SandboxResponse | undefined;
  /** Back to the seed. Throws SandboxSaveError, changing nothing, when that cannot be saved. */
  reset(): void;
  /** Makes these fixtures the seed, and resets to them (or throws SandboxSaveError, changing nothing). */
  reseed(fixtures: unknown): void;
}

/**
 * Engines hold no state (the store is handed to each call), so one per spec document is shared by
 * every sandbox made from it: compiling a spec's validator is the costly part of making one.
 */
const engineCache = new WeakMap<OpenApiDoc, Map<string, Engine>>();
function engineFor(spec: OpenApiDoc, behaviour: ApiBehaviour, checkResponses: boolean): Engine {
  const bySpec = engineCache.get(spec) ?? new Map<string, Engine>();
  engineCache.set(spec, bySpec);
  const key = `${behaviour.name}:${checkResponses}`;
  const engine = bySpec.get(key) ?? createEngine({ spec, behaviour, checkResponses });
  bySpec.set(key, engine);
  return engine;
}

export function createSandbox({ specs, persistence, seed, checkResponses = false, now }: SandboxOptions): Sandbox {
  const engines = Object.fromEntries(
    apiNames.map((api) => [api, engineFor(specs[api], behaviours[api], checkResponses)]),
  ) as Record<ApiName, Engine>;
  const validators = { relayCdm: engines["relay-cdm"].validator, hiirelevate: engines.hiirelevate.validator };
  const fromSeed = (fixtures: unknown): SandboxState => buildSeed(fixtures, validators, "seed");
  const store = new Store({ persistence, initial: seed === undefined ? undefined : fromSeed(seed), now });

  const json = (status: number, body?: unknown): SandboxResponse =>
    body === undefined ? { status, headers: {} } : { status, headers: { "content-type": "application/json" }, body };
  /** Runs a change of the whole state; one that cannot be saved is undone and answered 500. */
  const saved = (change: () => void, answer: SandboxResponse): SandboxResponse => {
    const failure = saveFailure(change);
    return failure === undefined ? answer : json(500, { message: failure });
  };

  const control = (api: ApiName, request: SandboxRequest): SandboxResponse | undefined => {
    const method = request.method.toUpperCase();
    if (api === "hiirelevate" && request.path === tokenPath) return tokenRoute(store, request);
    if (!request.path.startsWith(`${controlPrefix}/`)) return undefined;
    const route = `${method} ${request.path.slice(controlPrefix.length)}`;
    switch (route) {
      case "POST /reset":
        return saved(() => store.reset(), json(204));
      case "PUT /seed": {
        let fixtures: unknown;
        try {
          fixtures = JSON.parse(request.body || "{}");
        } catch (error) {
          return json(400, {
            message: `the seed is not valid JSON: ${error instanceof Error ? error.message : String(error)}`,
          });
        }
        let seeded: SandboxState;
        try {
          seeded = fromSeed(fixtures);
        } catch (error) {
          return json(400, { message: error instanceof Error ? error.message : String(error) });
        }
        return saved(() => store.reseed(seeded), json(204));
      }
      case "GET /state":
        return json(200, shownState(store.state));
      case "GET /pubsub":
        return json(
          200,
          Object.entries(store.state.hiirelevate.tenants).flatMap(([tenant, t]) =>
            t.pubsub.map((delivery) => ({ tenant, ...delivery })),
          ),
        );
      default:
        return json(404, { message: `No sandbox route ${method} ${request.path}; see the sandbox README` });
    }
  };

  return {
    store,
    engines,
    control,
    handle: (api, request, limits) => control(api, request) ?? engines[api].handle(request, store, limits),
    reset: () => store.reset(),
    reseed: (fixtures) => store.reseed(fromSeed(fixtures)),
  };
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
