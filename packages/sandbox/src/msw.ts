// Mock Service Worker handlers: the sandbox's behaviour in process, for frontend unit tests and
// Storybook, in Node (msw/node) or a browser (msw/browser). The same fault headers and rules as the
// HTTP sandbox apply (a reset connection is a network error), and every answer is checked against
// the spec by the sandbox's own validator: one that breaks it becomes a 500 problem+json. No Node
// built-ins.
//   import { sandboxHandlers } from "@cx-openapi/sandbox/msw";
//   const { handlers, sandbox } = sandboxHandlers({ specs, baseUrls: { "relay-cdm": "http://127.0.0.1:4010" } });
//   setupServer(...handlers).listen();
import { apiNames, type ApiName, type OpenApiDoc } from "@cx-openapi/spec/openapi";
import { HttpResponse, http, type HttpHandler } from "msw";
import type { ClockChange } from "./clock.js";
import { checkFaultProfiles, type FaultProfile } from "./faults.js";
import { answerFromSandbox } from "./fetch.js";
import { createSandbox, type Sandbox } from "./sandbox.js";

export { sandboxFetch } from "./fetch.js";
export type { FaultRule, FaultProfile, Delay, FaultEffect } from "./faults.js";
export type { ClockChange } from "./clock.js";

export interface SandboxHandlersOptions {
  /** The bundled spec of each API (the client packages ship them: `@cx-openapi/relay-cdm/openapi.json`). */
  specs: Record<ApiName, OpenApiDoc>;
  /** The base URL each API is called on; an API left out gets no handler. */
  baseUrls: Partial<Record<ApiName, string>>;
  /** Fixtures to start from, as for `cx-sandbox --seed` (in place of the example data, the default). */
  seed?: unknown;
  /** Start blank, without the example data, as `cx-sandbox --empty`; not with `seed`. */
  empty?: boolean;
  /**
   * The fault rules each API starts with, as `PUT /__sandbox/faults` and `cx-sandbox --faults` take
   * them: a recorded fault profile as it is (`{ "relay-cdm": profile }` after `import profile from
   * "./faults.json"`), checked by the same rules, with the same messages.
   */
  faults?: Partial<Record<ApiName, FaultProfile>>;
  /** Fixes the draws of the rules' probabilities and delay ranges. */
  faultSeed?: number;
  /** Where the sandbox's clock starts: `{ now: "2027-01-01T00:00:00Z", frozen: true }`. */
  clock?: ClockChange;
}

export function sandboxHandlers(options: SandboxHandlersOptions): { handlers: HttpHandler[]; sandbox: Sandbox } {
  const { specs, seed, empty, faultSeed } = options;
  const faults = checkFaultProfiles(options.faults ?? {}, "sandboxHandlers: faults");
  const sandbox = createSandbox({ specs, seed, empty, checkResponses: true, faults, faultSeed });
  if (options.clock) sandbox.worlds.main.clock.change(options.clock);
  const handlers = apiNames.flatMap((api) => {
    const base = options.baseUrls[api];
    if (base === undefined) return [];
    return [
      http.all(
        `${base.replace(/\/+$/, "")}/*`,
        async ({ request }) => (await answerFromSandbox(sandbox, api, request)) ?? HttpResponse.error(),
      ),
    ];
  });
  return { handlers, sandbox };
}
