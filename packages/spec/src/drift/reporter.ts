// The drift reporter: openapi-fetch middleware (`client.use(...)`) that checks a sample of the
// responses a client receives against the spec it ships, and reports each deviation. It reads a
// clone of the response, at most `maxBodyBytes` of it, and never changes a call's result; in
// "report" mode nothing it does can fail the call, in "throw" mode a deviation fails it with a
// DriftError (for tests).
import { baseOf, checkExchange, findOperation } from "./check.js";
import { DriftError } from "./error.js";
import type { DriftApi, DriftEvent, DriftOperation, ExchangeOutcome } from "./types.js";

export interface DriftReporterOptions {
  /** The share of responses checked, from 0 (none) to 1 (every one, the default). */
  sample?: number;
  /** `"report"` (default): deviations go to `onDeviation` and `evidence`. `"throw"`: also fail the call with a DriftError. */
  mode?: "report" | "throw";
  /** Called once per deviation, with an event that holds no credential, personal or body value. */
  onDeviation?: (event: DriftEvent) => void;
  /** Collects every exchange (checked or not) and its deviations, for `toJsonLines()`: see driftEvidence. */
  evidence?: { add(outcome: ExchangeOutcome): void };
  /** A body larger than this is not checked (counted as skipped). Default 1 MiB. */
  maxBodyBytes?: number;
}

/** What openapi-fetch hands a middleware's onResponse, as far as the reporter reads it. */
export interface DriftResponseParams {
  request: Request;
  response: Response;
  readonly schemaPath: string;
  readonly options?: { readonly parseAs?: string };
}

/** openapi-fetch middleware: pass it to `client.use()`, or to a call's `middleware`. */
export interface DriftReporter {
  onResponse(params: DriftResponseParams): Promise<undefined> | undefined;
}

interface Settings {
  sample: number;
  mode: "report" | "throw";
  onDeviation: ((event: DriftEvent) => void) | undefined;
  evidence: DriftReporterOptions["evidence"];
  maxBodyBytes: number;
}

const defaultMaxBodyBytes = 1024 * 1024;
/** Request headers whose values are credentials, which no event may quote. */
const credentialHeader = /^(authorization|proxy-authorization|cookie)$|key|token|secret|session|password/i;

/** A drift reporter for one API's table (each client's drift entry passes its own). */
export function createDriftReporter(api: DriftApi, options: DriftReporterOptions = {}): DriftReporter {
  const settings = checkedSettings(options);
  return {
    onResponse(params) {
      try {
        return respond(api, settings, params);
      } catch {
        // Nothing of the reporter's own may fail a call; only a DriftError, in throw mode, does.
        return undefined;
      }
    },
  };
}

/** Counts the exchange, and checks it when it is sampled: at once for the caller in throw mode. */
function respond(api: DriftApi, settings: Settings, params: DriftResponseParams): Promise<undefined> | undefined {
  const { request, response, schemaPath, options } = params;
  const operation = findOperation(api, request.method, schemaPath);
  if (!operation) return undefined;
  const { sample } = settings;
  if (sample <= 0 || (sample < 1 && Math.random() >= sample)) {
    deliver(settings, { ...baseOf(api, operation, response.status), checked: false, events: [] });
    return undefined;
  }
  const outcome = checkResponse(api, operation, { request, response, parseAs: options?.parseAs }, settings);
  if (settings.mode === "throw") return outcome.then(throwOnDeviation, () => undefined);
  return outcome.then(
    () => undefined,
    () => undefined,
  );
}

function checkedSettings(options: DriftReporterOptions): Settings {
  const { sample = 1, mode = "report", onDeviation, evidence, maxBodyBytes = defaultMaxBodyBytes } = options;
  if (typeof sample !== "number" || !(sample >= 0 && sample <= 1))
    throw new TypeError(`driftReporter: sample must be a number from 0 to 1; got ${String(sample)}`);
  if (mode !== "report" && mode !== "throw")
    throw new TypeError(`driftReporter: mode must be "report" or "throw"; got ${String(mode)}`);
  if (!Number.isSafeInteger(maxBodyBytes) || maxBodyBytes < 1)
    throw new TypeError(`driftReporter: maxBodyBytes must be a whole number, at least 1; got ${String(maxBodyBytes)}`);
  return { sample, mode, onDeviation, evidence, maxBodyBytes };
}

/** Reads a clone of the body (bounded) and checks the exchange; what it cannot check it counts as skipped. */
async function checkResponse(
  api: DriftApi,
  operation: DriftOperation,
  exchange: { request: Request; response: Response; parseAs: string | undefined },
  settings: Settings,
): Promise<ExchangeOutcome> {
  const { request, response } = exchange;
  const skip = (reason: string) =>
    deliver(settings, { ...baseOf(api, operation, response.status), checked: false, skipped: reason, events: [] });
  // A stream is the caller's to read as it comes: reading it first would change when its bytes arrive.
  if (exchange.parseAs === "stream") return skip("stream");
  const declared = Number(response.headers.get("content-length") ?? Number.NaN);
  if (declared > settings.maxBodyBytes && !response.headers.has("content-encoding")) return skip("too-large");
  const body =
    request.method === "HEAD" || response.body === null
      ? ""
      : await readText(response.clone(), settings.maxBodyBytes).catch(() => null);
  if (body === null) return skip("unreadable");
  if (body === undefined) return skip("too-large");
  const outcome = checkExchange(api, {
    method: request.method,
    path: operation.path,
    status: response.status,
    contentType: response.headers.get("content-type"),
    body,
    secrets: credentialValues(request.headers),
  })!;
  return deliver(settings, outcome);
}

/** The body as text, or undefined past `limit` bytes (the clone is then cancelled; the call's own body is untouched). */
async function readText(response: Response, limit: number): Promise<string | undefined> {
  const reader = response.body!.getReader();
  const chunks: Uint8Array[] = [];
  let size = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    size += value.byteLength;
    if (size > limit) {
      void reader.cancel().catch(() => undefined);
      return undefined;
    }
    chunks.push(value);
  }
  const bytes = new Uint8Array(size);
  let at = 0;
  for (const chunk of chunks) {
    bytes.set(chunk, at);
    at += chunk.byteLength;
  }
  return new TextDecoder().decode(bytes);
}

/**
 * The credentials a request carries, which no event may quote: the values of its credential headers
 * (authorization, cookie, any header named for a key, token, secret, session or password), and a
 * bearer token alone.
 */
export function credentialValues(headers: Iterable<[string, string]>): string[] {
  const found: string[] = [];
  for (const [name, value] of headers) {
    if (!credentialHeader.test(name)) continue;
    found.push(value);
    const token = /^\S+\s+(\S+)$/.exec(value)?.[1];
    if (token) found.push(token);
  }
  return found.filter((value) => value.length >= 3);
}

/** Hands the outcome to the evidence and each event to onDeviation; what they throw stays here. */
function deliver(settings: Settings, outcome: ExchangeOutcome): ExchangeOutcome {
  try {
    settings.evidence?.add(outcome);
  } catch {
    // The evidence is the caller's: its failure must not fail the call.
  }
  for (const event of outcome.events) {
    try {
      settings.onDeviation?.(event);
    } catch {
      // Nor may a failing logger.
    }
  }
  return outcome;
}

function throwOnDeviation(outcome: ExchangeOutcome): undefined {
  if (outcome.events.length > 0) throw new DriftError(outcome.events);
  return undefined;
}
