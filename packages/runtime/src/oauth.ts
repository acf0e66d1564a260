import { requireHttpUrl, requireText } from "./options.js";

/**
 * Returns an access token. `rejectedToken` is the token the API just refused (401): the provider
 * then fetches a new one, unless it already holds a newer one, so concurrent 401s share a refresh.
 */
export type TokenProvider = (options?: { rejectedToken?: string }) => Promise<string>;

export interface ClientCredentialsOptions {
  /** The OAuth2 token endpoint, e.g. `https://auth.retailsvc.com/oauth2/token`. */
  tokenUrl: string;
  clientId: string;
  clientSecret: string;
  /** Sent as the `audience` form field when given (Hii Retail requires `https://hiiretail.com`). */
  audience?: string;
  /** A fetch implementation to use instead of the global one. */
  fetch?: (request: Request) => Promise<Response>;
}

/** The token endpoint failed or answered something unusable. Never carries the client secret. */
export class TokenRequestError extends Error {
  override name = "TokenRequestError";
  constructor(
    message: string,
    readonly status?: number,
  ) {
    super(message);
  }
}

/** Tokens are renewed this long before they expire, at most 10% of their lifetime. */
const refreshMarginMs = 60_000;
/** Lifetime assumed when the token endpoint omits `expires_in`. */
const defaultLifetimeSeconds = 60;

/**
 * A token provider for the OAuth2 client-credentials grant (RFC 6749 §4.4): fetches a token,
 * caches it, renews it shortly before it expires, and lets concurrent callers share one request.
 */
export function clientCredentials(options: ClientCredentialsOptions): TokenProvider {
  const name = "clientCredentials";
  const tokenUrl = requireHttpUrl(name, "tokenUrl", requireText(name, "tokenUrl", options.tokenUrl));
  const clientId = requireText(name, "clientId", options.clientId);
  const clientSecret = requireText(name, "clientSecret", options.clientSecret);
  const fetchToken = options.fetch ?? ((request: Request) => globalThis.fetch(request));

  let cached: { token: string; renewAt: number } | undefined;
  let inFlight: Promise<string> | undefined;

  const request = async (): Promise<string> => {
    const body = new URLSearchParams({ grant_type: "client_credentials" });
    if (options.audience) body.set("audience", options.audience);
    const credentials = btoa(`${encodeURIComponent(clientId)}:${encodeURIComponent(clientSecret)}`);
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
        }),
      );
    } catch (error) {
      const reason = error instanceof Error ? error.message : String(error);
      throw new TokenRequestError(`token request to ${tokenUrl} failed: ${scrub(reason, clientSecret)}`);
    }
    const text = await response.text();
    const payload = parseJson(text);
    if (!response.ok) {
      const detail = [payload?.error, payload?.error_description].filter((part) => typeof part === "string").join(": ");
      throw new TokenRequestError(
        scrub(`token endpoint ${tokenUrl} answered ${response.status}${detail ? ` (${detail})` : ""}`, clientSecret),
        response.status,
      );
    }
    const token = payload?.access_token;
    if (typeof token !== "string" || token === "") {
      throw new TokenRequestError(`token endpoint ${tokenUrl} answered ${response.status} without an access_token`, response.status);
    }
    const lifetimeMs =
      (typeof payload?.expires_in === "number" && payload.expires_in > 0 ? payload.expires_in : defaultLifetimeSeconds) * 1000;
    cached = { token, renewAt: Date.now() + lifetimeMs - Math.min(refreshMarginMs, lifetimeMs / 10) };
    return token;
  };

  return async ({ rejectedToken } = {}) => {
    const fresh = cached && Date.now() < cached.renewAt && cached.token !== rejectedToken;
    if (fresh) return cached!.token;
    inFlight ??= request().finally(() => {
      inFlight = undefined;
    });
    return inFlight;
  };
}

function parseJson(text: string): Record<string, unknown> | undefined {
  try {
    const value: unknown = JSON.parse(text);
    return typeof value === "object" && value !== null ? (value as Record<string, unknown>) : undefined;
  } catch {
    return undefined;
  }
}

/** Removes a secret from text an endpoint may have echoed back. */
function scrub(text: string, secret: string): string {
  return text.split(secret).join("[redacted]");
}
