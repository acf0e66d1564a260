// The drift report as HTML (`pnpm drift:report --html`, the docs site's drift.html): a table row
// per operation and per deviation with its counts and a sparkline of one point per day, under a
// policy that runs no script and loads nothing; whatever the evidence says shows as text.
import { mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { compileDriftApi, loadSpec } from "@cx-openapi/spec";
import { checkExchange, driftEvidence, type EvidenceRecord } from "@cx-openapi/spec/drift";
import { expectNothingLeaks, personalValues, startDeviatingVendor, useTempFiles } from "@cx-openapi/devkit/testing";
import { getApi, type Api } from "../../lib/apis.js";
import { externalResources, makeOffline } from "../../lib/docs-offline.js";
import { committedEvidence, dayAxis, driftPage, maxSparklineDays, siteDriftPage } from "../../lib/drift-page.js";
import { driftReport } from "../../lib/drift-report.js";

const { dir } = useTempFiles("cx-openapi-drift-page-");
const days = ["2025-03-01", "2025-03-02", "2025-03-03"];
const getCustomer = {
  api: "relay-cdm",
  specVersion: "0.1.0",
  operationId: "getCustomer",
  method: "GET",
  path: "/cdm/client/{client_id}/customer/{ccid}",
};
/** An operation whose id and path a hostile evidence file chose (the format allows any printable text). */
const hostile = {
  ...getCustomer,
  operationId: "<img/src=x/onerror=alert(1)>",
  method: "POST",
  path: '/x/"><script>alert(2)</script>',
};

const totals = (operation: typeof getCustomer, day: string, exchanges: number, deviating: number): EvidenceRecord => ({
  format: "cx-drift/1",
  kind: "totals",
  ...operation,
  exchanges,
  checked: exchanges,
  deviating,
  skipped: 0,
  firstSeen: `${day}T08:00:00.000Z`,
  lastSeen: `${day}T18:00:00.000Z`,
});
const deviation = (
  operation: typeof getCustomer,
  day: string,
  count: number,
  shape: Partial<EvidenceRecord & { kind: "deviation" }>,
): EvidenceRecord => ({
  format: "cx-drift/1",
  kind: "deviation",
  ...operation,
  status: 200,
  side: "response",
  rule: "enum",
  pointer: "/notification_channels/*/consent_type",
  observed: { type: "string", format: "text", value: "verbal" },
  piiField: false,
  count,
  firstSeen: `${day}T09:00:00.000Z`,
  lastSeen: `${day}T17:00:00.000Z`,
  ...shape,
});

/** Two operations over three days; the hostile one deviates in an x-pii field on the first and last day. */
function fixture(): EvidenceRecord[] {
  return days.flatMap((day, i) => [
    totals(getCustomer, day, 10 * (i + 1), i + 1),
    deviation(getCustomer, day, i + 1, {}),
    totals(hostile, day, 4, i === 1 ? 0 : 2),
    ...(i === 1
      ? []
      : [
          deviation(hostile, day, 2, {
            rule: "type",
            pointer: "/<svg/onload=alert(3)>",
            observed: { type: "null" },
            piiField: true,
          }),
        ]),
  ]);
}

const page = (records = fixture(), mode: "site" | "standalone" = "standalone") =>
  driftPage(driftReport(records), { sources: ["drift-a.jsonl", "<b>drift-b.jsonl</b>"], mode });

/** The text of each cell of the rows of a class, markup stripped. */
function rows(html: string, rowClass: string): string[][] {
  return [...html.matchAll(new RegExp(`<tr class="${rowClass}">(.*?)</tr>`, "g"))].map((row) =>
    [...row[1]!.matchAll(/<t[hd][^>]*>(.*?)<\/t[hd]>/g)].map((cell) =>
      cell[1]!
        .replace(/<svg.*<\/svg>/, "svg")
        .replace(/<[^>]+>/g, "")
        .trim(),
    ),
  );
}

const polylines = (html: string) =>
  [...html.matchAll(/<polyline points="([^"]*)"\/>/g)].map((m) =>
    m[1]!.split(" ").map((p) => p.split(",").map(Number)),
  );

describe("the drift report page", () => {
  it("has a row per operation: exchanges, checked, deviating, share, first day and a sparkline", () => {
    const html = page();
    expect(rows(html, "operation")).toEqual([
      [`GET ${getCustomer.path} getCustomer`, "60", "60", "6", "10.0%", "2025-03-01", "svg"],
      [
        "POST /x/&quot;&gt;&lt;script&gt;alert(2)&lt;/script&gt; &lt;img/src=x/onerror=alert(1)&gt;",
        "12",
        "12",
        "4",
        "33.3%",
        "2025-03-01",
        "svg",
      ],
    ]);
  });

  it("has a row per deviation: status, rule, pointer, observed shape, count, share, first day and a sparkline", () => {
    const html = page();
    expect(rows(html, "deviation")).toEqual([
      [
        "200",
        "enum",
        "/notification_channels/*/consent_type",
        "string &quot;verbal&quot;",
        "6",
        "10.0%",
        "2025-03-01",
        "svg",
      ],
    ]);
    expect(rows(html, "deviation pii")).toEqual([
      ["200", "type", "/&lt;svg/onload=alert(3)&gt;", "null (x-pii)", "4", "33.3%", "2025-03-01", "svg"],
    ]);
  });

  it("draws each sparkline with one point per day, the highest count at the top, a day without any at the bottom", () => {
    const lines = polylines(page());
    expect(lines).toHaveLength(4);
    for (const line of lines) expect(line).toHaveLength(days.length);
    const [deviatingOfGetCustomer, deviatingOfHostile] = lines;
    expect(deviatingOfGetCustomer!.map(([, y]) => y)).toEqual([15.3, 8.7, 2]);
    expect(deviatingOfHostile!.map(([, y]) => y)).toEqual([2, 22, 2]);
    expect(deviatingOfGetCustomer!.map(([x]) => x)).toEqual([1, 60, 119]);
    expect(page()).toContain("<title>deviations per day, 2025-03-01 to 2025-03-03: 2, 0, 2</title>");
  });

  it("shows whatever the evidence says as text: a hostile operationId, path, pointer, enum value or file name injects no markup", () => {
    const records = fixture().map((record) =>
      record.kind === "deviation" && record.rule === "enum"
        ? { ...record, observed: { ...record.observed, value: "</svg><script>alert(4)</script>" } }
        : record,
    );
    const html = page(records);
    expect(html).not.toMatch(/<script|<img|<svg\/|<b>/);
    expect(html).toContain("&lt;img/src=x/onerror=alert(1)&gt;");
    expect(html).toContain("&lt;b&gt;drift-b.jsonl&lt;/b&gt;");
    expect(html).toContain("&lt;/svg&gt;&lt;script&gt;alert(4)&lt;/script&gt;");
    expect(html.match(/<svg /g)).toHaveLength(4);
    expect(html.match(/<\/svg>/g)).toHaveLength(4);
  });

  it("runs no script and loads nothing: its policy allows its own styles only, by hash when it stands alone", () => {
    const standalone = page();
    const policy = /<meta http-equiv="Content-Security-Policy" content="([^"]+)">/.exec(standalone)?.[1] ?? "";
    expect(policy).toMatch(/^default-src 'none'; style-src &#39;sha256-[A-Za-z0-9+/]+=&#39;;/);
    expect(policy).not.toContain("script-src");
    expect(standalone).toContain("<style>");
    expect(externalResources(standalone)).toEqual([]);
    const site = page(fixture(), "site");
    expect(site).toContain('<link rel="stylesheet" href="site.css">');
    expect(site).toContain('<a href="index.html">All APIs</a>');
    expect(site).not.toMatch(/<style|\sstyle=/);
    expect(() => makeOffline(site, "drift.html")).not.toThrow();
  });

  it("covers the last 90 days of the evidence at most, every day of them", () => {
    const report = driftReport([totals(getCustomer, "2024-01-01", 1, 0), totals(getCustomer, "2025-03-03", 1, 1)]);
    const axis = dayAxis(report);
    expect(axis).toHaveLength(maxSparklineDays);
    expect([axis[0], axis.at(-1)]).toEqual(["2024-12-04", "2025-03-03"]);
    expect(dayAxis(driftReport(fixture()))).toEqual(days);
  });

  it("without evidence, says so and shows the commands that produce and add it", () => {
    const html = driftPage(driftReport([]), {
      sources: [],
      mode: "site",
      emptyReason: "No evidence file is committed.",
    });
    expect(html).toContain("No evidence file is committed.");
    expect(html).toContain(
      "pnpm proxy --api &lt;api&gt; --target &lt;the vendor's URL&gt; --evidence openapi/&lt;api&gt;/drift/",
    );
    expect(html).toContain("git add openapi/&lt;api&gt;/drift/");
    expect(html).not.toContain("<table");
  });
});

describe("the docs site's drift page", () => {
  const apiIn = (root: string, name: string): Api => ({
    name,
    root: join(root, name, "openapi.yaml"),
    packageDir: root,
    mockPort: 1,
    sandboxPort: 2,
    bundleYaml: "",
    bundleJson: "",
    generatedDir: "",
  });
  const write = (file: string, records: EvidenceRecord[]) =>
    writeFileSync(file, records.map((record) => `${JSON.stringify(record)}\n`).join(""));

  it("reads the evidence committed under openapi/<api>/drift/*.jsonl, every file checked as data", () => {
    const root = dir();
    const relay = apiIn(root, "relay-cdm");
    mkdirSync(join(root, "relay-cdm", "drift"), { recursive: true });
    const records = fixture();
    write(join(root, "relay-cdm", "drift", "2025-03-01-a.jsonl"), records.slice(0, 4));
    write(join(root, "relay-cdm", "drift", "2025-03-02-a.jsonl"), records.slice(4));
    writeFileSync(join(root, "relay-cdm", "drift", "README.md"), "not evidence");
    const found = committedEvidence([relay, apiIn(root, "hiirelevate")]);
    expect(found.files.map((file) => file.split("/").pop())).toEqual(["2025-03-01-a.jsonl", "2025-03-02-a.jsonl"]);
    expect(found.records).toHaveLength(records.length);
    expect(siteDriftPage([relay])).toContain('<tr class="operation">');
    writeFileSync(join(root, "relay-cdm", "drift", "2025-03-04-a.jsonl"), '{"format":"cx-drift/1"}\n');
    expect(() => committedEvidence([relay])).toThrow(/2025-03-04-a\.jsonl:1: kind: must be totals or deviation/);
  });

  it("refuses a file of another API's evidence in an API's folder, naming it", () => {
    const root = dir();
    mkdirSync(join(root, "hiirelevate", "drift"), { recursive: true });
    write(join(root, "hiirelevate", "drift", "x.jsonl"), fixture());
    expect(() => committedEvidence([apiIn(root, "hiirelevate")])).toThrow(
      /x\.jsonl: holds evidence of the API "relay-cdm", not of hiirelevate/,
    );
  });

  it("says there is no evidence when no file is committed", () => {
    const html = siteDriftPage([apiIn(dir(), "relay-cdm")]);
    expect(html).toContain("No evidence file is committed");
    expect(html).toContain("git add openapi/&lt;api&gt;/drift/");
  });
});

describe("a rehearsal's drift report", () => {
  it("shows every deviation of the deviating vendor as a row, and none of the personal values it answered with", async () => {
    const vendor = await startDeviatingVendor("relay-cdm");
    const drift = compileDriftApi(loadSpec(getApi("relay-cdm").bundleJson), "relay-cdm");
    const evidence = driftEvidence({ now: () => new Date("2025-03-01T10:00:00.000Z") });
    try {
      for (const { method, path } of vendor.deviations.filter((d) => d.every === undefined)) {
        const target = path.replace(/\{(\w+)\}/g, (_, name: string) => (name === "phone_number" ? "6105550000" : "x1"));
        const answer = await fetch(`${vendor.url}${target}`, {
          method,
          headers: { "xx-relay-api-key": "rehearsal", "content-type": "application/json" },
          ...(method === "GET" || method === "DELETE" ? {} : { body: "{}" }),
        });
        const contentType = answer.headers.get("content-type");
        const outcome = checkExchange(drift, {
          method,
          path,
          status: answer.status,
          contentType,
          body: await answer.text(),
        });
        evidence.add(outcome!);
      }
    } finally {
      await vendor.stop();
    }
    const html = driftPage(driftReport(evidence.records()), { sources: ["rehearsal.jsonl"], mode: "standalone" });
    const shown = [...rows(html, "deviation"), ...rows(html, "deviation pii")].map(
      ([, rule, pointer]) => `${rule} ${pointer}`,
    );
    const listed = vendor.deviations
      .filter((d) => d.every === undefined)
      .map((d) => `${d.rule} ${d.pointer || "(body)"}`);
    expect(shown.sort()).toEqual(listed.sort());
    expectNothingLeaks([html], [...personalValues]);
  });
});
