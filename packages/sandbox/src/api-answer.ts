// The API's answer to a request that got past the front and its faults: through Prism's validating
// proxy (the contract gate), or in process with the sandbox's own validator. A request the sandbox
// finds invalid, and the token endpoint (not in the spec), are answered in process.
import type { ApiName } from "@cx-openapi/spec";
import type { Agent } from "node:http";
import { problem } from "./engine.js";
import { judge, type SupervisedPrism } from "./gate.js";
import { endToEnd, forward, isConnectionLost, type Answer } from "./http.js";
import type { Limits } from "./limits.js";
import type { Sandbox } from "./sandbox.js";
import { tokenPath } from "./token-route.js";
import type { SandboxRequest, SandboxResponse } from "./types.js";

export interface ApiAnswerContext {
  api: ApiName;
  sandbox: Sandbox;
  /** Prism, with the prism gate; undefined with the in-process gate. */
  prism: SupervisedPrism | undefined;
  agent: Agent;
  limits: Limits;
}

/** How long the front waits for Prism's whole answer. */
const gateTimeoutMs = 30_000;

export async function apiAnswer(ctx: ApiAnswerContext, request: SandboxRequest): Promise<SandboxResponse> {
  if (ctx.api === "hiirelevate" && request.path === tokenPath) return ctx.sandbox.respond(ctx.api, request, ctx.limits);
  const refused = ctx.sandbox.engines[ctx.api].inspect(request, ctx.limits).violations;
  if (ctx.prism === undefined || refused.length) return checked(ctx, request, refused);
  return throughPrism(ctx, request);
}

/**
 * The sandbox's answer, checked against the spec by its own validator. `refused` lists what the
 * sandbox's validator found wrong with the request: a success answer to it breaks the contract.
 */
function checked(ctx: ApiAnswerContext, request: SandboxRequest, refused: string[]): SandboxResponse {
  const engine = ctx.sandbox.engines[ctx.api];
  const response = ctx.sandbox.respond(ctx.api, request, ctx.limits);
  if (refused.length && response.status < 400)
    return problem(500, "The sandbox accepted a request the spec forbids", refused);
  if (refused.length) response.headers["sl-violations"] = violationsHeader(refused);
  const route = engine.route(request);
  if (!route) return response;
  const verdict = engine.validator.validateResponse({
    operationId: route,
    status: response.status,
    contentType: response.headers["content-type"],
    body: response.body,
  });
  return verdict.valid ? response : problem(500, "The sandbox's response breaks the spec", verdict.errors);
}

async function throughPrism(ctx: ApiAnswerContext, request: SandboxRequest): Promise<SandboxResponse> {
  const gate = ctx.prism?.current();
  if (!gate) return restarting(ctx);
  const target = request.query ? `${request.path}?${request.query}` : request.path;
  let answer: Answer;
  try {
    answer = await forward(
      gate,
      { method: request.method, target, headers: endToEnd(request.headers), body: request.body },
      { agent: ctx.agent, timeoutMs: gateTimeoutMs, maxAnswerBytes: 16 * ctx.limits.bodyBytes },
    );
  } catch (error) {
    // Prism exited between the check above and this call: the supervisor is restarting it.
    if (isConnectionLost(error)) return restarting(ctx);
    throw error;
  }
  const verdict = judge(answer);
  if (verdict) return problem(500, verdict.title, verdict.violations);
  return answerOf(answer);
}

/** Prism's answer as the sandbox's: its CORS headers dropped (the front sets its own), its body parsed. */
function answerOf(answer: Answer): SandboxResponse {
  const headers: Record<string, string> = {};
  for (const [name, value] of Object.entries(endToEnd(answer.headers)))
    if (!name.startsWith("access-control-") && name !== "vary") headers[name] = value;
  if (answer.text === "") return { status: answer.status, headers };
  try {
    return { status: answer.status, headers, body: JSON.parse(answer.text) };
  } catch {
    return problem(500, "The sandbox answered a body that is not JSON", []);
  }
}

/**
 * What the sandbox's validator found wrong with a request, in `sl-violations` as Prism writes it
 * for the requests it sees; escaped to ASCII, since a header value takes nothing else.
 */
function violationsHeader(messages: string[]): string {
  const list = messages.map((message) => ({ location: ["request"], severity: "Error", message }));
  return JSON.stringify(list).replace(/[^\x20-\x7e]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, "0")}`);
}

function restarting(ctx: ApiAnswerContext): SandboxResponse {
  const answer = ctx.sandbox.engines[ctx.api].error(503, "the contract gate (Prism) is restarting; try again shortly");
  answer.headers["retry-after"] = "1";
  return answer;
}
