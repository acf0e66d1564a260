// The drift evidence format (cx-drift/1, docs/drift-evidence.md): what the aggregator writes, that it
// reads back the same, how records add up, and what a reader refuses.
import { describe, expect, it } from "vitest";
import {
  driftEvidence,
  EvidenceFormatError,
  evidenceFormat,
  mergeEvidence,
  parseEvidenceRecord,
  type DriftEvent,
  type ExchangeOutcome,
} from "../../src/drift/index.js";

const operation = { operationId: "getCustomer", method: "GET", path: "/cdm/client/{client_id}/customer/{ccid}" };
const enumEvent: DriftEvent = {
  api: "relay-cdm",
  specVersion: "0.1.0",
  operation,
  status: 200,
  rule: "enum",
  pointer: "/notification_channels/*/consent_type",
  observed: { type: "string", format: "text", value: "verbal" },
  piiField: false,
};
const outcome = (events: DriftEvent[], checked = true): ExchangeOutcome => ({
  api: "relay-cdm",
  specVersion: "0.1.0",
  operation,
  status: 200,
  checked,
  events,
});

/** An aggregator on a clock that moves one minute per reading. */
function evidenceOnClock() {
  let minute = 0;
  return driftEvidence({ now: () => new Date(Date.UTC(2025, 0, 1, 12, minute++)) });
}

describe("drift evidence (cx-drift/1)", () => {
  it("adds up exchanges per operation and deviations per operation, status, rule, pointer and observed shape", () => {
    const evidence = evidenceOnClock();
    evidence.add(outcome([enumEvent]));
    evidence.add(outcome([]));
    evidence.add(outcome([], false));
    evidence.add(outcome([enumEvent]));
    expect(evidence.records()).toEqual([
      {
        format: "cx-drift/1",
        kind: "totals",
        api: "relay-cdm",
        specVersion: "0.1.0",
        ...operation,
        exchanges: 4,
        checked: 3,
        deviating: 2,
        skipped: 0,
        firstSeen: "2025-01-01T12:00:00.000Z",
        lastSeen: "2025-01-01T12:03:00.000Z",
      },
      {
        format: "cx-drift/1",
        kind: "deviation",
        api: "relay-cdm",
        specVersion: "0.1.0",
        ...operation,
        status: 200,
        side: "response",
        rule: "enum",
        pointer: "/notification_channels/*/consent_type",
        observed: { type: "string", format: "text", value: "verbal" },
        piiField: false,
        count: 2,
        firstSeen: "2025-01-01T12:00:00.000Z",
        lastSeen: "2025-01-01T12:03:00.000Z",
      },
    ]);
  });

  it("writes one JSON record a line, each carrying the format, and reads them back the same", () => {
    const evidence = evidenceOnClock();
    evidence.add(outcome([enumEvent, { ...enumEvent, rule: "type", observed: { type: "null" }, piiField: true }]));
    const lines = evidence.toJsonLines().trimEnd().split("\n");
    expect(lines).toHaveLength(3);
    for (const line of lines) expect(JSON.parse(line)).toMatchObject({ format: evidenceFormat });
    const read = lines.map((line) => parseEvidenceRecord(JSON.parse(line)));
    expect(read).toEqual(evidence.records());
    expect(mergeEvidence([...read, ...read]).map((r) => (r.kind === "totals" ? r.exchanges : r.count))).toEqual([
      2, 2, 2,
    ]);
  });

  it("refuses a record without the format, or of another version, naming the field", () => {
    const [record] = (() => {
      const evidence = evidenceOnClock();
      evidence.add(outcome([enumEvent]));
      return evidence.records().filter((r) => r.kind === "deviation");
    })();
    const { format: _, ...unversioned } = record!;
    const refusal = (value: unknown) => {
      try {
        parseEvidenceRecord(value);
      } catch (error) {
        if (error instanceof EvidenceFormatError) return `${error.field}: ${error.message}`;
        throw error;
      }
      return "accepted";
    };
    expect(refusal(unversioned)).toBe("format: required, cx-drift/1");
    expect(refusal({ ...record, format: "cx-drift/2" })).toBe(
      'format: "cx-drift/2" is not a version this reader knows (cx-drift/1)',
    );
    expect(refusal({ ...record, count: -1 })).toBe("count: must be a whole number, at least 0");
    expect(refusal({ ...record, firstSeen: "yesterday" })).toBe("firstSeen: must be an ISO 8601 date and time");
    expect(refusal("a line")).toBe("(record): must be a JSON object");
  });

  it("refuses a value the format never holds: of a personal field, or of a rule other than enum", () => {
    const evidence = evidenceOnClock();
    evidence.add(outcome([enumEvent]));
    const record = evidence.records().find((r) => r.kind === "deviation")!;
    expect(() => parseEvidenceRecord({ ...record, piiField: true })).toThrow(
      expect.objectContaining({ field: "observed.value" }),
    );
    expect(() => parseEvidenceRecord({ ...record, rule: "type" })).toThrow(
      expect.objectContaining({ field: "observed.value" }),
    );
  });

  it("keeps only the fields it knows: an extra field of a newer writer does not pass through", () => {
    const evidence = evidenceOnClock();
    evidence.add(outcome([enumEvent]));
    const record = evidence.records().find((r) => r.kind === "deviation")!;
    const read = parseEvidenceRecord({
      ...record,
      body: { first_name: "Rogerina" },
      observed: { ...record.observed, raw: "x" },
    });
    expect(read).toEqual(record);
  });

  it("records how far a bound would have to move, adding up to the furthest, and never a personal number", () => {
    const evidence = evidenceOnClock();
    const bound = (rule: string, limit: number, piiField = false): DriftEvent => ({
      ...enumEvent,
      rule,
      pointer: "/first_name",
      observed: { type: "string", format: "text", limit },
      piiField,
    });
    evidence.add(outcome([bound("maxLength", 40), bound("minimum", 3)]));
    evidence.add(outcome([bound("maxLength", 64), bound("minimum", -2)]));
    evidence.add(outcome([bound("maxLength", 50)]));
    const limits = evidence
      .records()
      .flatMap((r) => (r.kind === "deviation" ? [[r.rule, r.count, r.observed.limit]] : []));
    expect(limits).toEqual([
      ["maxLength", 3, 64],
      ["minimum", 2, -2],
    ]);
    const [maxLength, minimum] = evidence.records().filter((r) => r.kind === "deviation");
    expect(
      mergeEvidence([maxLength!, { ...maxLength!, observed: { ...maxLength!.observed, limit: 80 } }])[0],
    ).toMatchObject({
      count: 6,
      observed: { limit: 80 },
    });
    expect(() => parseEvidenceRecord({ ...minimum, piiField: true })).toThrow(
      expect.objectContaining({ field: "observed.limit" }),
    );
    expect(() => parseEvidenceRecord({ ...maxLength, rule: "type" })).toThrow(
      expect.objectContaining({ field: "observed.limit" }),
    );
    expect(() => parseEvidenceRecord({ ...maxLength, observed: { limit: 2.5 } })).toThrow(
      expect.objectContaining({ field: "observed.limit" }),
    );
  });
});
