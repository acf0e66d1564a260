import { TokenRequestError } from "./errors.js";
import { singleFlight } from "./single-flight.js";
import { tokenRequester, type ClientCredentialsOptions } from "./token-request.js";

export { TokenRequestError, type ClientCredentialsOptions };

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

/** Tokens are renewed this long before they expire, at most 10% of their lifetime. */
const refreshMarginMs = 60_000;
/** Lifetime assumed when the token endpoint omits `expires_in` or gives something unusable. */
const defaultLifetimeSeconds = 60;
/** A token is cached at least this long, however short its `expires_in`: no request storms. */
const minLifetimeMs = 30_000;
/** A token refused within this time of being issued counts as a strike: the next renewal backs off. */
const freshMs = 120_000;

interface CachedToken {
  token: string;
  issuedAt: number;
  renewAt: number;
}

/**
 * A token provider for the OAuth2 client-credentials grant (RFC 6749 §4.4): fetches a token,
 * caches it, renews it shortly before it expires, and lets concurrent callers share one request.
 */
export function clientCredentials(options: ClientCredentialsOptions): TokenProvider {
  const requestToken = tokenRequester(options);
  let cached: CachedToken | undefined;
  const renewal = singleFlight(async (stop) => {
    const { token, expiresIn } = await requestToken(stop);
    cached = cachedToken(token, expiresIn, Date.now());
    return token;
  });
  const mayRenew = backoff();
  return async ({ rejectedToken, signal } = {}) => {
    const now = Date.now();
    if (cached && now < cached.renewAt && cached.token !== rejectedToken) return cached.token;
    // The current token was refused: renew at once the first time, then back off.
    if (!renewal.pending() && cached && rejectedToken === cached.token && !mayRenew(cached.issuedAt, now)) {
      return cached.token;
    }
    return renewal.join(signal);
  };
}

/** A token as cached: renewed a margin before it expires, and kept at least `minLifetimeMs`. */
function cachedToken(token: string, expiresIn: unknown, now: number): CachedToken {
  // `expires_in` is in seconds, a number or a numeric string (as many providers send it).
  const seconds =
    typeof expiresIn === "string" && /^\s*\d+(\.\d+)?\s*$/.test(expiresIn) ? Number(expiresIn) : expiresIn;
  const given =
    typeof seconds === "number" && Number.isFinite(seconds) && seconds > 0 ? seconds : defaultLifetimeSeconds;
  const lifetimeMs = Math.max(minLifetimeMs, given * 1000);
  return { token, issuedAt: now, renewAt: now + lifetimeMs - Math.min(refreshMarginMs, lifetimeMs / 10) };
}

/**
 * Whether a refused token may be renewed now: at once the first time, then, while the tokens keep
 * being refused soon after they were issued, only after a back-off that doubles each time.
 */
function backoff(): (issuedAt: number, now: number) => boolean {
  let strikes = 0;
  let notBefore = 0;
  return (issuedAt, now) => {
    if (now < notBefore) return false;
    strikes = now - issuedAt < freshMs ? strikes + 1 : 1;
    notBefore = now + Math.min(60_000, 1_000 * 2 ** (strikes - 1));
    return true;
  };
}
