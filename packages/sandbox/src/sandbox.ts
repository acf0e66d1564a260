// Both APIs' sandboxes on one store, with the routes that are the sandbox's own (reset, seed,
// inspection, the OAuth2 token endpoint). Transport-free: node:http and MSW both call `handle`.
import { createEngine, type ApiBehaviour, type Engine } from "./engine.js";
import { controlRoutes } from "./control-routes.js";
import { hiiBehaviour } from "./hiirelevate.js";
import { relayBehaviour } from "./relay-cdm.js";
import type { Limits } from "./limits.js";
import { buildSeed } from "./seed.js";
import { apiNames, type ApiName, type OpenApiDoc } from "@cx-openapi/spec/openapi";
import { Store, type Persistence } from "./store.js";
import type { Clock, SandboxState } from "./state.js";
import type { SandboxRequest, SandboxResponse } from "./types.js";

export type { ApiName };

/**
 * Each API's behaviour, written by hand. The APIs themselves come from the registry (redocly.yaml):
 * one added there is a type error here until its behaviour is written.
 */
const behaviours: Record<ApiName, ApiBehaviour> = { "relay-cdm": relayBehaviour, hiirelevate: hiiBehaviour };

export { controlPrefix, tokenPath } from "./control-routes.js";

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
  const control = controlRoutes({ store, fromSeed });
  return {
    store,
    engines,
    control,
    handle: (api, request, limits) => control(api, request) ?? engines[api].handle(request, store, limits),
    reset: () => store.reset(),
    reseed: (fixtures) => store.reseed(fromSeed(fixtures)),
  };
}
