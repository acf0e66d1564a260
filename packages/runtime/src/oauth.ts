import { TokenRequestError } from "./errors.js";
import { limitBody } from "./limits.js";
import { isHeaderValue, refuseSecretInBrowser, requireHttpUrl, requireNumber, requireText } from "./options.js";
import { within } from "./retry.js";

export { TokenRequestError };

/**
 * Returns an access token. `rejectedToken` is the token the API just refused (401): the provider
 * then fetches a new one, unless it already holds a newer one (concurrent 401s share a refresh) or
 * is backing off (it then returns the refused token, and the caller keeps its 401). `signal` ends
 * the caller's wait at once; it does not cancel a token request other callers share.
 */
export type TokenProvider = (options?: {
  rejectedToken?: string | undefined;
  signal?: AbortSignal | undefined;
}) => Promise<string>;

export interface ClientCredentialsOptions {
  /** The OAuth2 token endpoint, e.g. `https://auth.retailsvc.com/oauth2/token`. */
  tokenUrl: string;
  clientId: string;
  clientSecret: string;
  /** Sent as the `audience` form field when given (Hii Retail requires `https://hiiretail.com`). */
  audience?: string;
  /** A fetch implementation to use instead of the global one. */
  fetch?: (request: Request) => Promise<Response>;
  /** Bounds one token request, body included. Default 30 000 ms. */
  timeoutMs?: number;
  /** The largest token response read. Default 65 536 bytes (64 KiB). */
  maxResponseBytes?: number;
  /** Allows a client secret in a browser page (jsdom, Storybook, the local mocks). Never in production. */
  dangerouslyAllowBrowser?: boolean;
}

/** Tokens are renewed this long before they expire, at most 10% of their lifetime. */
const refreshMarginMs = 60_000;
/** Lifetime assumed when the token endpoint omits `expires_in` or gives something unusable. */
const defaultLifetimeSeconds = 60;
/** A token is cached at least this long, however short its `expires_in`: no request storms. */
const minLifetimeMs = 30_000;
/** A token refused within this time of being issued counts as a strike: the next renewal backs off. */
const freshMs = 120_000;
/** Back-off between renewals after repeated refusals: 1 s, doubling, at most 60 s. */
const backoffMs = (strikes: number) => Math.min(60_000, 1_000 * 2 ** (strikes - 1));

/**
 * A token provider for the OAuth2 client-credentials grant (RFC 6749 §4.4): fetches a token,
 * caches it, renews it shortly before it expires, and lets concurrent callers share one request.
 */
export function clientCredentials(options: ClientCredentialsOptions): TokenProvider {
  const name = "clientCredentials";
  refuseSecretInBrowser(name, "a client secret", options.dangerouslyAllowBrowser);
  const tokenUrl = requireHttpUrl(name, "tokenUrl", requireText(name, "tokenUrl", options.tokenUrl));
  const clientId = requireText(name, "clientId", options.clientId);
  const clientSecret = requireText(name, "clientSecret", options.clientSecret);
  const timeoutMs = options.timeoutMs ?? 30_000;
  if (!Number.isFinite(timeoutMs) || timeoutMs <= 0)
    throw new TypeError(`${name}: timeoutMs must be a number of milliseconds above 0; got ${timeoutMs}`);
  const maxBytes = requireNumber(`${name}: maxResponseBytes`, options.maxResponseBytes ?? 64 * 1024, 1, true);
  const fetchToken = options.fetch ?? ((request: Request) => globalThis.fetch(request));
  const credentials = btoa(`${encodeURIComponent(clientId)}:${encodeURIComponent(clientSecret)}`);
  // Every form the secret can take in text an endpoint echoes back.
  const scrub = (text: string) =>
    [clientSecret, encodeURIComponent(clientSecret), credentials].reduce(
      (out, form) => out.split(form).join("[redacted]"),
      text,
    );

  let cached: { token: string; renewAt: number; issuedAt: number } | undefined;
  interface Pending {
    token: Promise<string>;
    stop: AbortController;
    waiters: number;
  }
  let pending: Pending | undefined;
  let strikes = 0;
  let notBefore = 0;

  const request = async (stop: AbortController): Promise<string> => {
    const body = new URLSearchParams({ grant_type: "client_credentials" });
    if (options.audience) body.set("audience", options.audience);
    const timer = setTimeout(() => stop.abort(timedOut), timeoutMs);
    const failed = (error: unknown) =>
      new TokenRequestError(
        `token request to ${tokenUrl} ` +
          (stop.signal.reason === timedOut
            ? `timed out after ${timeoutMs} ms`
            : scrub(`failed: ${error instanceof Error ? error.message : error}`)),
      );
    const answered = (status: number, what: string) =>
      new TokenRequestError(scrub(`token endpoint ${tokenUrl} answered ${status}${what}`), status);
    try {
      let response: Response;
      try {
        response = await fetchToken(
          new Request(tokenUrl, {
            method: "POST",
            headers: {
              authorization: `Basic ${credentials}`,
              "content-type": "application/x-www-form-urlencoded",
              accept: "application/json",
            },
            body,
            // The Basic credentials go to the token endpoint only, never to where it redirects.
            redirect: "manual",
            signal: stop.signal,
          }),
        );
      } catch (error) {
        throw failed(error);
      }
      const { status } = response;
      if ((status >= 300 && status < 400) || status === 0) {
        void response.body?.cancel().catch(() => undefined);
        throw answered(status, ", a redirect, which is not followed");
      }
      let text: string;
      try {
        text = await limitBody(response, maxBytes, () =>
          answered(status, ` with a body over ${maxBytes} bytes`),
        ).text();
      } catch (error) {
        throw error instanceof TokenRequestError ? error : failed(error);
      }
      const payload = parseJson(text);
      if (!response.ok) {
        const detail = [payload?.error, payload?.error_description]
          .filter((part) => typeof part === "string")
          .join(": ");
        throw answered(status, detail ? ` (${detail})` : "");
      }
      const token = payload?.access_token;
      if (typeof token !== "string" || token === "") throw answered(status, " without an access_token");
      // A CR or LF would inject a header, and the TypeError Headers throws would quote the token.
      if (!isHeaderValue(token)) throw answered(status, " with an access_token holding control characters");
      const now = Date.now();
      const lifetimeMs = Math.max(minLifetimeMs, lifetimeSeconds(payload?.expires_in) * 1000);
      cached = { token, issuedAt: now, renewAt: now + lifetimeMs - Math.min(refreshMarginMs, lifetimeMs / 10) };
      return token;
    } finally {
      clearTimeout(timer);
    }
  };

  return async ({ rejectedToken, signal } = {}) => {
    const now = Date.now();
    if (cached && now < cached.renewAt && cached.token !== rejectedToken) return cached.token;
    if (!pending) {
      if (cached && rejectedToken === cached.token) {
        // The current token was refused: renew at once the first time, then back off.
        if (now < notBefore) return cached.token;
        strikes = now - cached.issuedAt < freshMs ? strikes + 1 : 1;
        notBefore = now + backoffMs(strikes);
      }
      const stop = new AbortController();
      const started: Pending = { token: request(stop), stop, waiters: 0 };
      const settle = () => {
        if (pending === started) pending = undefined;
      };
      started.token.then(settle, settle);
      pending = started;
    }
    const shared: Pending = pending;
    shared.waiters += 1;
    try {
      return await within(shared.token, signal);
    } finally {
      // When every caller has given up, so does the request; the next call starts a fresh one.
      if (--shared.waiters === 0 && pending === shared) {
        shared.stop.abort(abandoned);
        pending = undefined;
      }
    }
  };
}

const timedOut = Object.freeze({ reason: "cx-openapi: token request timed out" });
const abandoned = Object.freeze({ reason: "cx-openapi: token request given up" });

/** `expires_in` in seconds, as a number or a numeric string (as many providers send it). */
function lifetimeSeconds(value: unknown): number {
  const seconds = typeof value === "string" && /^\s*\d+(\.\d+)?\s*$/.test(value) ? Number(value) : value;
  return typeof seconds === "number" && Number.isFinite(seconds) && seconds > 0 ? seconds : defaultLifetimeSeconds;
}

function parseJson(text: string): Record<string, unknown> | undefined {
  try {
    const value: unknown = JSON.parse(text);
    return typeof value === "object" && value !== null ? (value as Record<string, unknown>) : undefined;
  } catch {
    return undefined;
  }
}
