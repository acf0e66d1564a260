// The sandbox of every API: the engines (one per spec), the worlds (one per namespace: state,
// faults, overrides, clock) and the steps of an exchange, transport-free. node:http (server.ts)
// runs them with the contract gate between `fault` and `respond`; MSW and sandboxFetch run them
// in process (exchange.ts).
import { apiNames, type ApiName, type OpenApiDoc } from "@cx-openapi/spec/openapi";
import { controlRoute, isControlPath } from "./control-routes.js";
import { createEngine, type ApiBehaviour, type Engine } from "./engine.js";
import { exampleState } from "./example-seed.js";
import { checkFaultProfiles, type FaultPlan, type FaultProfile } from "./faults.js";
import { hiiBehaviour } from "./hiirelevate.js";
import { journalEntry, type Recorded } from "./journal-entry.js";
import { Journal } from "./journal.js";
import { defaultLimits, nestsDeeperThan, type Limits } from "./limits.js";
import { relayBehaviour } from "./relay-cdm.js";
import { buildSeed } from "./seed.js";
import type { Clock, SandboxState } from "./state.js";
import type { Persistence, Store } from "./store.js";
import { tokenPath, tokenRoute } from "./token-route.js";
import type { SandboxRequest, SandboxResponse } from "./types.js";
import { Worlds, type World } from "./worlds.js";

export type { ApiName };
export { controlPrefix } from "./control-routes.js";
export { tokenPath } from "./token-route.js";

/**
 * Each API's behaviour, written by hand. The APIs themselves come from the registry (redocly.yaml):
 * one added there is a type error here until its behaviour is written.
 */
const behaviours: Record<ApiName, ApiBehaviour> = { "relay-cdm": relayBehaviour, hiirelevate: hiiBehaviour };

export interface SandboxOptions {
  /** The bundled spec of each API. */
  specs: Record<ApiName, OpenApiDoc>;
  /** Where the default world's state is kept across restarts (`fileStore(path)` for `--data`); default: memory only. */
  persistence?: Persistence | undefined;
  /**
   * Fixtures (the `--seed` file's content): the state every world starts from and reset returns to,
   * in place of the example data (example-seed.ts), the default.
   */
  seed?: unknown;
  /** Start blank, without the example data (`--empty`); not with `seed`. */
  empty?: boolean | undefined;
  /** Validate every answer in process (where Prism is not the gate). */
  checkResponses?: boolean;
  /** Real time, in milliseconds since the epoch (default `Date.now`); each world's clock runs from it. */
  now?: Clock | undefined;
  /** Keep the values of the spec's `x-pii` fields in the request journal (`--journal-pii`); masked by default. */
  journalPii?: boolean | undefined;
  /**
   * The fault rules every world starts with, per API (`--faults <api>=<file>`, a recorded fault
   * profile): a list as `PUT /__sandbox/faults` takes it, checked here.
   */
  faults?: Partial<Record<ApiName, FaultProfile>> | undefined;
  /** Fixes the draws of the start rules' probabilities and delays (default 1). */
  faultSeed?: number | undefined;
}

export interface Sandbox {
  readonly engines: Record<ApiName, Engine>;
  readonly worlds: Worlds;
  /** The default world's store: the state `--data` keeps. */
  readonly store: Store;
  /** Each API's request journal: its last exchanges, redacted. */
  readonly journals: Record<ApiName, Journal>;
  /** Real time, in milliseconds since the epoch (the journal's timestamps). */
  now(): number;
  /** Adds an exchange to the API's journal. */
  record(api: ApiName, recorded: Recorded): void;
  /** The request's world, or the 400 (in the API's error shape) that says why its namespace is refused. */
  worldOf(api: ApiName, request: SandboxRequest): World | SandboxResponse;
  /** The sandbox's own route (`/__sandbox/*`) the request is for; undefined when it is for the API. */
  control(api: ApiName, request: SandboxRequest): SandboxResponse | undefined;
  /** The fault the request's headers or its world's rules ask for, or why its headers are refused. */
  fault(api: ApiName, request: SandboxRequest): FaultPlan | { problem: string } | undefined;
  /** The API's answer in the request's world: an override, the token endpoint, or the operation. */
  respond(api: ApiName, request: SandboxRequest, limits?: Limits): SandboxResponse;
  /** `control`, else `respond`: a whole exchange without faults. */
  handle(api: ApiName, request: SandboxRequest, limits?: Limits): SandboxResponse;
  /** The default world back to the seed (every API). */
  reset(): void;
  /** Makes these fixtures the default world's seed, and resets it to them. */
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

/**
 * Builds (and keeps) the engine of an API for a spec given in place of the shipped one: throws when
 * the sandbox cannot serve it (an operation it has no behaviour for, a schema Ajv refuses).
 */
export function checkSpecFor(api: ApiName, spec: OpenApiDoc): void {
  engineFor(spec, behaviours[api], false);
}

export function createSandbox(options: SandboxOptions): Sandbox {
  const { specs, persistence, seed, checkResponses = false, now, journalPii = false } = options;
  if (options.empty && seed !== undefined)
    throw new TypeError("createSandbox: empty and seed both say what the sandbox starts from; pass one");
  const engines = Object.fromEntries(
    apiNames.map((api) => [api, engineFor(specs[api], behaviours[api], checkResponses)]),
  ) as Record<ApiName, Engine>;
  // The specs the sandbox runs (a `--spec` one included) check every fixture, request-shaped or retrieved.
  const validators = { relayCdm: engines["relay-cdm"], hiirelevate: engines.hiirelevate };
  const fromSeed = (fixtures: unknown): SandboxState => buildSeed(fixtures, validators, "seed");
  const initial = options.empty
    ? undefined
    : seed === undefined
      ? exampleState(engines, now ?? Date.now)
      : fromSeed(seed);
  const faults = { rules: checkFaultProfiles(options.faults ?? {}, "createSandbox: faults"), seed: options.faultSeed };
  const worlds = new Worlds({ initial: () => initial, persistence, now, faults });
  const journals = Object.fromEntries(apiNames.map((api) => [api, new Journal()])) as Record<ApiName, Journal>;
  const worldOf = (api: ApiName, request: SandboxRequest): World | SandboxResponse => {
    const world = worlds.of(request);
    return "problem" in world ? engines[api].error(400, world.problem) : world;
  };
  const sandbox: Sandbox = {
    engines,
    worlds,
    store: worlds.main.store,
    journals,
    now: now ?? Date.now,
    record: (api, recorded) => journals[api].add(journalEntry(specs[api], !journalPii, recorded)),
    worldOf,
    control: (api, request) => {
      if (!isControlPath(request.path)) return undefined;
      const world = worldOf(api, request);
      return "store" in world ? controlRoute({ api, world, fromSeed, journal: journals[api] }, request) : world;
    },
    fault: (api, request) => {
      const world = worlds.of(request);
      return "problem" in world ? world : world.faults[api].pick(request, engines[api].route(request));
    },
    respond: (api, request, limits = defaultLimits) =>
      respond(engines[api], worldOf(api, request), api, request, limits),
    handle: (api, request, limits) => sandbox.control(api, request) ?? sandbox.respond(api, request, limits),
    reset: () => worlds.main.store.reset(),
    reseed: (fixtures) => worlds.main.store.reseed(fromSeed(fixtures)),
  };
  return sandbox;
}

/** The API's answer in a world: an override that matches, the token endpoint, or the operation. */
function respond(
  engine: Engine,
  world: World | SandboxResponse,
  api: ApiName,
  request: SandboxRequest,
  limits: Limits,
): SandboxResponse {
  if (!("store" in world)) return world;
  if (api === "hiirelevate" && request.path === tokenPath) return tokenRoute(world.store, request);
  const overridden = world.overrides[api].take(request, engine.route(request), () => bodyOf(request, limits));
  return overridden ? engine.checkAnswer(request, overridden) : engine.handle(request, world.store, limits);
}

/** The request's JSON body for an override's body match; undefined when there is none to match. */
function bodyOf(request: SandboxRequest, limits: Limits): unknown {
  const text = request.body ?? "";
  if (text === "" || nestsDeeperThan(text, limits.depth)) return undefined;
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}
