// The evidence a proposal rests on: every file's records, added up per deviation and per
// operation, each deviation remembering the files it came from. What an action quotes of it
// (`x-evidence`) is the record's own fields: no body, header or x-pii value is in either.
import { mergeEvidence, type DeviationRecord, type EvidenceRecord, type TotalsRecord } from "@cx-openapi/spec/drift";

export interface EvidenceFile {
  /** The file as named on the command line. */
  file: string;
  records: EvidenceRecord[];
}

/** One deviation, all files added up, with what an action quotes of it. */
export interface Deviation {
  record: DeviationRecord;
  /** The checked exchanges of its operation, all files added up (the base of its share). */
  checked: number;
  files: string[];
}

/** An action's `x-evidence` entry: one deviation behind it. */
export interface EvidenceEntry {
  operationId: string;
  method: string;
  path: string;
  status: number;
  rule: string;
  pointer: string;
  observed: DeviationRecord["observed"];
  count: number;
  checked: number;
  firstSeen: string;
  lastSeen: string;
  files: string[];
}

const operationKey = (r: EvidenceRecord) => JSON.stringify([r.api, r.operationId, r.method, r.path]);

/** The deviations of one API in the files, added up (across spec versions: each is checked against today's spec). */
export function deviationsOf(files: EvidenceFile[], api: string): Deviation[] {
  const of = (records: EvidenceRecord[]) =>
    records.filter((r) => r.api === api).map((r) => ({ ...r, specVersion: "" }));
  const merged = mergeEvidence(files.flatMap((f) => of(f.records)));
  const checked = new Map<string, number>();
  for (const record of merged)
    if (record.kind === "totals") checked.set(operationKey(record), (record as TotalsRecord).checked);
  const sources = new Map<string, Set<string>>();
  for (const { file, records } of files)
    for (const record of mergeEvidence(of(records)))
      if (record.kind === "deviation") {
        const key = deviationKey(record);
        sources.set(key, (sources.get(key) ?? new Set()).add(file));
      }
  return merged
    .filter((record): record is DeviationRecord => record.kind === "deviation")
    .map((record) => ({
      record,
      checked: checked.get(operationKey(record)) ?? 0,
      files: [...(sources.get(deviationKey(record)) ?? [])].sort(),
    }));
}

function deviationKey(r: DeviationRecord): string {
  const { type, format, value } = r.observed;
  return JSON.stringify([operationKey(r), r.status, r.side, r.rule, r.pointer, type, format, value, r.piiField]);
}

/** What an action quotes of a deviation. */
export function evidenceEntry({ record, checked, files }: Deviation): EvidenceEntry {
  const { operationId, method, path, status, rule, pointer, observed, count, firstSeen, lastSeen } = record;
  return { operationId, method, path, status, rule, pointer, observed, count, checked, firstSeen, lastSeen, files };
}
