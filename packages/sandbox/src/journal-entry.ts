// One exchange as the request journal keeps it: when, what (method, path template, operationId),
// how it ended (status, latency, the fault applied), in which namespace, what the gate found, and
// the request and answer redacted (redact.ts). Transport-free.
import { listOperations, matchOperation, type OpenApiDoc, type Operation } from "@cx-openapi/spec/openapi";
import type { FaultPlan } from "./faults.js";
import {
  keptHeaders,
  keptQuery,
  keptRequestBody,
  keptResponseBody,
  masked,
  redaction,
  type KeptBody,
  type Redaction,
} from "./redact.js";
import { bodyText, type SandboxRequest, type SandboxResponse } from "./types.js";
import { parseViolations } from "./violations.js";
import { namespaceHeader } from "./worlds.js";

export interface JournalFault {
  /** `headers`, or `rule 2` (its place in the list). */
  source: string;
  delayMs?: number;
  status?: number;
  retryAfter?: number;
  effect?: string;
}

export interface JournalViolation {
  side: "request" | "response";
  message: string;
}

export interface JournalEntry {
  /** 1, 2, 3... in the order of the exchanges. */
  id: number;
  /** When the exchange started (ISO 8601). */
  time: string;
  /** The `x-sandbox-namespace` of the request; "" for the default one. */
  namespace: string;
  method: string;
  /** The operation's path template; the path as sent when it matches no operation. */
  path: string;
  operationId: string | null;
  /** The path as sent, personal path parameters masked, and the redacted query. */
  url: string;
  /** null when no answer was sent: a reset connection, or a caller that gave up during a delay. */
  status: number | null;
  latencyMs: number;
  fault: JournalFault | null;
  violations: JournalViolation[];
  request: { headers: Record<string, string>; query: [string, string][]; body: KeptBody };
  response: { headers: Record<string, string>; body: KeptBody } | null;
}

/** How an exchange ended, as the journal reads it (exchange.ts's `Exchanged`). */
type Outcome =
  | { kind: "answer"; response: SandboxResponse; fault?: FaultPlan | undefined }
  | { kind: "reset"; fault: FaultPlan };

/** What the exchange hands the journal. */
export interface Recorded {
  request: SandboxRequest;
  /** undefined when the caller gave up during a delay. */
  outcome: Outcome | undefined;
  startedAt: number;
  latencyMs: number;
  /** What the sandbox's own validator found wrong with the request, when the API was asked. */
  requestViolations(): string[];
}

const operationsCache = new WeakMap<OpenApiDoc, Operation[]>();

function operationsOf(spec: OpenApiDoc): Operation[] {
  const known = operationsCache.get(spec) ?? listOperations(spec);
  operationsCache.set(spec, known);
  return known;
}

/** The entry of one exchange, redacted, without its number (the journal numbers it). */
export function journalEntry(spec: OpenApiDoc, maskPii: boolean, recorded: Recorded): Omit<JournalEntry, "id"> {
  const { request, outcome } = recorded;
  const redact = redaction(spec, maskPii);
  const where = located(spec, request, redact);
  const headers = keptHeaders(redact, request.headers);
  const query = keptQuery(redact, request.query);
  const body = keptRequestBody(redact, request.body, request.headers["content-type"]);
  const response = outcome?.kind === "answer" ? outcome.response : undefined;
  const search = query.length ? `?${new URLSearchParams(query).toString()}` : "";
  return {
    time: new Date(recorded.startedAt).toISOString(),
    namespace: request.headers[namespaceHeader]?.trim() ?? "",
    method: request.method.toUpperCase(),
    path: where.operationId === null ? redact.text(where.path) : where.path,
    operationId: where.operationId,
    url: redact.text(`${where.url}${search}`),
    status: response?.status ?? null,
    latencyMs: Math.round(recorded.latencyMs * 100) / 100,
    fault: outcome && "fault" in outcome && outcome.fault ? faultOf(outcome.fault) : null,
    violations: response ? violationsOf(response, recorded, redact) : [],
    request: { headers, query, body },
    response: response
      ? {
          headers: keptHeaders(redact, response.headers),
          body: keptResponseBody(redact, response.body, bodyText(response)),
        }
      : null,
  };
}

/** The operation a request went to, and its path with the personal path parameters masked. */
function located(
  spec: OpenApiDoc,
  request: SandboxRequest,
  redact: Redaction,
): { path: string; operationId: string | null; url: string } {
  let match: ReturnType<typeof matchOperation>;
  try {
    match = matchOperation(spec, request.method, request.path, operationsOf(spec));
  } catch {
    match = undefined;
  }
  if (!match) return { path: request.path, operationId: null, url: request.path };
  const segments = request.path.split("/");
  const url = match.operation.path
    .split("/")
    .map((part, i) => {
      const name = /^\{(.+)\}$/.exec(part)?.[1];
      if (name === undefined || !redact.maskPii || !redact.piiPathParameters.has(name)) return segments[i] ?? "";
      redact.seen.add(match.pathParams[name] ?? "");
      redact.seen.add(segments[i] ?? "");
      return masked;
    })
    .join("/");
  return { path: match.operation.path, operationId: match.operation.operationId, url };
}

function faultOf(plan: FaultPlan): JournalFault {
  const fault: JournalFault = { source: plan.source };
  if (plan.delayMs) fault.delayMs = plan.delayMs;
  if (plan.status !== undefined) fault.status = plan.status;
  if (plan.retryAfter !== undefined) fault.retryAfter = plan.retryAfter;
  if (plan.effect !== undefined) fault.effect = plan.effect;
  return fault;
}

const contractProblem = "https://cx-openapi.dev/problems/sandbox-contract";
const problemSides: Record<string, JournalViolation["side"]> = {
  "The sandbox's response breaks the spec": "response",
  "The sandbox answered a body that is not JSON": "response",
  "The sandbox accepted a request the spec forbids": "request",
};

/**
 * What the gate found: Prism's `sl-violations` (or the sandbox's, in the same format), the
 * violations of a 500 the gate answered instead, else what the sandbox's validator found.
 */
function violationsOf(response: SandboxResponse, recorded: Recorded, redact: Redaction): JournalViolation[] {
  const found: JournalViolation[] = [];
  const header = response.headers["sl-violations"];
  for (const v of parseViolations(header)) {
    const [side, ...at] = v.location ?? [];
    const message = v.message ?? String(v.code ?? "violation");
    found.push({
      side: side === "response" ? "response" : "request",
      message: at.length ? `${at.join(".")}: ${message}` : message,
    });
  }
  const body = response.body as { type?: unknown; title?: unknown; validation?: unknown } | undefined;
  const side = body?.type === contractProblem ? problemSides[String(body.title)] : undefined;
  if (side && Array.isArray(body?.validation))
    for (const message of body.validation) found.push({ side, message: String(message) });
  if (header === undefined && !side)
    for (const message of recorded.requestViolations()) found.push({ side: "request", message });
  return found.map((v) => ({ side: v.side, message: redact.text(v.message) }));
}
