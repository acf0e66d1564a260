// A fake clock for the clients' tests: their waits (retries, Retry-After, timeouts) move only when
// the test moves time, while sockets stay real.
import { afterEach, beforeEach, expect, vi } from "vitest";

export type FakeClock = ReturnType<typeof useFakeClock>;

/**
 * Fakes only setTimeout, clearTimeout and Date: sockets keep running on the real event loop, while
 * the client's waits (retry backoff, Retry-After, timeouts) move only when the test moves time.
 * Call `restore()` in afterEach.
 */
export function useFakeClock(now = Date.UTC(2025, 0, 1)) {
  vi.useFakeTimers({ toFake: ["setTimeout", "clearTimeout", "Date"], now });
  // Records the delay of every timer set, so a test can wait until a wait has begun. Not a vi.spyOn:
  // vi.restoreAllMocks would put the fake setTimeout back after useRealTimers.
  const fakeSetTimeout = globalThis.setTimeout;
  const delays: (number | undefined)[] = [];
  globalThis.setTimeout = Object.assign((...args: Parameters<typeof setTimeout>) => {
    delays.push(args[1]);
    return fakeSetTimeout(...args);
  }, fakeSetTimeout);
  const advance = (ms: number) => vi.advanceTimersByTimeAsync(ms);
  return {
    /** Moves fake time on, running the timers that fall due. */
    advance,
    /** Checks `call` is still pending 1 ms before `ms` from now, then waits until it settles at `ms`. */
    async settlesAfter(call: { settled: boolean }, ms: number) {
      await advance(ms - 1);
      expect(call.settled, `settled before ${ms} ms`).toBe(false);
      await advance(1);
      await until(() => call.settled, `the call to settle at ${ms} ms`);
    },
    /** Lets real I/O run until a wait of exactly `ms` has been scheduled `times` times. */
    untilScheduled: (ms: number, times = 1) =>
      until(() => delays.filter((delay) => delay === ms).length >= times, `${times} wait(s) of ${ms} ms`),
    /** Puts the real timers back (useRealTimers also undoes the recording wrapper). */
    restore() {
      vi.useRealTimers();
    },
  };
}

/** A fake clock for each test of the file, put back after it: `clock.advance(...)` acts on the current one. */
export function fakeClockPerTest(now?: number): Omit<FakeClock, "restore"> {
  let current: FakeClock | undefined;
  beforeEach(() => {
    current = useFakeClock(now);
  });
  afterEach(() => current?.restore());
  const clock = () => {
    if (!current) throw new Error("fakeClockPerTest: the clock exists only while a test runs");
    return current;
  };
  return {
    advance: (ms) => clock().advance(ms),
    settlesAfter: (call, ms) => clock().settlesAfter(call, ms),
    untilScheduled: (ms, times) => clock().untilScheduled(ms, times),
  };
}

/** Lets real I/O (sockets) run, without moving fake time, until `done()` holds. */
export async function until(done: () => boolean, what = "the condition"): Promise<void> {
  for (let turn = 0; turn < 20_000; turn++) {
    if (done()) return;
    await new Promise((resolve) => setImmediate(resolve));
  }
  throw new Error(`gave up waiting for ${what}`);
}

/** Tracks a promise without awaiting it: whether it has settled, and how. */
export function observe<T>(promise: Promise<T>) {
  const state: { settled: boolean; value?: T; error?: unknown } = { settled: false };
  promise.then(
    (value) => Object.assign(state, { settled: true, value }),
    (error: unknown) => Object.assign(state, { settled: true, error }),
  );
  return state;
}

/**
 * Moves fake time in steps, letting real I/O run in between, until `promise` settles: for tests
 * that count requests rather than time waits.
 */
export async function runClock<T>(promise: Promise<T>, stepMs = 100, limitMs = 120_000): Promise<T> {
  const state = observe(promise);
  for (let elapsed = 0; !state.settled && elapsed <= limitMs; elapsed += stepMs) {
    for (let turn = 0; turn < 5 && !state.settled; turn++) await new Promise((resolve) => setImmediate(resolve));
    if (!state.settled) await vi.advanceTimersByTimeAsync(stepMs);
  }
  return promise;
}
