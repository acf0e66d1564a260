import { appendFileSync, existsSync, readFileSync } from "node:fs";
import { listOperations, type OpenApiDoc } from "@cx-openapi/spec";

// Test files run in worker processes, so responses are appended to a file (one JSON line each) that
// the global setup reads back at the end of the run.

export interface CoverageRecord {
  api: string;
  operationId: string;
  status: number;
}

export function recordCoverage(file: string, record: CoverageRecord): void {
  appendFileSync(file, `${JSON.stringify(record)}\n`);
}

export function readCoverage(file: string): CoverageRecord[] {
  if (!existsSync(file)) return [];
  return readFileSync(file, "utf8")
    .split("\n")
    .filter((line) => line.trim())
    .map((line) => JSON.parse(line) as CoverageRecord);
}

/** The declared response key a status falls under: `404`, else `4XX`, else `default`. */
export function declaredKey(declared: string[], status: number): string | undefined {
  return [String(status), `${String(status)[0]}XX`, "default"].find((key) => declared.includes(key));
}

export interface CoverageTotals {
  covered: number;
  declared: number;
}

/**
 * An operation × declared-status matrix for one API: ✓ when a test received that response, · when
 * none did, blank when the operation does not declare the status.
 */
export function coverageMatrix(
  api: string,
  doc: OpenApiDoc,
  records: CoverageRecord[],
): { text: string; totals: CoverageTotals } {
  const operations = listOperations(doc);
  const mine = records.filter((r) => r.api === api);
  const statuses = [...new Set(operations.flatMap((op) => Object.keys(op.responses)))].sort(byStatus);
  const nameWidth = Math.max("operation".length, ...operations.map((op) => op.operationId.length));
  const cell = (text: string) => text.padStart(Math.max(3, ...statuses.map((s) => s.length)) + 1);
  const lines = [`${"operation".padEnd(nameWidth)}${statuses.map(cell).join("")}  covered`];
  const totals: CoverageTotals = { covered: 0, declared: 0 };
  const undeclared: string[] = [];
  for (const op of operations) {
    const declared = Object.keys(op.responses);
    const received = new Set<string>();
    for (const r of mine.filter((r) => r.operationId === op.operationId)) {
      const key = declaredKey(declared, r.status);
      if (key) received.add(key);
      else undeclared.push(`${op.operationId} ${r.status}`);
    }
    const row = statuses.map((s) => cell(!declared.includes(s) ? "" : received.has(s) ? "✓" : "·"));
    lines.push(`${op.operationId.padEnd(nameWidth)}${row.join("")}  ${received.size}/${declared.length}`);
    totals.covered += received.size;
    totals.declared += declared.length;
  }
  const percent = totals.declared ? Math.round((100 * totals.covered) / totals.declared) : 100;
  lines.push(`total: ${totals.covered}/${totals.declared} declared responses received (${percent}%)`);
  if (undeclared.length) lines.push(`received but not declared: ${[...new Set(undeclared)].join(", ")}`);
  return { text: `${api}: responses received, per operation and declared status\n${lines.join("\n")}`, totals };
}

function byStatus(a: string, b: string): number {
  const rank = (s: string) => (s === "default" ? 1000 : Number.parseInt(s.replace(/X/g, "9"), 10));
  return rank(a) - rank(b) || a.localeCompare(b);
}
