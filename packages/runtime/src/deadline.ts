// A deadline per call costs an AbortSignal (~4 µs to create on Node 20) and a timer. Calls whose
// deadlines fall in the same slice of time share both: one signal aborts them all at the slice's
// end. A slice is 1 ms for timeouts up to 2 s and 1/1000 of the timeout above (30 ms for the
// default 30 s), so a deadline is at most that late and never early; at most 16 calls share one.
// The timer keeps the process alive only while a call of its slice runs, as a call's own timer would.

/** The deadline of the calls that share it, or of one call alone. */
export interface Deadline {
  readonly signal: AbortSignal;
  /** Calls of this slice still running. */
  running: number;
  /** Calls that joined it: fetch adds an abort listener per request, and they stay until collected. */
  joined: number;
  readonly timer: ReturnType<typeof setTimeout>;
  /** The setTimeout that made the timer: one made by another (fake timers swapped in and out) may never fire. */
  readonly madeBy: typeof setTimeout;
  /** One call's alone, never shared: `release` clears its timer. */
  readonly own: boolean;
  /** When it aborts, as `Date.now()` gives it. */
  readonly end: number;
}

const slices = new Map<number, Deadline>();
/**
 * At most this many calls share a signal. Each request adds a listener to it, and fetch lists them
 * all (getEventListeners) at every request: a short list, and a new signal once in a while, cost
 * less than a long one.
 */
export const maxJoined = 16;

/**
 * The deadline `ms` from now, shared with the calls whose deadlines end in the same slice; or, `own`,
 * one call's alone, exact, which ends with the call. `release` it when the call ends.
 */
export function deadline(ms: number, reason: unknown, own = false): Deadline {
  const width = ms > 2_000 ? Math.floor(ms / 1_000) : 1;
  const now = Date.now();
  const end = own ? now + ms : Math.ceil((now + ms) / width) * width;
  let slice = own ? undefined : slices.get(end);
  if (!slice || slice.madeBy !== setTimeout || slice.joined >= maxJoined) {
    const controller = new AbortController();
    const timer = setTimeout(() => {
      if (slices.get(end) === slice) slices.delete(end);
      controller.abort(reason);
    }, end - now);
    slice = { signal: controller.signal, running: 0, joined: 0, timer, madeBy: setTimeout, own, end };
    if (!own) slices.set(end, slice);
  }
  slice.joined++;
  if (slice.running++ === 0) (slice.timer as { ref?: () => void }).ref?.();
  return slice;
}

export function release(slice: Deadline): void {
  if (slice.own) clearTimeout(slice.timer);
  else if (--slice.running === 0) (slice.timer as { unref?: () => void }).unref?.();
}
