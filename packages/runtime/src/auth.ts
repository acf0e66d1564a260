import type { Middleware } from "openapi-fetch";
import type { TokenProvider } from "./oauth.js";

/** A fixed token, or a provider that returns one (and renews it on demand). */
export type TokenSource = string | TokenProvider;

/**
 * Middleware that sends `Authorization: Bearer <token>`. With a provider, a 401 gets one retry with
 * a renewed token; the retried response is final, so a token the API keeps refusing cannot loop.
 */
export function bearerAuth(token: TokenSource, onToken?: (token: string) => void): Middleware {
  // A copy of each request taken before it is sent: a consumed body can never be sent twice.
  const unsent = new Map<string, Request>();
  return {
    async onRequest({ request, id }) {
      const value = typeof token === "string" ? token : await token();
      onToken?.(value);
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
      const renewed = await token(rejectedToken === undefined ? {} : { rejectedToken });
      if (renewed === rejectedToken) return response;
      onToken?.(renewed);
      copy.headers.set("authorization", `Bearer ${renewed}`);
      await response.body?.cancel();
      return options.fetch(copy);
    },
    onError({ id }) {
      unsent.delete(id);
    },
  };
}
