// The embedded store: the state in memory, optionally kept somewhere (a JSON file: see
// file-store.ts). A change counts only once it is kept: `commit` saves the whole state, and when it
// cannot, puts the state back to what was last saved and throws. Free of Node built-ins, so it also
// runs in a browser (MSW).
import {
  bindClock,
  type Clock,
  emptyState,
  pruneTokens,
  reviveState,
  type SandboxState,
  type StatePart,
} from "./state.js";

export class SandboxDataError extends Error {
  override name = "SandboxDataError";
}

/** A change could not be saved, so it was undone. The message names the kind of failure, never the data. */
export class SandboxSaveError extends Error {
  override name = "SandboxSaveError";
}

/** What a persistence keeps: the state, and the top-level keys the sandbox does not know. */
export interface KeptState {
  state: SandboxState;
  /** Kept as they are, across writes, reset and seed, and never shown. */
  extra: Record<string, unknown>;
}

/** Where a store keeps its state between runs. */
export interface Persistence {
  /** The kept state, checked, or undefined when none was kept yet. Throws SandboxDataError when unreadable. */
  load(): KeptState | undefined;
  /** Keeps this serialization (compact JSON) of the state, or throws. Returns only once it is kept. */
  save(text: string): void;
}

export interface StoreOptions {
  persistence?: Persistence | undefined;
  /** The state a fresh store starts from, and `reset()` returns to (default: empty). */
  initial?: SandboxState | undefined;
  /** The clock (default `Date.now`): when issued tokens expire. */
  now?: Clock | undefined;
}

export class Store {
  readonly now: Clock;
  #state: SandboxState;
  #initial: SandboxState;
  readonly #extra: Record<string, unknown>;
  readonly #persistence: Persistence | undefined;
  /** The serialization last saved: what a change that cannot be saved returns to. */
  #saved: string | undefined;

  constructor({ persistence, initial = emptyState(), now = Date.now }: StoreOptions = {}) {
    this.now = now;
    this.#persistence = persistence;
    this.#initial = initial;
    const kept = persistence?.load();
    this.#extra = kept?.extra ?? {};
    this.#state = this.#adopt(kept ? reviveState(kept.state) : clone(initial));
    this.#saved = persistence ? this.#serialize() : undefined;
  }

  /** The current state. Change it, then `commit()`. */
  get state(): SandboxState {
    return this.#state;
  }

  /**
   * Saves the current state (a no-op in memory). Called after every change, before the change is
   * acknowledged. When the state cannot be serialized or saved, it returns to what was last saved
   * and a SandboxSaveError is thrown.
   */
  commit(): void {
    if (!this.#persistence) return;
    let text: string;
    try {
      text = this.#serialize();
      this.#persistence.save(text);
    } catch (cause) {
      this.rollback();
      throw new SandboxSaveError(
        `The sandbox could not save the change (${failureKind(cause)}), so it was not applied`,
        {
          cause,
        },
      );
    }
    this.#saved = text;
  }

  /**
   * Drops the changes made since the last save: the state returns to exactly what was last saved,
   * revived from its serialization (a parse of the whole state, paid only on failure). In memory
   * there is no saved state to return to, and the state stays as it is.
   */
  rollback(): void {
    if (this.#saved === undefined) return;
    this.#state = this.#adopt(reviveState(JSON.parse(this.#saved) as SandboxState));
  }

  /** Back to the initial (seeded) state. Throws SandboxSaveError, leaving the state as it was, when it cannot be saved. */
  reset(): void {
    this.#state = this.#adopt(clone(this.#initial));
    this.commit();
  }

  /** One API's part of the state back to its initial (seeded) one; the other parts stay as they are. */
  resetPart(part: StatePart): void {
    const fresh = clone(this.#initial);
    this.#state = this.#adopt({ ...this.#state, [part]: fresh[part] });
    this.commit();
  }

  /** Makes `initial` the state `reset()` returns to, and resets to it (or throws, changing nothing). */
  reseed(initial: SandboxState): void {
    const previous = this.#initial;
    this.#initial = initial;
    try {
      this.reset();
    } catch (error) {
      this.#initial = previous;
      throw error;
    }
  }

  /** Compact, so the file grows with the data's text, not with its depth. */
  #serialize(): string {
    return JSON.stringify(Object.keys(this.#extra).length ? { ...this.#state, ...this.#extra } : this.#state);
  }

  #adopt(state: SandboxState): SandboxState {
    bindClock(state, this.now);
    pruneTokens(state, this.now());
    return state;
  }
}

/** A system error's code (`ENOSPC`), else the error's name (`RangeError`): never its message, which may quote data. */
function failureKind(error: unknown): string {
  const code = (error as { code?: unknown } | null)?.code;
  if (typeof code === "string" && /^[A-Z0-9_]+$/.test(code)) return code;
  return error instanceof Error ? error.name : "unknown error";
}

function clone(state: SandboxState): SandboxState {
  return reviveState(structuredClone(state));
}
