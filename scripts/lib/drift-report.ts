// `pnpm drift:report`: drift evidence files (cx-drift/1, docs/drift-evidence.md) read as data, added
// up per operation and per way of breaking the spec, with the share of checked exchanges each
// deviation touched and since when it is seen. A file is bounded (size, line length), decoded
// strictly as UTF-8, and every record checked field by field; a refusal is a UsageError (exit
// code 2) naming the file, the line and the field. No network, nothing written.
import { closeSync, fstatSync, openSync, readSync } from "node:fs";
import {
  EvidenceFormatError,
  evidenceFormat,
  mergeEvidence,
  parseEvidenceRecord,
  type DeviationRecord,
  type EvidenceRecord,
  type ObservedShape,
  type TotalsRecord,
} from "@cx-openapi/spec/drift";
import { UsageError } from "./cli.js";

const MB = 1024 * 1024;

export const evidenceLimits = {
  /** Bytes of one evidence file. */
  fileBytes: 50 * MB,
  /** Bytes of one line (one record). */
  lineBytes: 64 * 1024,
};

/** A file's bytes, refused past the limit; the file is read to its end, so one that grows is held to it too. */
function readBounded(file: string): Buffer {
  let fd: number;
  try {
    fd = openSync(file, "r");
  } catch (error) {
    throw new UsageError(`${file}: cannot be read (${(error as NodeJS.ErrnoException).code ?? "error"})`);
  }
  try {
    if (!fstatSync(fd).isFile()) throw new UsageError(`${file}: not a regular file`);
    const tooLarge = () => new UsageError(`${file}: larger than ${evidenceLimits.fileBytes / MB} MB`);
    if (fstatSync(fd).size > evidenceLimits.fileBytes) throw tooLarge();
    const chunks: Buffer[] = [];
    let size = 0;
    for (;;) {
      const chunk = Buffer.allocUnsafe(MB);
      const read = readSync(fd, chunk, 0, chunk.length, null);
      if (read === 0) break;
      size += read;
      if (size > evidenceLimits.fileBytes) throw tooLarge();
      chunks.push(chunk.subarray(0, read));
    }
    return Buffer.concat(chunks, size);
  } finally {
    closeSync(fd);
  }
}

/** The records of one evidence file, each checked; blank lines are skipped. */
export function readEvidenceFile(file: string): EvidenceRecord[] {
  let text: string;
  try {
    text = new TextDecoder("utf-8", { fatal: true }).decode(readBounded(file));
  } catch (error) {
    if (error instanceof UsageError) throw error;
    throw new UsageError(`${file}: not UTF-8 text`);
  }
  const records: EvidenceRecord[] = [];
  text.split("\n").forEach((raw, index) => {
    const where = `${file}:${index + 1}`;
    const line = raw.endsWith("\r") ? raw.slice(0, -1) : raw;
    if (Buffer.byteLength(line) > evidenceLimits.lineBytes)
      throw new UsageError(`${where}: a line longer than ${evidenceLimits.lineBytes} bytes`);
    if (line.trim() === "") return;
    let value: unknown;
    try {
      value = JSON.parse(line);
    } catch {
      throw new UsageError(`${where}: not a JSON record`);
    }
    try {
      records.push(parseEvidenceRecord(value));
    } catch (error) {
      if (error instanceof EvidenceFormatError) throw new UsageError(`${where}: ${error.field}: ${error.message}`);
      throw error;
    }
  });
  return records;
}

/** An operation's counts of one UTC day. */
export interface DayTotals {
  exchanges: number;
  checked: number;
  deviating: number;
}

/** An operation's exchanges, all files added up. */
export interface OperationRow extends Omit<TotalsRecord, "format" | "kind" | "firstSeen"> {
  /** Deviating ÷ checked, or null when none was checked. */
  share: number | null;
  since: string;
  /** Its counts per UTC day (`YYYY-MM-DD`, in order), each record counted on the day of its lastSeen. */
  perDay: Record<string, DayTotals>;
}

/** One way of breaking the spec, all files added up, against its operation's checked exchanges. */
export interface DeviationRow extends Omit<DeviationRecord, "format" | "kind" | "firstSeen"> {
  checked: number;
  share: number | null;
  since: string;
  /** Its count per UTC day (`YYYY-MM-DD`, in order), each record counted on the day of its lastSeen. */
  perDay: Record<string, number>;
}

export interface DriftReport {
  format: typeof evidenceFormat;
  operations: OperationRow[];
  deviations: DeviationRow[];
}

const operationKey = (r: { api: string; specVersion: string; operationId: string; method: string; path: string }) =>
  JSON.stringify([r.api, r.specVersion, r.operationId, r.method, r.path]);

/** The key deviation records add up under (as mergeEvidence adds them). */
const deviationKey = (
  r: Pick<DeviationRecord, "status" | "side" | "rule" | "pointer" | "observed" | "piiField"> &
    Parameters<typeof operationKey>[0],
) =>
  JSON.stringify([
    operationKey(r),
    r.status,
    r.side,
    r.rule,
    r.pointer,
    r.observed.type,
    r.observed.format,
    r.observed.value,
    r.piiField,
  ]);

/** The UTC day of an ISO 8601 time (records' times are UTC, `Z`). */
export const dayOf = (time: string) => time.slice(0, 10);

interface Series {
  operations: Map<string, Record<string, DayTotals>>;
  deviations: Map<string, Record<string, number>>;
}

/**
 * Each operation's and each deviation's counts per UTC day, read off the records before they are
 * added up: a record counts on the day of its lastSeen (evidence files are usually one per instance
 * and day, so that is the day its exchanges were seen).
 */
export function driftSeries(records: EvidenceRecord[]): Series {
  const series: Series = { operations: new Map(), deviations: new Map() };
  for (const record of records) {
    const day = dayOf(record.lastSeen);
    if (record.kind === "totals") {
      const days = mapEntry(series.operations, operationKey(record), {});
      const totals = days[day] ?? { exchanges: 0, checked: 0, deviating: 0 };
      days[day] = totals;
      totals.exchanges += record.exchanges;
      totals.checked += record.checked;
      totals.deviating += record.deviating;
    } else {
      const days = mapEntry(series.deviations, deviationKey(record), {});
      days[day] = (days[day] ?? 0) + record.count;
    }
  }
  return series;
}

function mapEntry<V>(map: Map<string, V>, key: string, fresh: V): V {
  const known = map.get(key);
  if (known !== undefined) return known;
  map.set(key, fresh);
  return fresh;
}

/** A day-keyed object in day order. */
const byDay = <V>(days: Record<string, V> | undefined): Record<string, V> =>
  Object.fromEntries(Object.entries(days ?? {}).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));

/** The records of every file, added up per operation and per deviation, with their counts per day. */
export function driftReport(records: EvidenceRecord[]): DriftReport {
  const series = driftSeries(records);
  const merged = mergeEvidence(records);
  const checked = new Map<string, number>();
  const operations: OperationRow[] = [];
  for (const record of merged) {
    if (record.kind !== "totals") continue;
    const { format: _, kind: __, firstSeen, ...counts } = record;
    const key = operationKey(record);
    checked.set(key, record.checked);
    const share = record.checked ? record.deviating / record.checked : null;
    operations.push({ ...counts, share, since: firstSeen, perDay: byDay(series.operations.get(key)) });
  }
  const deviations = merged.flatMap((record): DeviationRow[] => {
    if (record.kind !== "deviation") return [];
    const { format: _, kind: __, firstSeen, ...rest } = record;
    const of = checked.get(operationKey(record)) ?? 0;
    const perDay = byDay(series.deviations.get(deviationKey(rest)));
    return [{ ...rest, checked: of, share: of ? record.count / of : null, since: firstSeen, perDay }];
  });
  return { format: evidenceFormat, operations, deviations };
}

/** The deviations `--fail-on` matches: of those rules, or any with `any`. */
export function matchingDeviations(report: DriftReport, rules: string[]): DeviationRow[] {
  return report.deviations.filter((row) => rules.includes("any") || rules.includes(row.rule));
}

/** A share as a percentage with one decimal, or a dash when nothing was checked. */
export const percent = (share: number | null) => (share === null ? "–" : `${(share * 100).toFixed(1)}%`);

/** How a deviating value looked: its type, its shape or (an enum's) value, and whether the field is personal. */
export function describeObserved(observed: ObservedShape, piiField: boolean): string {
  const shown =
    observed.value !== undefined
      ? `${observed.type ?? "?"} ${JSON.stringify(observed.value)}`
      : `${observed.type ?? "–"}${observed.format ? ` (${observed.format})` : ""}`;
  return piiField ? `${shown} (x-pii)` : shown;
}

/** A Markdown table, its columns padded; a `|` in a cell escaped. */
function table(header: string[], rows: string[][]): string {
  const cells = [header, ...rows].map((row) => row.map((cell) => cell.replaceAll("|", "\\|")));
  const widths = header.map((_, i) => Math.max(...cells.map((row) => row[i]!.length)));
  const line = (row: string[]) => `| ${row.map((cell, i) => cell.padEnd(widths[i]!)).join(" | ")} |`;
  return [line(cells[0]!), `|${widths.map((w) => "-".repeat(w + 2)).join("|")}|`, ...cells.slice(1).map(line)].join(
    "\n",
  );
}

/** The report as text: one line per operation, then the deviations as a table. */
export function formatDriftReport(report: DriftReport, files: string[]): string {
  const lines = [
    `Drift evidence (${evidenceFormat}) from ${files.length} file(s): ${report.operations.length} operation(s), ${report.deviations.length} kind(s) of deviation`,
    "",
    ...report.operations.map(
      (op) =>
        `${op.api} ${op.specVersion}: ${op.method} ${op.path} (${op.operationId}): ${op.exchanges} exchanges, ${op.checked} checked, ` +
        `${op.deviating} deviating (${percent(op.share)}), since ${dayOf(op.since)}`,
    ),
  ];
  if (report.deviations.length === 0) return [...lines, "", "No deviation from the spec."].join("\n");
  const header = [
    "api",
    "operation",
    "status",
    "rule",
    "pointer",
    "observed",
    "deviations",
    "checked",
    "share",
    "since",
  ];
  const rows = report.deviations.map((row) => [
    `${row.api} ${row.specVersion}`,
    row.side === "request" ? `${row.operationId} (request)` : row.operationId,
    String(row.status),
    row.rule,
    row.pointer || "(body)",
    describeObserved(row.observed, row.piiField),
    String(row.count),
    String(row.checked),
    percent(row.share),
    dayOf(row.since),
  ]);
  return [...lines, "", table(header, rows)].join("\n");
}
