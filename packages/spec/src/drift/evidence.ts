// The evidence a drift reporter (or the deviation proxy) collects: every exchange counted per
// operation, every deviation per way of breaking the spec, written as cx-drift/1 JSON lines.
import {
  evidenceFormat,
  mergeEvidence,
  recordKey,
  type DeviationRecord,
  type EvidenceRecord,
  type TotalsRecord,
} from "./evidence-format.js";
import { furtherLimit } from "./limits.js";
import type { DriftEvent, ExchangeOutcome } from "./types.js";

export interface DriftEvidenceOptions {
  /** The clock the records' firstSeen and lastSeen read (for tests). */
  now?: () => Date;
  /**
   * Distinct deviations kept at most (default 1,000). Past it, a new enum value is kept without its
   * value, and any other new deviation is counted in its operation's totals only.
   */
  maxDeviations?: number;
}

export interface DriftEvidence {
  /** Counts one exchange and its deviations. A drift reporter calls it; so may your own code. */
  add(outcome: ExchangeOutcome): void;
  /** The records so far: per operation its totals, then its deviations. */
  records(): EvidenceRecord[];
  /** The records as cx-drift/1 JSON lines, one a line (empty when nothing was seen). */
  toJsonLines(): string;
}

/** Collects drift outcomes into cx-drift/1 evidence (docs/drift-evidence.md). */
export function driftEvidence(options: DriftEvidenceOptions = {}): DriftEvidence {
  const { now = () => new Date(), maxDeviations = 1_000 } = options;
  const totals = new Map<string, TotalsRecord>();
  const deviations = new Map<string, DeviationRecord>();
  const count = (record: DeviationRecord) => {
    const key = recordKey(record);
    const known = deviations.get(key);
    if (known) {
      known.count += 1;
      known.lastSeen = record.lastSeen;
      const limit = furtherLimit(known.rule, known.observed.limit, record.observed.limit);
      if (limit !== undefined) known.observed.limit = limit;
    } else if (deviations.size < maxDeviations) deviations.set(key, record);
    else if (record.observed.value !== undefined) {
      const { value: _, ...shape } = record.observed;
      count({ ...record, observed: shape });
    }
  };
  return {
    add(outcome) {
      const at = now().toISOString();
      const operationTotals = totalsOf(totals, outcome, at);
      operationTotals.exchanges += 1;
      if (outcome.checked) operationTotals.checked += 1;
      if (outcome.skipped !== undefined) operationTotals.skipped += 1;
      const request = outcome.request ?? [];
      if (outcome.events.length > 0 || request.length > 0) operationTotals.deviating += 1;
      for (const event of outcome.events) count(deviationOf(event, "response", at));
      for (const event of request) count(deviationOf(event, "request", at));
    },
    records: () => mergeEvidence([...totals.values(), ...deviations.values()]),
    toJsonLines() {
      return this.records()
        .map((record) => `${JSON.stringify(record)}\n`)
        .join("");
    },
  };
}

/** The operation's totals record, made on its first exchange. */
function totalsOf(totals: Map<string, TotalsRecord>, outcome: ExchangeOutcome, at: string): TotalsRecord {
  const { api, specVersion, operation } = outcome;
  const fresh: TotalsRecord = {
    format: evidenceFormat,
    kind: "totals",
    api,
    specVersion,
    ...operation,
    exchanges: 0,
    checked: 0,
    deviating: 0,
    skipped: 0,
    firstSeen: at,
    lastSeen: at,
  };
  const key = recordKey(fresh);
  const known = totals.get(key);
  if (known) {
    known.lastSeen = at;
    return known;
  }
  totals.set(key, fresh);
  return fresh;
}

function deviationOf(event: DriftEvent, side: "response" | "request", at: string): DeviationRecord {
  const { api, specVersion, operation, status, rule, pointer, observed, piiField } = event;
  return {
    format: evidenceFormat,
    kind: "deviation",
    api,
    specVersion,
    ...operation,
    status,
    side,
    rule,
    pointer,
    observed: { ...observed },
    piiField,
    count: 1,
    firstSeen: at,
    lastSeen: at,
  };
}
