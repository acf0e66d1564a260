import { deadline, type Deadline } from "./deadline.js";

/** The reason a call's own timeout aborts with, told apart from the caller's abort. */
export const timedOut = Object.freeze({ reason: "cx-openapi timeout" });

/**
 * The one deadline of a call, none when `timeoutMs` is 0. A stream is read after the call
 * returns: its deadline is its own and ends with the call, not later.
 */
export function callDeadline(timeoutMs: number, stream: boolean): Deadline | undefined {
  return timeoutMs > 0 ? deadline(timeoutMs, timedOut, stream) : undefined;
}
