import type { CallState } from "./state.js";
import { NetworkError } from "./errors.js";

/** What openapi-fetch calls fetch with: the Request, and `requestInitExt` when there is one. */
export type Fetcher = (request: Request, ext?: Record<string, unknown>) => Promise<Response>;

/** Redirects followed within the base URL's origin before a call gives up. */
const maxRedirects = 5;
/** 0 is a browser's opaque redirect, whose target fetch hides. */
export const redirectStatuses: ReadonlySet<number> = new Set([0, 301, 302, 303, 307, 308]);

/**
 * Follows 301, 302, 303, 307 and 308 only within `origin`, at most `maxRedirects` times. A
 * redirect elsewhere ends the call with a NetworkError, so neither the credentials nor the body
 * reach another origin. 303 (and 301/302 after a POST) turn into a GET without a body, as fetch
 * does; 307 and 308 keep the method and the body (`spare`, a copy taken before it was sent).
 * `refuse` (`redirect: "error"`): any redirect ends the call.
 */
export async function followWithinOrigin(
  state: CallState,
  origin: string,
  refuse: boolean,
  fetchNext: (request: Request) => Promise<Response>,
  request: Request,
  response: Response,
  spare: Request | undefined,
): Promise<Response> {
  for (let hops = 0; redirectStatuses.has(response.status); hops++) {
    void response.body?.cancel().catch(() => undefined);
    const location = response.headers.get("location");
    const target =
      location !== null && URL.canParse(location, request.url) ? new URL(location, request.url) : undefined;
    if (refuse || target?.origin !== origin || hops >= maxRedirects) {
      const why = refuse
        ? 'a redirect, refused (redirect: "error")'
        : hops >= maxRedirects
          ? `more than ${maxRedirects} redirects`
          : "a redirect to another origin, which is not followed";
      throw new NetworkError(
        state.operation,
        `answered ${response.status || "a hidden redirect"}: ${why}`,
        state.attempts,
      );
    }
    const { method } = request;
    const toGet =
      (response.status === 303 && method !== "GET" && method !== "HEAD") ||
      (response.status <= 302 && method === "POST");
    const headers = new Headers(request.headers);
    if (toGet) headers.delete("content-type");
    request = new Request(target, {
      method: toGet ? "GET" : method,
      headers,
      body: toGet || !spare ? null : await spare.clone().arrayBuffer(),
      redirect: "manual",
      signal: request.signal,
    });
    response = await fetchNext(request);
  }
  return response;
}
