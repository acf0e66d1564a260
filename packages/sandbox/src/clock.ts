// The sandbox's controllable clock: real time by default; set or advanced by a test so that token
// expiry, segment memberships (`expires`, `daysValid`) and created dates can be tested without
// waiting. `PUT /__sandbox/clock` and `sandboxHandlers({ clock })` drive it.
import { isObject } from "@cx-openapi/spec/openapi";

export interface ClockChange {
  /** Set the time to this instant (ISO 8601); it then runs on from there, unless `frozen`. */
  now?: string;
  /** Stop the clock (at `now`, or where it is). */
  frozen?: boolean;
  /** Move it this many ms forward (or back, when negative). */
  advanceMs?: number;
  /** Back to the real time. */
  real?: true;
}

export class SandboxClock {
  #offset = 0;
  #frozenAt: number | undefined;
  readonly #real: () => number;

  /** `real` is what "real time" is (Date.now; a test may give its own). */
  constructor(real: () => number = Date.now) {
    this.#real = real;
  }

  /** Milliseconds since the epoch, as `Date.now`. */
  readonly now = (): number => this.#frozenAt ?? this.#real() + this.#offset;

  change(change: ClockChange): void {
    if (change.real) {
      this.#offset = 0;
      this.#frozenAt = undefined;
    }
    if (change.now !== undefined) this.#offset = Date.parse(change.now) - this.#real();
    if (change.advanceMs !== undefined) {
      this.#offset += change.advanceMs;
      if (this.#frozenAt !== undefined) this.#frozenAt += change.advanceMs;
    }
    if (change.frozen === true) this.#frozenAt = this.#frozenAt ?? this.#real() + this.#offset;
    if (change.frozen === false && this.#frozenAt !== undefined) {
      this.#offset = this.#frozenAt - this.#real();
      this.#frozenAt = undefined;
    }
    if (change.now !== undefined && this.#frozenAt !== undefined) this.#frozenAt = Date.parse(change.now);
  }

  /** What `GET /__sandbox/clock` shows. */
  get shown(): { now: string; frozen: boolean; offsetMs: number } {
    const now = this.now();
    return { now: new Date(now).toISOString(), frozen: this.#frozenAt !== undefined, offsetMs: now - this.#real() };
  }
}

const tenYears = 10 * 365 * 24 * 3600 * 1000;

/** Checks a change sent to `PUT /__sandbox/clock`; returns the problems, naming the field. */
export function checkClockChange(value: unknown): { change: ClockChange } | { problems: string[] } {
  if (!isObject(value)) return { problems: ["(body) must be an object: { now, frozen, advanceMs, real }"] };
  const problems = Object.keys(value)
    .filter((key) => !["now", "frozen", "advanceMs", "real"].includes(key))
    .map((key) => `property ${key} should not exist`);
  const { now, frozen, advanceMs, real } = value;
  if (now !== undefined && (typeof now !== "string" || Number.isNaN(Date.parse(now))))
    problems.push("now must be a date-time (ISO 8601)");
  if (frozen !== undefined && typeof frozen !== "boolean") problems.push("frozen must be true or false");
  if (advanceMs !== undefined && !(Number.isInteger(advanceMs) && Math.abs(advanceMs as number) <= tenYears))
    problems.push(`advanceMs must be a whole number from -${tenYears} to ${tenYears}`);
  if (real !== undefined && real !== true) problems.push("real must be true");
  return problems.length ? { problems } : { change: value as ClockChange };
}
