import { TokenRequestError } from "./errors.js";
import { limitBody } from "./limits.js";
import { redacted } from "./redact.js";
import { isHeaderValue, refuseSecretInBrowser, requireHttpUrl, requireNumber, requireText } from "./options.js";

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

/** The token an endpoint issued and its `expires_in`, as sent. */
export interface IssuedToken {
  token: string;
  expiresIn: unknown;
}

const timedOut = Object.freeze({ reason: "cx-openapi: token request timed out" });

/**
 * Requests tokens as the options say, each within the timeout and until its `stop` aborts: the
 * token, or a TokenRequestError that never quotes the secret. Throws a TypeError naming a bad option.
 */
export function tokenRequester(options: ClientCredentialsOptions): (stop: AbortController) => Promise<IssuedToken> {
  const name = "clientCredentials";
  refuseSecretInBrowser(name, "a client secret", options.dangerouslyAllowBrowser);
  const url = requireHttpUrl(name, "tokenUrl", requireText(name, "tokenUrl", options.tokenUrl));
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
      (out, form) => out.split(form).join(redacted),
      text,
    );
  return async (stop) => {
    const body = new URLSearchParams({ grant_type: "client_credentials" });
    if (options.audience) body.set("audience", options.audience);
    const timer = setTimeout(() => stop.abort(timedOut), timeoutMs);
    const failed = (error: unknown) =>
      new TokenRequestError(
        `token request to ${url} ` +
          (stop.signal.reason === timedOut
            ? `timed out after ${timeoutMs} ms`
            : scrub(`failed: ${error instanceof Error ? error.message : error}`)),
      );
    const answered = (status: number, what: string) =>
      new TokenRequestError(scrub(`token endpoint ${url} answered ${status}${what}`), status);
    try {
      let response: Response;
      try {
        response = await fetchToken(
          new Request(url, {
            method: "POST",
            headers: {
              authorization: `Basic ${credentials}`,
              "content-type": "application/x-www-form-urlencoded",
              accept: "application/json",
            },
            body,
            redirect: "manual",
            signal: stop.signal,
          }),
        );
      } catch (error) {
        throw failed(error);
      }
      return await readToken(response, maxBytes, answered, failed);
    } finally {
      clearTimeout(timer);
    }
  };
}

/** The token of a token response, read within the size limit; anything else is a TokenRequestError. */
async function readToken(
  response: Response,
  maxBytes: number,
  answered: (status: number, what: string) => TokenRequestError,
  failed: (error: unknown) => TokenRequestError,
): Promise<IssuedToken> {
  const { status } = response;
  if ((status >= 300 && status < 400) || status === 0) {
    void response.body?.cancel().catch(() => undefined);
    throw answered(status, ", a redirect, which is not followed");
  }
  let text: string;
  try {
    text = await limitBody(response, maxBytes, () => answered(status, ` with a body over ${maxBytes} bytes`)).text();
  } catch (error) {
    throw error instanceof TokenRequestError ? error : failed(error);
  }
  const payload = parseJson(text);
  if (!response.ok) {
    const detail = [payload?.error, payload?.error_description].filter((part) => typeof part === "string").join(": ");
    throw answered(status, detail ? ` (${detail})` : "");
  }
  const token = payload?.access_token;
  if (typeof token !== "string" || token === "") throw answered(status, " without an access_token");
  // A CR or LF would inject a header, and the TypeError Headers throws would quote the token.
  if (!isHeaderValue(token)) throw answered(status, " with an access_token holding control characters");
  return { token, expiresIn: payload?.expires_in };
}

function parseJson(text: string): Record<string, unknown> | undefined {
  try {
    const value: unknown = JSON.parse(text);
    return typeof value === "object" && value !== null ? (value as Record<string, unknown>) : undefined;
  } catch {
    return undefined;
  }
}
