// A recording folder (`pnpm proxy --record <dir>`, cx-recording/1, docs/recordings.md) read as
// data: at most `files` files, `folderDepth` folders down, `fileBytes` bytes and `jsonDepth` levels
// each, decoded strictly, every field checked. No symbolic link is followed (one inside the folder
// is reported, never read), so nothing outside the folder is read. A file that is not a recording
// is reported with its reason, never dropped silently.
import { closeSync, constants, fstatSync, openSync, readdirSync, readSync, realpathSync } from "node:fs";
import { join, relative } from "node:path";
import { apiNames, type ApiName } from "@cx-openapi/spec";
import { UsageError } from "./cli.js";

export const recordingFormat = "cx-recording/1";

export const recordingLimits = {
  /** Files under the folder (recordings, the fault profile and anything else). */
  files: 10_000,
  /** Folders below the one given: `<dir>/<operationId>/`, or `<dir>/<api>/<operationId>/`. */
  folderDepth: 3,
  fileBytes: 4 * 1024 * 1024,
  jsonDepth: 64,
};

/** One recorded exchange (docs/recordings.md). */
export interface Recording {
  format: typeof recordingFormat;
  api: ApiName;
  specVersion: string;
  operationId: string;
  method: string;
  path: string;
  request: {
    pathParameters: Record<string, string>;
    query?: Record<string, string | string[]>;
    contentType?: string;
    body?: unknown;
    /** Why the body was left out (too large, nested too deep). */
    bodyOmitted?: string;
  };
  response: { status: number; contentType?: string; retryAfter?: string; body?: unknown; bodyOmitted?: string };
  durationMs: number;
  recordedAt: string;
}

/** A file of the folder, by its path relative to the folder (`getCustomer/0001-200.json`). */
export interface Read {
  file: string;
  recording: Recording;
}

export interface Skipped {
  file: string;
  reason: string;
}

/** A recording field that breaks the format: `field` is its JSON path (`response.status`). */
export class RecordingError extends Error {
  constructor(
    readonly field: string,
    message: string,
  ) {
    super(`${field} ${message}`);
  }
}

/** The recordings under `dir`, and every other file with why it was not read as one. */
export function readRecordings(dir: string): { read: Read[]; skipped: Skipped[] } {
  let root: string;
  try {
    root = realpathSync(dir);
  } catch (error) {
    throw new UsageError(`${dir}: cannot be read (${(error as NodeJS.ErrnoException).code ?? "error"})`);
  }
  const read: Read[] = [];
  const skipped: Skipped[] = [];
  for (const file of filesUnder(root, skipped)) {
    const name = relative(root, file);
    if (name === "faults.json" || name.endsWith("/faults.json")) {
      skipped.push({ file: name, reason: "the fault profile, not a recording (cx-sandbox --faults <api>=<file>)" });
      continue;
    }
    try {
      read.push({ file: name, recording: parseRecording(readJson(file)) });
    } catch (error) {
      if (!(error instanceof RecordingError || error instanceof FileError)) throw error;
      skipped.push({ file: name, reason: error.message });
    }
  }
  return { read, skipped: skipped.sort((a, b) => (a.file < b.file ? -1 : 1)) };
}

/** The `.json` files under `root`, in name order; links, other files and deeper folders are skipped. */
function filesUnder(root: string, skipped: Skipped[]): string[] {
  const files: string[] = [];
  const visit = (folder: string, depth: number) => {
    const entries = readdirSync(folder, { withFileTypes: true }).sort((a, b) => (a.name < b.name ? -1 : 1));
    for (const entry of entries) {
      const path = join(folder, entry.name);
      const name = relative(root, path);
      if (files.length + skipped.length >= recordingLimits.files)
        throw new UsageError(`${root}: more than ${recordingLimits.files} files; point at a smaller folder`);
      if (entry.isSymbolicLink()) skipped.push({ file: name, reason: "a symbolic link: not followed" });
      else if (entry.isDirectory() && depth < recordingLimits.folderDepth) visit(path, depth + 1);
      else if (entry.isDirectory())
        skipped.push({ file: name, reason: `a folder deeper than ${recordingLimits.folderDepth} levels: not read` });
      else if (!entry.isFile() || !entry.name.endsWith(".json"))
        skipped.push({ file: name, reason: "not a .json file" });
      else files.push(path);
    }
  };
  visit(root, 0);
  return files;
}

class FileError extends Error {}

/** A file's JSON: a regular file (opened without following a link), bounded, strict UTF-8 and JSON. */
function readJson(file: string): unknown {
  let fd: number;
  try {
    fd = openSync(file, constants.O_RDONLY | (constants.O_NOFOLLOW ?? 0));
  } catch (error) {
    throw new FileError(`cannot be read (${(error as NodeJS.ErrnoException).code ?? "error"})`);
  }
  const chunks: Buffer[] = [];
  try {
    if (!fstatSync(fd).isFile()) throw new FileError("not a regular file");
    // Read to the end, so a file that grows meanwhile is held to the limit too.
    for (let size = 0; ; ) {
      const chunk = Buffer.allocUnsafe(64 * 1024);
      const n = readSync(fd, chunk, 0, chunk.length, null);
      if (n === 0) break;
      size += n;
      if (size > recordingLimits.fileBytes)
        throw new FileError(`larger than the limit of ${recordingLimits.fileBytes} bytes`);
      chunks.push(chunk.subarray(0, n));
    }
  } finally {
    closeSync(fd);
  }
  const bytes = Buffer.concat(chunks);
  let value: unknown;
  try {
    value = JSON.parse(new TextDecoder("utf-8", { fatal: true }).decode(bytes));
  } catch {
    throw new FileError("not UTF-8 JSON");
  }
  if (deeperThan(value, recordingLimits.jsonDepth))
    throw new FileError(`nests deeper than the limit of ${recordingLimits.jsonDepth} levels`);
  return value;
}

/** Whether a parsed value nests arrays and objects deeper than `max` (walked without recursion). */
function deeperThan(value: unknown, max: number): boolean {
  const stack: [unknown, number][] = [[value, 0]];
  while (stack.length) {
    const [node, depth] = stack.pop()!;
    if (typeof node !== "object" || node === null) continue;
    if (depth + 1 > max) return true;
    for (const child of Object.values(node)) stack.push([child, depth + 1]);
  }
  return false;
}

const isRecord = (value: unknown): value is Record<string, unknown> =>
  typeof value === "object" && value !== null && !Array.isArray(value);

/** A parsed file as a recording, every field checked; throws a RecordingError naming the first bad one. */
export function parseRecording(value: unknown): Recording {
  if (!isRecord(value)) throw new RecordingError("(root)", "must be an object");
  if (value.format !== recordingFormat) throw new RecordingError("format", `must be "${recordingFormat}"`);
  if (!(apiNames as readonly unknown[]).includes(value.api))
    throw new RecordingError("api", `must be one of: ${apiNames.join(", ")}`);
  for (const field of ["specVersion", "operationId", "method", "path", "recordedAt"]) text(value[field], field);
  if (typeof value.durationMs !== "number" || !(value.durationMs >= 0))
    // also refuses NaN
    throw new RecordingError("durationMs", "must be a number of at least 0");
  return {
    ...(value as unknown as Recording),
    request: requestOf(value.request),
    response: responseOf(value.response),
  };
}

function text(value: unknown, field: string, optional = false): void {
  if (optional && value === undefined) return;
  if (typeof value !== "string" || value === "") throw new RecordingError(field, "must be a non-empty string");
}

function requestOf(value: unknown): Recording["request"] {
  if (!isRecord(value)) throw new RecordingError("request", "must be an object");
  const { pathParameters, query, contentType } = value;
  if (!isRecord(pathParameters) || Object.values(pathParameters).some((v) => typeof v !== "string"))
    throw new RecordingError("request.pathParameters", "must be an object of strings");
  if (
    query !== undefined &&
    (!isRecord(query) ||
      Object.values(query).some(
        (v) => typeof v !== "string" && !(Array.isArray(v) && v.every((item) => typeof item === "string")),
      ))
  )
    throw new RecordingError("request.query", "must be an object of strings or lists of strings");
  text(contentType, "request.contentType", true);
  text(value.bodyOmitted, "request.bodyOmitted", true);
  return value as Recording["request"];
}

function responseOf(value: unknown): Recording["response"] {
  if (!isRecord(value)) throw new RecordingError("response", "must be an object");
  const { status, contentType, retryAfter } = value;
  if (typeof status !== "number" || !Number.isInteger(status) || status < 100 || status > 599)
    throw new RecordingError("response.status", "must be a whole number from 100 to 599");
  text(contentType, "response.contentType", true);
  text(retryAfter, "response.retryAfter", true);
  text(value.bodyOmitted, "response.bodyOmitted", true);
  return value as Recording["response"];
}
