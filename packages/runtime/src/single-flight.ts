import { within } from "./retry.js";

interface Pending<T> {
  result: Promise<T>;
  stop: AbortController;
  waiters: number;
}

/** One request at a time, shared by every caller that asks while it is pending. */
export interface SingleFlight<T> {
  /** Whether a request is pending. */
  pending(): boolean;
  /**
   * Waits for the pending request, starting one if none is. `signal` ends this caller's wait at
   * once; when every caller has given up, the request is aborted and the next caller starts anew.
   */
  join(signal: AbortSignal | undefined): Promise<T>;
}

const abandoned = Object.freeze({ reason: "cx-openapi: token request given up" });

export function singleFlight<T>(start: (stop: AbortController) => Promise<T>): SingleFlight<T> {
  let pending: Pending<T> | undefined;
  return {
    pending: () => pending !== undefined,
    async join(signal) {
      if (!pending) {
        const stop = new AbortController();
        const started: Pending<T> = { result: start(stop), stop, waiters: 0 };
        const settle = () => {
          if (pending === started) pending = undefined;
        };
        started.result.then(settle, settle);
        pending = started;
      }
      const shared: Pending<T> = pending;
      shared.waiters += 1;
      try {
        return await within(shared.result, signal);
      } finally {
        if (--shared.waiters === 0 && pending === shared) {
          shared.stop.abort(abandoned);
          pending = undefined;
        }
      }
    },
  };
}
