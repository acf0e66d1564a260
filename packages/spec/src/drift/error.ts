import type { DriftEvent } from "./types.js";

/** The mark `instanceof DriftError` checks: each client's drift entry carries its own copy of the class. */
const driftErrorKey = Symbol.for("@cx-openapi/drift-error");

/**
 * A response that broke the spec, in a drift reporter's "throw" mode (for tests): `events` says
 * how. Its message names the operation, the status, the rules and the pointers, never a value.
 */
export class DriftError extends Error {
  static override [Symbol.hasInstance](value: unknown): boolean {
    return (value as Record<symbol, unknown> | null | undefined)?.[driftErrorKey] === true;
  }
  override name = "DriftError";
  readonly events: readonly DriftEvent[];

  constructor(events: readonly DriftEvent[]) {
    const first = events[0];
    const where = first ? `${first.operation.method} ${first.operation.path} answered ${first.status}` : "a response";
    const rules = events.map((event) => `${event.rule} at ${event.pointer || "(body)"}`).join(", ");
    super(`${where}: ${events.length} deviation(s) from the spec (${rules})`);
    this.events = events;
    Object.defineProperty(this, driftErrorKey, { value: true });
  }

  toJSON(): { name: string; message: string; events: readonly DriftEvent[] } {
    return { name: this.name, message: this.message, events: this.events };
  }
}
