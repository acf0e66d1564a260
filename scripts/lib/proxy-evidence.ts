// `pnpm proxy --evidence <file>`: the deviation proxy's exchanges as drift evidence (cx-drift/1), the
// format the clients' drift reporters write. Each response is checked as the clients check it (the
// same drift table, compiled here); each request violation Prism reports becomes a deviation of the
// request side, its pointer starting at `/body`, `/query`, `/path` or `/header`. Nothing of a body,
// a header or a path value is kept; an exchange of no operation of the spec is not counted.
import { writeFileSync } from "node:fs";
import { compileDriftApi, listOperations, matchOperation, type OpenApiDoc, type Operation } from "@cx-openapi/spec";
import {
  baseOf,
  checkExchange,
  credentialValues,
  driftEvidence,
  findOperation,
  type DriftApi,
  type DriftEvent,
  type DriftEvidence,
  type DriftEvidenceOptions,
  type ExchangeOutcome,
} from "@cx-openapi/spec/drift";

/** One exchange through the proxy, as its `onExchange` option hands it over. */
export interface ObservedExchange {
  method: string;
  /** The request's path as sent (it may hold personal values: only its operation is kept). */
  path: string;
  status: number;
  contentType: string | undefined;
  body: string;
  requestHeaders?: Record<string, string>;
  violations: readonly { location?: readonly (string | number)[]; code?: string | number; message?: string }[];
}

export interface ProxyEvidence {
  record(exchange: ObservedExchange): void;
  /** Writes the evidence so far, as JSON lines. */
  write(file: string): void;
  evidence: DriftEvidence;
}

/** A body larger than this is not checked, as in the clients' drift reporters. */
const maxBodyBytes = 1024 * 1024;
const requestParts = new Set(["body", "query", "path", "header", "cookie"]);

export function proxyEvidence(spec: OpenApiDoc, apiName: string, options?: DriftEvidenceOptions): ProxyEvidence {
  const api = compileDriftApi(spec, apiName);
  const operations = listOperations(spec);
  const evidence = driftEvidence(options);
  return {
    record(exchange) {
      const operation = operationOf(spec, exchange, operations);
      const drift = operation && findOperation(api, operation.method, operation.path);
      if (!drift) return;
      const outcome: ExchangeOutcome =
        Buffer.byteLength(exchange.body) > maxBodyBytes
          ? { ...baseOf(api, drift, exchange.status), checked: false, skipped: "too-large", events: [] }
          : checkExchange(api, {
              method: drift.method,
              path: drift.path,
              status: exchange.status,
              contentType: exchange.contentType,
              body: exchange.body,
              secrets: credentialValues(Object.entries(exchange.requestHeaders ?? {})),
            })!;
      outcome.request = requestEvents(api, outcome, exchange.violations);
      evidence.add(outcome);
    },
    write: (file) => writeFileSync(file, evidence.toJsonLines()),
    evidence,
  };
}

function operationOf(spec: OpenApiDoc, exchange: ObservedExchange, operations: Operation[]): Operation | undefined {
  try {
    return matchOperation(spec, exchange.method, exchange.path, operations)?.operation;
  } catch {
    // A path whose percent-encoding does not decode matches no operation.
    return undefined;
  }
}

/** Prism's request violations as events: the rule, and a pointer that names only what the spec declares. */
function requestEvents(
  api: DriftApi,
  outcome: ExchangeOutcome,
  violations: ObservedExchange["violations"],
): DriftEvent[] {
  const names = new Set(api.names);
  const pii = new Set(api.piiProperties);
  const events = new Map<string, DriftEvent>();
  for (const violation of violations) {
    const [side, part, ...rest] = (violation.location ?? []).map(String);
    if (side !== "request") continue;
    const rule =
      typeof violation.code === "string" && /^[A-Za-z$][A-Za-z0-9$-]*$/.test(violation.code)
        ? violation.code
        : "request";
    const tokens = [
      ...(part === undefined ? [] : [requestParts.has(part) ? part : "{key}"]),
      ...rest.map((token) =>
        /^\d+$/.test(token) ? "*" : names.has(token) ? token.replace(/~/g, "~0").replace(/\//g, "~1") : "{key}",
      ),
    ];
    const pointer = tokens.map((token) => `/${token}`).join("");
    const event: DriftEvent = {
      api: outcome.api,
      specVersion: outcome.specVersion,
      operation: outcome.operation,
      status: outcome.status,
      rule,
      pointer,
      observed: {},
      piiField: rest.some((token) => pii.has(token)),
    };
    events.set(`${rule} ${pointer}`, event);
  }
  return [...events.values()];
}
