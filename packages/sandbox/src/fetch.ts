// The sandbox as a WHATWG fetch: the clients' `fetch` option and the MSW handlers use it, so the
// same behaviour, faults included, runs in process, in a browser or in a test without a socket.
import type { ApiName } from "@cx-openapi/spec/openapi";
import { corruptBody, exchange, waitUnless, type Corruption } from "./exchange.js";
import type { Sandbox } from "./sandbox.js";
import { bodyText, type SandboxRequest, type SandboxResponse } from "./types.js";

export async function toSandboxRequest(request: Request): Promise<SandboxRequest> {
  const url = new URL(request.url);
  const headers: Record<string, string> = {};
  request.headers.forEach((value, name) => {
    headers[name.toLowerCase()] = value;
  });
  const body = request.body === null ? undefined : await request.text();
  return { method: request.method, path: url.pathname, query: url.search.slice(1), headers, body };
}

export function toResponse(response: SandboxResponse, corrupt?: Corruption): Response {
  if (response.stream) return new Response(response.stream, { status: response.status, headers: response.headers });
  let body: string | null = bodyText(response);
  if (body === "") body = null;
  else if (corrupt) body = corruptBody(body, corrupt);
  // 204 and 304 may not carry a body, even an empty one.
  return new Response(response.status === 204 || response.status === 304 ? null : body, {
    status: response.status,
    headers: response.headers,
  });
}

/**
 * Answers a Request from the sandbox, in process; undefined when the exchange ends without an
 * answer (a reset connection, or a caller that gave up during a delay).
 */
export async function answerFromSandbox(
  sandbox: Sandbox,
  api: ApiName,
  request: Request,
): Promise<Response | undefined> {
  const incoming = await toSandboxRequest(request);
  const outcome = await exchange(sandbox, api, incoming, {
    api: () => sandbox.respond(api, incoming),
    wait: waitUnless(request.signal),
  });
  return outcome?.kind === "answer" ? toResponse(outcome.response, outcome.corrupt) : undefined;
}

/** A fetch that answers from the sandbox: `createRelayCdmClient({ baseUrl, apiKey, fetch: sandboxFetch(sandbox, "relay-cdm") })`. */
export function sandboxFetch(
  sandbox: Sandbox,
  api: ApiName,
): (input: Request | string | URL, init?: RequestInit) => Promise<Response> {
  return async (input, init) => {
    const request = input instanceof Request && init === undefined ? input : new Request(input, init);
    const response = await answerFromSandbox(sandbox, api, request);
    // What fetch does when the connection is reset or the call aborted: a TypeError.
    if (!response) throw new TypeError("fetch failed", { cause: new Error("the sandbox reset the connection") });
    return response;
  };
}
