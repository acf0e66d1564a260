// The embedded store: the state in memory, optionally kept somewhere (a JSON file: see
// file-store.ts). Free of Node built-ins, so it also runs in a browser (MSW).
import { emptyState, reviveState, type SandboxState } from "./state.js";

export class SandboxDataError extends Error {
  override name = "SandboxDataError";
}

/** Where a store keeps its state between runs. */
export interface Persistence {
  /** The kept state, or undefined when none was kept yet. Throws SandboxDataError when unreadable. */
  load(): SandboxState | undefined;
  save(state: SandboxState): void;
}

export interface StoreOptions {
  persistence?: Persistence | undefined;
  /** The state a fresh store starts from, and `reset()` returns to (default: empty). */
  initial?: SandboxState | undefined;
}

export class Store {
  state: SandboxState;
  #initial: SandboxState;
  readonly #persistence: Persistence | undefined;

  constructor({ persistence, initial = emptyState() }: StoreOptions = {}) {
    this.#persistence = persistence;
    this.#initial = initial;
    const kept = persistence?.load();
    this.state = kept ? reviveState(kept) : clone(initial);
  }

  /** Persists the current state (a no-op in memory). Called after every change. */
  commit(): void {
    this.#persistence?.save(this.state);
  }

  /** Back to the initial (seeded) state. */
  reset(): void {
    this.state = clone(this.#initial);
    this.commit();
  }

  /** Makes `initial` the state `reset()` returns to, and resets to it. */
  reseed(initial: SandboxState): void {
    this.#initial = initial;
    this.reset();
  }
}

function clone(state: SandboxState): SandboxState {
  return reviveState(structuredClone(state));
}
