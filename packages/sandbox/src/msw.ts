// Mock Service Worker handlers: the sandbox's behaviour in process, for frontend unit tests and
// Storybook, in Node (msw/node) or a browser (msw/browser). Every answer is checked against the spec
// by the sandbox's own validator: one that breaks it becomes a 500 problem+json. No Node built-ins.
//   import { sandboxHandlers } from "@cx-openapi/sandbox/msw";
//   const { handlers, sandbox } = sandboxHandlers({ specs, baseUrls: { "relay-cdm": "http://127.0.0.1:4010" } });
//   setupServer(...handlers).listen();
import { http, type HttpHandler } from "msw";
import { toResponse, toSandboxRequest } from "./fetch.js";
import { apiNames, type ApiName, type OpenApiDoc } from "@cx-openapi/spec/openapi";
import { createSandbox, type Sandbox } from "./sandbox.js";

export interface SandboxHandlersOptions {
  /** The bundled spec of each API (the client packages ship them: `@cx-openapi/relay-cdm/openapi.json`). */
  specs: Record<ApiName, OpenApiDoc>;
  /** The base URL each API is called on; an API left out gets no handler. */
  baseUrls: Partial<Record<ApiName, string>>;
  /** Fixtures to start from, as for `cx-sandbox --seed`. */
  seed?: unknown;
}

export function sandboxHandlers({ specs, baseUrls, seed }: SandboxHandlersOptions): {
  handlers: HttpHandler[];
  sandbox: Sandbox;
} {
  const sandbox = createSandbox({ specs, seed, checkResponses: true });
  const handlers = apiNames.flatMap((api) => {
    const base = baseUrls[api];
    if (base === undefined) return [];
    return [
      http.all(`${base.replace(/\/+$/, "")}/*`, async ({ request }) =>
        toResponse(sandbox.handle(api, await toSandboxRequest(request))),
      ),
    ];
  });
  return { handlers, sandbox };
}
