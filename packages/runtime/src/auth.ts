import type { Middleware } from "openapi-fetch";
import { TokenRequestError } from "./errors.js";
import type { TokenProvider } from "./oauth.js";
import { isHeaderValue } from "./options.js";
import { within } from "./retry.js";

/** A fixed token, or a provider that returns one (and renews it on demand). */
export type TokenSource = string | TokenProvider;

export interface BearerAuthOptions {
  /** Called with every token sent, so the caller can scrub it from logs. */
  onToken?: (token: string) => void;
  /** Bounds every wait for a token: the provider's answer is not awaited past its abort. */
  signal?: AbortSignal;
}

/**
 * Middleware that sends `Authorization: Bearer <token>`. With a provider, a 401 gets one retry with
 * a renewed token; the retried response is final, so a token the API keeps refusing cannot loop.
 */
export function bearerAuth(token: TokenSource, { onToken, signal }: BearerAuthOptions = {}): Middleware {
  // A copy of each request taken before it is sent: a consumed body can never be sent twice.
  const unsent = new Map<string, Request>();
  const get = async (provider: TokenProvider, rejectedToken?: string) => {
    let value: string;
    try {
      value = await within(provider({ rejectedToken, signal }), signal);
    } catch (error) {
      if (error instanceof TokenRequestError || signal?.aborted) throw error;
      // Only the name: a provider's own message may quote a credential.
      throw new TokenRequestError(`the token provider failed (${error instanceof Error ? error.name : typeof error})`);
    }
    // A CR or LF would inject a header, and the TypeError that Headers throws quotes the token.
    if (typeof value !== "string" || value === "" || !isHeaderValue(value)) {
      throw new TokenRequestError("the token provider returned an empty token or one with control characters");
    }
    onToken?.(value);
    return value;
  };
  return {
    async onRequest({ request, id }) {
      const value = typeof token === "string" ? token : await get(token);
      if (typeof token === "string") onToken?.(value);
      request.headers.set("authorization", `Bearer ${value}`);
      // A request without a body is never consumed, so it can be sent again as it is.
      if (typeof token !== "string") unsent.set(id, request.body === null ? request : request.clone());
      return request;
    },
    async onResponse({ response, id, options }) {
      const copy = unsent.get(id);
      unsent.delete(id);
      if (response.status !== 401 || !copy || typeof token === "string") return response;
      const rejectedToken = copy.headers.get("authorization")?.slice("Bearer ".length);
      const renewed = await get(token, rejectedToken);
      if (renewed === rejectedToken) return response;
      copy.headers.set("authorization", `Bearer ${renewed}`);
      await response.body?.cancel();
      return options.fetch(copy);
    },
    onError({ id }) {
      unsent.delete(id);
    },
  };
}
