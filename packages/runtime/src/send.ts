import { inputError, label } from "./errors.js";
import { apiError } from "./failure.js";
import { limitBody } from "./limits.js";
import { followWithinOrigin, redirectStatuses, type Fetcher } from "./redirects.js";
import type { CallState } from "./state.js";

/**
 * The fetch openapi-fetch calls for each attempt of a call: one request on the client's origin,
 * its redirects followed as `redirect` says, its body bounded by `maxBytes`. What fetch itself
 * throws is recorded as the call's network error. It goes through the caller's fetch, or the global one.
 */
export function send(
  state: CallState,
  origin: string,
  redirect: RequestRedirect,
  maxBytes: number,
  callerFetch: Fetcher | undefined,
  signal: AbortSignal | undefined,
): Fetcher {
  // The global fetch is given the signal when the Request does not carry it.
  const fetchOnce: Fetcher =
    callerFetch ?? ((request, ext) => fetch(request, !signal ? ext : ext ? { ...ext, signal } : { signal }));
  const fetchFailed = (error: unknown): never => {
    state.fetchError = error;
    throw error;
  };
  const received = (response: Response) => {
    state.response = response;
    return limitBody(response, maxBytes, () =>
      apiError(state, response, undefined, false, `with a body over ${maxBytes} bytes`),
    );
  };
  return (request, ext) => {
    // Checked here, after every middleware (and for what middleware re-sends with options.fetch):
    // the credentials are on every request of the client.
    if (!request.url.startsWith(`${origin}/`)) {
      throw inputError(
        `${label(state.operation)}: middleware moved the request to another origin; requests go only to the client's origin (${origin}), where the credentials go`,
      );
    }
    // A copy of the body for a 307 or 308, taken before fetch consumes it.
    const spare = request.body === null || redirect !== "follow" ? undefined : request.clone();
    // One promise step: the response, or what fetch threw, recorded as a network error.
    return fetchOnce(request, ext).then(
      (response) =>
        redirectStatuses.has(response.status) && redirect !== "manual"
          ? followWithinOrigin(
              state,
              origin,
              redirect === "error",
              (next) => fetchOnce(next, ext).catch(fetchFailed),
              request,
              response,
              spare,
            ).then(received)
          : received(response),
      fetchFailed,
    );
  };
}
