// The HiiRelevate sandbox's OAuth2 token endpoint, beside the API's operations: not in the spec
// (Hii Retail serves it from its auth service), so no gate checks it, but faults apply to it.
import { saveFailure } from "./control-routes.js";
import { issueToken } from "./hiirelevate.js";
import type { Store } from "./store.js";
import type { SandboxRequest, SandboxResponse } from "./types.js";

/** Where the HiiRelevate sandbox serves its OAuth2 token endpoint (Hii Retail's path on auth.retailsvc.com). */
export const tokenPath = "/oauth2/token";

/** A token counts once it is saved (else a 500 `server_error`, and no token). */
export function tokenRoute(store: Store, request: SandboxRequest): SandboxResponse {
  const response = issueToken(store.state, request);
  if (response.status !== 200) return response;
  const failure = saveFailure(() => store.commit());
  if (failure === undefined) return response;
  return {
    status: 500,
    headers: { "content-type": "application/json", "cache-control": "no-store" },
    body: { error: "server_error", error_description: failure },
  };
}
