// Namespaces: each test worker (or tab, or Storybook story) can have a sandbox of its own on the
// same server. A request's `x-sandbox-namespace` header picks its world: its state (from the seed),
// fault rules (from the start rules, `--faults`), overrides and clock. Requests without the header
// share the default world, the only one kept by `--data`. Worlds are made on first use, at most
// `maxNamespaces` of them.
import { apiNames, type ApiName } from "@cx-openapi/spec/openapi";
import { SandboxClock } from "./clock.js";
import { FaultInjector, type FaultRule } from "./faults.js";
import { OverrideList } from "./overrides.js";
import type { SandboxState } from "./state.js";
import { Store, type Persistence } from "./store.js";
import type { SandboxRequest } from "./types.js";

export const namespaceHeader = "x-sandbox-namespace";
export const maxNamespaces = 100;
const namePattern = /^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$/;

export interface World {
  /** "" for the default world. */
  readonly namespace: string;
  readonly store: Store;
  readonly clock: SandboxClock;
  readonly faults: Record<ApiName, FaultInjector>;
  readonly overrides: Record<ApiName, OverrideList>;
}

export interface WorldsOptions {
  /** The state a new world starts from (the seed), or undefined for an empty one. */
  initial(): SandboxState | undefined;
  /** Where the default world's state is kept (`--data`); the others live in memory. */
  persistence?: Persistence | undefined;
  /** Real time, in ms since the epoch (default `Date.now`): each world's clock starts from it. */
  now?: (() => number) | undefined;
  /** The fault rules each world starts with, per API (checked), and the seed of their draws. */
  faults?: { rules: Partial<Record<ApiName, FaultRule[]>>; seed?: number | undefined } | undefined;
}

export class Worlds {
  readonly #worlds = new Map<string, World>();
  readonly #options: WorldsOptions;
  readonly main: World;

  constructor(options: WorldsOptions) {
    this.#options = options;
    this.main = this.#make("", options.persistence);
    this.#worlds.set("", this.main);
  }

  /** The world a request is for; a namespace that is not valid, or one too many, is why not. */
  of(request: Pick<SandboxRequest, "headers">): World | { problem: string } {
    const namespace = request.headers[namespaceHeader]?.trim() ?? "";
    const known = this.#worlds.get(namespace);
    if (known) return known;
    if (!namePattern.test(namespace))
      return { problem: `${namespaceHeader} must be 1 to 64 letters, digits, ".", "_" or "-"` };
    if (this.#worlds.size > maxNamespaces)
      return {
        problem: `at most ${maxNamespaces} namespaces; reset the sandbox with ?api=all&namespaces=all to start afresh`,
      };
    const world = this.#make(namespace, undefined);
    this.#worlds.set(namespace, world);
    return world;
  }

  /** Every world, the default first. */
  get all(): World[] {
    return [...this.#worlds.values()];
  }

  /** Forgets every named world (their state, rules and clocks); the default one stays. */
  dropNamed(): void {
    for (const namespace of this.#worlds.keys()) if (namespace !== "") this.#worlds.delete(namespace);
  }

  #make(namespace: string, persistence: Persistence | undefined): World {
    const clock = new SandboxClock(this.#options.now);
    return {
      namespace,
      clock,
      store: new Store({ persistence, initial: this.#options.initial(), now: clock.now }),
      faults: perApi((api) => this.#startFaults(api)),
      overrides: perApi(() => new OverrideList()),
    };
  }

  #startFaults(api: ApiName): FaultInjector {
    const injector = new FaultInjector();
    const start = this.#options.faults;
    const rules = start?.rules[api];
    if (rules) injector.set(rules, start?.seed);
    return injector;
  }
}

function perApi<T>(make: (api: ApiName) => T): Record<ApiName, T> {
  return Object.fromEntries(apiNames.map((api) => [api, make(api)])) as Record<ApiName, T>;
}
