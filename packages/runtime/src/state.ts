import type { OperationRef } from "./errors.js";
import type { Redactor } from "./redact.js";

/** What one call keeps track of across its attempts. */
export interface CallState {
  operation: OperationRef;
  attempts: number;
  /** The last error fetch itself threw, so other errors (bad input, hooks) are not taken for network failures. */
  fetchError: unknown;
  /** The response of the current attempt, once it has come (after any redirects). */
  response: Response | undefined;
  /** The redactor of this call: the client's, plus the call's own personal values. */
  redact: () => Redactor;
}
