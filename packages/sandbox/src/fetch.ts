// The sandbox as a WHATWG fetch: the clients' `fetch` option and the MSW handlers use it, so the
// same behaviour runs in process, in a browser or in a test without a socket.
import type { ApiName, Sandbox } from "./sandbox.js";
import type { SandboxRequest, SandboxResponse } from "./types.js";

export async function toSandboxRequest(request: Request): Promise<SandboxRequest> {
  const url = new URL(request.url);
  const headers: Record<string, string> = {};
  request.headers.forEach((value, name) => {
    headers[name.toLowerCase()] = value;
  });
  const body = request.body === null ? undefined : await request.text();
  return { method: request.method, path: url.pathname, headers, body };
}

export function toResponse(response: SandboxResponse): Response {
  const body = response.body === undefined ? null : JSON.stringify(response.body);
  // 204 and 304 may not carry a body, even an empty one.
  return new Response(response.status === 204 || response.status === 304 ? null : body, {
    status: response.status,
    headers: response.headers,
  });
}

/** A fetch that answers from the sandbox: `createRelayCdmClient({ baseUrl, apiKey, fetch: sandboxFetch(sandbox, "relay-cdm") })`. */
export function sandboxFetch(
  sandbox: Sandbox,
  api: ApiName,
): (input: Request | string | URL, init?: RequestInit) => Promise<Response> {
  return async (input, init) => {
    const request = input instanceof Request && init === undefined ? input : new Request(input, init);
    return toResponse(sandbox.handle(api, await toSandboxRequest(request)));
  };
}
