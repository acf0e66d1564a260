// `pnpm drift:report <files…>`: drift evidence (cx-drift/1) from any number of files, added up per
// operation and rule, as a table or JSON; --fail-on for CI; a file that is not evidence is refused
// with the file, the line and the field (exit code 2).
import { readFileSync, truncateSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { describe, expect, it } from "vitest";
import { repoRoot } from "../../lib/apis.js";
import { commands, parseCommand, UsageError } from "../../lib/cli.js";
import { captureOutput, useTempFiles } from "@cx-openapi/devkit/testing";
import { driftReport as reportOf, readEvidenceFile } from "../../lib/drift-report.js";

const { dir } = useTempFiles("cx-openapi-drift-report-");
const operation = {
  api: "relay-cdm",
  specVersion: "0.1.0",
  operationId: "getCustomer",
  method: "GET",
  path: "/cdm/client/{client_id}/customer/{ccid}",
};
const totals = (exchanges: number, checked: number, deviating: number, firstSeen: string) => ({
  format: "cx-drift/1",
  kind: "totals",
  ...operation,
  exchanges,
  checked,
  deviating,
  skipped: 0,
  firstSeen,
  lastSeen: "2025-03-01T00:00:00.000Z",
});
const deviation = (
  rule: string,
  count: number,
  firstSeen: string,
  observed: object = { type: "null" },
  lastSeen = "2025-03-01T00:00:00.000Z",
) => ({
  format: "cx-drift/1",
  kind: "deviation",
  ...operation,
  status: 200,
  side: "response",
  rule,
  pointer: rule === "enum" ? "/notification_channels/*/consent_type" : "/first_name",
  observed,
  piiField: rule !== "enum",
  count,
  firstSeen,
  lastSeen,
});

/** Two evidence files, as two instances of an app would write them. */
function evidenceFiles(): string[] {
  const folder = dir();
  const files = [join(folder, "a.jsonl"), join(folder, "b.jsonl")];
  const enumValue = { type: "string", format: "text", value: "verbal" };
  const write = (file: string, records: object[]) =>
    writeFileSync(file, `${records.map((r) => JSON.stringify(r)).join("\n")}\n`);
  write(files[0]!, [
    totals(100, 10, 3, "2025-02-01T00:00:00.000Z"),
    deviation("enum", 3, "2025-02-03T00:00:00.000Z", enumValue),
  ]);
  write(files[1]!, [
    totals(300, 30, 2, "2025-01-15T00:00:00.000Z"),
    deviation("enum", 1, "2025-01-20T00:00:00.000Z", enumValue),
    deviation("type", 1, "2025-02-10T00:00:00.000Z"),
  ]);
  return files;
}

/** Files of a day each, as instances write them: a record counts on the UTC day of its lastSeen. */
function dailyFiles(): string[] {
  const folder = dir();
  const enumValue = { type: "string", format: "text", value: "verbal" };
  const day = (file: string, lastSeen: string, exchanges: number, deviating: number) => {
    const records = [
      { ...totals(exchanges, exchanges, deviating, "2025-01-30T12:00:00.000Z"), lastSeen },
      deviation("enum", deviating, "2025-01-30T12:00:00.000Z", enumValue, lastSeen),
    ];
    writeFileSync(join(folder, file), records.map((r) => `${JSON.stringify(r)}\n`).join(""));
    return join(folder, file);
  };
  return [
    day("a-2025-02-01.jsonl", "2025-02-01T23:59:59.999Z", 10, 1),
    day("b-2025-02-01.jsonl", "2025-02-01T00:00:00.000Z", 20, 2),
    day("a-2025-02-03.jsonl", "2025-02-03T08:00:00.000Z", 5, 0),
  ];
}

const commandUrl = pathToFileURL(join(repoRoot, "scripts/drift-report.ts")).href;

/** What `pnpm drift:report <args>` prints and its exit code, run in this process. */
async function driftReport(...args: string[]): Promise<{ code: number; out: string }> {
  await import(commandUrl);
  const { run, ...command } = commands.get(commandUrl)!;
  const { values, positionals } = parseCommand({ run, ...command }, args);
  return captureOutput(() => run(values, positionals));
}

describe("pnpm drift:report", () => {
  it("adds the files up per operation and rule: deviations, checked exchanges, share, since when", async () => {
    const { code, out } = await driftReport(...evidenceFiles());
    expect(code).toBe(0);
    expect(out).toContain(
      "relay-cdm 0.1.0: GET /cdm/client/{client_id}/customer/{ccid} (getCustomer): 400 exchanges, 40 checked, 5 deviating (12.5%), since 2025-01-15",
    );
    const rows = out
      .split("\n")
      .filter((line) => line.startsWith("| relay-cdm"))
      .map((line) =>
        line
          .split("|")
          .slice(1, -1)
          .map((cell) => cell.trim()),
      );
    expect(rows).toEqual([
      [
        "relay-cdm 0.1.0",
        "getCustomer",
        "200",
        "enum",
        "/notification_channels/*/consent_type",
        'string "verbal"',
        "4",
        "40",
        "10.0%",
        "2025-01-20",
      ],
      ["relay-cdm 0.1.0", "getCustomer", "200", "type", "/first_name", "null (x-pii)", "1", "40", "2.5%", "2025-02-10"],
    ]);
  });

  it("--json writes the same as JSON", async () => {
    const { out } = await driftReport(...evidenceFiles(), "--json");
    const report = JSON.parse(out) as { operations: unknown[]; deviations: unknown[] };
    expect(report.operations).toEqual([
      expect.objectContaining({
        operationId: "getCustomer",
        exchanges: 400,
        checked: 40,
        deviating: 5,
        since: "2025-01-15T00:00:00.000Z",
        perDay: { "2025-03-01": { exchanges: 400, checked: 40, deviating: 5 } },
      }),
    ]);
    expect(report.deviations).toEqual([
      expect.objectContaining({ rule: "enum", count: 4, checked: 40, share: 0.1, since: "2025-01-20T00:00:00.000Z" }),
      expect.objectContaining({ rule: "type", count: 1, checked: 40, share: 0.025 }),
    ]);
  });

  it("counts each record on the UTC day of its lastSeen, the files of one day added up, per operation and per deviation", () => {
    const report = reportOf(dailyFiles().flatMap(readEvidenceFile));
    expect(report.operations.map((op) => op.perDay)).toEqual([
      {
        "2025-02-01": { exchanges: 30, checked: 30, deviating: 3 },
        "2025-02-03": { exchanges: 5, checked: 5, deviating: 0 },
      },
    ]);
    expect(report.deviations.map((row) => [row.rule, row.perDay])).toEqual([
      ["enum", { "2025-02-01": 3, "2025-02-03": 0 }],
    ]);
    // The merged totals are those of every day.
    expect(report.operations[0]).toMatchObject({ exchanges: 35, deviating: 3, since: "2025-01-30T12:00:00.000Z" });
  });

  it("keeps a deviation's days apart from another's of the same operation, and an operation's from another's", () => {
    const report = reportOf(evidenceFiles().flatMap(readEvidenceFile));
    expect(report.operations.map((op) => Object.keys(op.perDay))).toEqual([["2025-03-01"]]);
    expect(report.deviations.map((row) => [row.rule, row.perDay])).toEqual([
      ["enum", { "2025-03-01": 4 }],
      ["type", { "2025-03-01": 1 }],
    ]);
  });

  it("--html writes the report as one standalone page, and says where", async () => {
    const out = join(dir(), "drift.html");
    const { code, out: printed } = await driftReport(...dailyFiles(), "--html", out);
    expect(code).toBe(0);
    expect(printed).toContain(`HTML report: ${out}`);
    const html = readFileSync(out, "utf8");
    expect(html).toMatch(/^<!DOCTYPE html>/);
    expect(html).toContain("<title>deviations per day, 2025-02-01 to 2025-02-03: 3, 0, 0</title>");
    expect(html).not.toContain('href="site.css"');
  });

  it("--fail-on exits 1 when a deviation of that rule (or any) is in the evidence, 0 when none is", async () => {
    const files = evidenceFiles();
    expect((await driftReport(...files, "--fail-on", "enum")).code).toBe(1);
    expect((await driftReport(...files, "--fail-on", "any")).code).toBe(1);
    expect((await driftReport(...files, "--fail-on", "maxLength")).code).toBe(0);
    expect((await driftReport(files[0]!, "--fail-on", "type")).code).toBe(0);
  });

  it("refuses a record that is not evidence, naming the file, the line and the field (exit code 2)", async () => {
    const [file] = evidenceFiles();
    writeFileSync(file!, `${JSON.stringify(totals(1, 1, 0, "2025-01-01T00:00:00.000Z"))}\n\n{"kind":"totals"}\n`);
    await expect(driftReport(file!)).rejects.toThrow(UsageError);
    await expect(driftReport(file!)).rejects.toThrow(`${file}:3: format: required, cx-drift/1`);
    writeFileSync(file!, "not json\n");
    await expect(driftReport(file!)).rejects.toThrow(`${file}:1: not a JSON record`);
  });

  it("treats its files as data: a file over 50 MB or a line over 64 KiB is refused before it is parsed", async () => {
    const [file, other] = evidenceFiles();
    truncateSync(file!, 50 * 1024 * 1024 + 1);
    await expect(driftReport(file!)).rejects.toThrow(`${file}: larger than 50 MB`);
    writeFileSync(other!, `${"x".repeat(64 * 1024 + 1)}\n`);
    await expect(driftReport(other!)).rejects.toThrow(`${other}:1: a line longer than 65536 bytes`);
    await expect(driftReport(join(dir(), "missing.jsonl"))).rejects.toThrow("cannot be read (ENOENT)");
    await expect(driftReport()).rejects.toThrow("give one or more evidence files");
  });
});
