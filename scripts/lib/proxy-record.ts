// `pnpm proxy --record <dir>`: each exchange of an operation of the spec, written as a recording
// (cx-recording/1, docs/recordings.md) to `<dir>/<operationId>/<NNNN>-<status>.json`, and when the
// proxy stops, the fault profile of the run to `<dir>/faults.json` (fault-profile.ts). What a
// recording keeps: the operation, the path parameters and query, the content types, Retry-After,
// the bodies, the duration. Every personal value is faked (recording-fakes.ts); no header but those,
// no credential, no query parameter named like one. The folder is made by the recorder (or found
// empty), its files are the user's only (0700 folders, 0600 files), and no name from the traffic
// becomes a path: an operation's folder is its operationId, checked to be a plain name.
import { lstatSync, mkdirSync, readdirSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { checkFaultRules, type ProxiedExchange } from "@cx-openapi/sandbox";
import {
  isJsonType,
  listOperations,
  matchOperation,
  type MediaType,
  type OpenApiDoc,
  type Operation,
  type Schema,
} from "@cx-openapi/spec";
import { credentialValues } from "@cx-openapi/spec/drift";
import { UsageError } from "./cli.js";
import { faultProfile, type TimedExchange } from "./fault-profile.js";
import {
  isCredentialName,
  recordingFakes,
  TooDeep,
  type ExchangeFakes,
  type RecordingFakes,
} from "./recording-fakes.js";

export const recordingFormat = "cx-recording/1";

export interface RecordedBody {
  contentType?: string;
  /** The JSON value, or the text when it is not JSON. */
  body?: unknown;
  /** Why the body was left out (too large, nested too deep). */
  bodyOmitted?: string;
}

export interface Recording {
  format: typeof recordingFormat;
  api: string;
  specVersion: string;
  operationId: string;
  method: string;
  /** The operation's path template. */
  path: string;
  request: RecordedBody & {
    pathParameters: Record<string, string>;
    query?: Record<string, string | string[]>;
  };
  response: RecordedBody & { status: number; retryAfter?: string };
  durationMs: number;
  recordedAt: string;
}

export interface RecordSummary {
  recordings: number;
  /** operationId -> recordings written. */
  byOperation: Record<string, number>;
  faultsFile: string;
  /** Exchanges not written, and why. */
  notes: string[];
}

export interface ProxyRecorder {
  record(exchange: ProxiedExchange): void;
  /** Writes the fault profile; call once, when the proxy has stopped. */
  finish(): RecordSummary;
}

/** A bigger body is left out of a recording. */
export const maxRecordedBodyBytes = 1024 * 1024;
/** Past this many recordings of one operation, its exchanges are no longer written. */
const maxPerOperation = 9999;
const plainName = /^[A-Za-z0-9_-]{1,128}$/;
const maxSecrets = 1000;

interface RecorderState {
  spec: OpenApiDoc;
  api: string;
  dir: string;
  operations: Operation[];
  fakes: RecordingFakes;
  now: () => Date;
  counts: Map<string, number>;
  timings: TimedExchange[];
  /** Every credential the run's requests carried: one may be echoed in a later exchange. */
  secrets: Set<string>;
  notes: Set<string>;
}

export function proxyRecorder(
  spec: OpenApiDoc,
  api: string,
  dir: string,
  options: { now?: () => Date; fakes?: RecordingFakes } = {},
): ProxyRecorder {
  makeRecordingDir(dir);
  const state: RecorderState = {
    spec,
    api,
    dir,
    operations: listOperations(spec),
    fakes: options.fakes ?? recordingFakes(spec),
    now: options.now ?? (() => new Date()),
    counts: new Map(),
    timings: [],
    secrets: new Set(),
    notes: new Set(),
  };
  return {
    record: (exchange) => {
      try {
        recordOne(state, exchange);
      } catch (error) {
        // The proxy ignores what onExchange throws: the summary says what was lost, without a value.
        const why = (error as NodeJS.ErrnoException).code ?? (error as Error).name;
        state.notes.add(`an exchange could not be recorded (${why})`);
      }
    },
    finish: () => finish(state),
  };
}

/** `dir`, made for the recording (its parents as needed), or found as an empty folder. */
function makeRecordingDir(dir: string): void {
  mkdirSync(dirname(dir), { recursive: true });
  try {
    mkdirSync(dir, { mode: 0o700 });
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== "EEXIST") throw error;
    const found = lstatSync(dir);
    if (!found.isDirectory() || readdirSync(dir).length > 0)
      throw new UsageError(`--record ${dir}: already exists and is not an empty folder; record into a new one`);
  }
}

function recordOne(state: RecorderState, exchange: ProxiedExchange): void {
  const matched = matchOf(state, exchange);
  if (!matched) return;
  const { operation, pathParams } = matched;
  const { operationId } = operation;
  if (!plainName.test(operationId))
    return void state.notes.add(
      `${JSON.stringify(operationId)}: not recorded (an operationId must be letters, digits, _ or -)`,
    );
  const sequence = (state.counts.get(operationId) ?? 0) + 1;
  if (sequence > maxPerOperation)
    return void state.notes.add(`${operationId}: only its first ${maxPerOperation} exchanges were recorded`);
  state.counts.set(operationId, sequence);
  const { status, durationMs, retryAfter } = exchange;
  state.timings.push({ operationId, status, durationMs, retryAfter });
  for (const secret of secretsOf(exchange)) if (state.secrets.size < maxSecrets) state.secrets.add(secret);
  const secrets = [...state.secrets];
  // Twice: the first pass learns every personal value of the exchange, so that the second replaces
  // them in any text, whichever part shows them first.
  recordingOf(state, exchange, operation, pathParams, state.fakes.forExchange(secrets));
  const recording = recordingOf(state, exchange, operation, pathParams, state.fakes.forExchange(secrets));
  const folder = join(state.dir, operationId);
  if (sequence === 1) mkdirSync(folder, { mode: 0o700 });
  const file = join(folder, `${String(sequence).padStart(4, "0")}-${status}.json`);
  writeFileSync(file, `${JSON.stringify(recording, null, 2)}\n`, { mode: 0o600, flag: "wx" });
}

function matchOf(state: RecorderState, exchange: ProxiedExchange) {
  try {
    return matchOperation(state.spec, exchange.method, exchange.path, state.operations);
  } catch {
    // A path whose percent-encoding does not decode matches no operation.
    return undefined;
  }
}

/** The request's credentials: its credential headers' values, and its credential-named query parameters'. */
function secretsOf(exchange: ProxiedExchange): string[] {
  const fromQuery = [...new URLSearchParams(exchange.search)]
    .filter(([name]) => isCredentialName(name))
    .map(([, value]) => value);
  return [...credentialValues(Object.entries(exchange.requestHeaders)), ...fromQuery].filter((v) => v.length >= 3);
}

function recordingOf(
  state: RecorderState,
  exchange: ProxiedExchange,
  operation: Operation,
  pathParams: Record<string, string>,
  fakes: ExchangeFakes,
): Recording {
  const query = queryOf(state, operation, exchange.search, fakes);
  const requestSchema = mediaSchema(operation.requestBody?.content, exchange.requestContentType);
  const declared = [String(exchange.status), `${String(exchange.status)[0]}XX`, "default"]
    .map((key) => operation.responses[key])
    .find(Boolean);
  const responseSchema = mediaSchema(declared?.content, exchange.contentType);
  const retryAfter = exchange.retryAfter ? { retryAfter: fakes.text(exchange.retryAfter) } : {};
  return {
    format: recordingFormat,
    api: state.api,
    specVersion: String((state.spec.info as { version?: unknown } | undefined)?.version ?? ""),
    operationId: operation.operationId,
    method: exchange.method.toUpperCase(),
    path: operation.path,
    request: {
      pathParameters: pathParametersOf(state, operation, pathParams, fakes),
      ...(query ? { query } : {}),
      ...bodyOf(exchange.requestContentType, exchange.requestBody, requestSchema, fakes),
    },
    response: {
      status: exchange.status,
      ...retryAfter,
      ...bodyOf(exchange.contentType, exchange.body, responseSchema, fakes),
    },
    durationMs: exchange.durationMs,
    recordedAt: state.now().toISOString(),
  };
}

function pathParametersOf(
  state: RecorderState,
  operation: Operation,
  values: Record<string, string>,
  fakes: ExchangeFakes,
): Record<string, string> {
  const kept: Record<string, string> = {};
  for (const [name, value] of Object.entries(values)) {
    const parameter = operation.parameters.find((p) => p.in === "path" && p.name === name);
    kept[name] = fakes.parameter(parameter?.schema, state.fakes.isPersonal(parameter?.schema, parameter), value);
  }
  return kept;
}

/** The query without credential-named parameters, personal values faked; a repeated name holds a list. */
function queryOf(
  state: RecorderState,
  operation: Operation,
  search: string,
  fakes: ExchangeFakes,
): Record<string, string | string[]> | undefined {
  const query: Record<string, string | string[]> = {};
  for (const [name, value] of new URLSearchParams(search)) {
    if (isCredentialName(name)) continue;
    const parameter = operation.parameters.find((p) => p.in === "query" && p.name === name);
    const personal = parameter ? state.fakes.isPersonal(parameter.schema, parameter) : state.fakes.isPersonalName(name);
    const kept = fakes.parameter(parameter?.schema, personal, value);
    const key = parameter ? name : fakes.text(name);
    const before = query[key];
    query[key] = before === undefined ? kept : [before, kept].flat();
  }
  return Object.keys(query).length ? query : undefined;
}

/** The schema of a body: the media type the Content-Type names, else the JSON one. */
function mediaSchema(content: Record<string, MediaType> | undefined, contentType: string | undefined) {
  const type = (contentType ?? "").split(";")[0]!.trim().toLowerCase();
  const entries = Object.entries(content ?? {});
  const media =
    entries.find(([name]) => name.toLowerCase() === type)?.[1] ?? entries.find(([name]) => isJsonType(name))?.[1];
  return media?.schema as Schema | undefined;
}

function bodyOf(
  contentType: string | undefined,
  text: string,
  schema: Schema | undefined,
  fakes: ExchangeFakes,
): RecordedBody {
  const kept: RecordedBody = contentType ? { contentType } : {};
  if (text === "") return kept;
  if (Buffer.byteLength(text) > maxRecordedBodyBytes)
    return { ...kept, bodyOmitted: `larger than ${maxRecordedBodyBytes} bytes` };
  const json = contentType ? isJsonType(contentType) : /^\s*[[{]/.test(text);
  let value: unknown;
  try {
    if (!json) throw new SyntaxError("not JSON");
    value = JSON.parse(text);
  } catch {
    return { ...kept, body: fakes.text(text) };
  }
  try {
    return { ...kept, body: fakes.body(schema, value) };
  } catch (error) {
    if (error instanceof TooDeep) return { ...kept, bodyOmitted: error.message };
    throw error;
  }
}

function finish(state: RecorderState): RecordSummary {
  const rules = faultProfile(state.timings);
  const checked = checkFaultRules(rules);
  if ("problems" in checked) throw new Error(`the fault profile is not valid: ${checked.problems.join("; ")}`);
  const faultsFile = join(state.dir, "faults.json");
  writeFileSync(faultsFile, `${JSON.stringify(rules, null, 2)}\n`, { mode: 0o600, flag: "wx" });
  const byOperation = Object.fromEntries([...state.counts.entries()].sort(([a], [b]) => a.localeCompare(b)));
  const recordings = [...state.counts.values()].reduce((sum, n) => sum + n, 0);
  return { recordings, byOperation, faultsFile, notes: [...state.notes] };
}
