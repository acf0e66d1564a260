// The drift report as an HTML page: per API and spec version a table of its operations (exchanges,
// checked, the share that deviated, a sparkline of the deviating exchanges per day), then each
// operation's deviations (rule, pointer, observed shape, count, share, first seen, a sparkline).
// `pnpm drift:report --html` writes it as one standalone file; `pnpm docs:build` adds it to the site
// as drift.html, from the evidence committed under openapi/<api>/drift/. No script and nothing
// loaded: the sparklines are inline SVG, the styles site.css's (linked, or carried inline by hash),
// under a policy that allows nothing else. Every value from the evidence is escaped.
import { createHash } from "node:crypto";
import { existsSync, readdirSync, readFileSync } from "node:fs";
import { dirname, join, relative } from "node:path";
import type { EvidenceRecord } from "@cx-openapi/spec/drift";
import { repoRoot, type Api } from "./apis.js";
import {
  dayOf,
  describeObserved,
  driftReport,
  percent,
  readEvidenceFile,
  type DeviationRow,
  type DriftReport,
  type OperationRow,
} from "./drift-report.js";
import { fillTemplate, Html, joinHtml, renderTemplate } from "./templates.js";

export interface DriftPageOptions {
  /** The evidence files, as the page names them. */
  sources: string[];
  /** `site`: a page of the docs site (links site.css and the index); `standalone`: one file that carries its styles. */
  mode: "site" | "standalone";
  /** Why there is no record, when there is none (the page then shows how to collect evidence). */
  emptyReason?: string;
}

/** Days a sparkline covers at most: the last ones of the evidence. */
export const maxSparklineDays = 90;
const sparkline = { width: 120, height: 24 };
const dayMs = 24 * 60 * 60 * 1000;

/** The whole page. */
export function driftPage(report: DriftReport, options: DriftPageOptions): string {
  const axis = dayAxis(report);
  const empty = report.operations.length === 0 && report.deviations.length === 0;
  const sections = empty
    ? renderTemplate("drift-empty.html", { reason: options.emptyReason ?? "The evidence holds no record." })
    : joinHtml(groupByApi(report).map((group) => apiSection(group, axis)));
  return `${renderTemplate("drift.html", { ...pageStyles(options.mode), summary: summary(report, options.sources, axis), sections })}\n`;
}

/** How the page gets its styles, and the policy that allows exactly that. */
function pageStyles(mode: DriftPageOptions["mode"]): { styleSource: string; styles: Html; nav: Html } {
  if (mode === "site")
    return {
      styleSource: "'self'",
      styles: new Html('<link rel="stylesheet" href="site.css">'),
      nav: new Html('<a href="index.html">All APIs</a>'),
    };
  const css = readFileSync(join(repoRoot, "docs/site.css"), "utf8");
  const hash = createHash("sha256").update(css).digest("base64");
  // site.css is this repository's own file: no `</style` can end the element early.
  return { styleSource: `'sha256-${hash}'`, styles: new Html(`<style>${css}</style>`), nav: new Html("") };
}

function summary(report: DriftReport, sources: string[], axis: string[]): Html {
  if (sources.length === 0) return new Html("");
  const span = axis.length ? ` Counted per day from ${axis[0]} to ${axis.at(-1)} (UTC).` : "";
  const files = joinHtml(
    sources.map((file) => fillTemplate("<li><code>{{file}}</code></li>", { file }, "drift-page.ts")),
    "",
  );
  return fillTemplate(
    "<p>Evidence from {{count}} file(s): {{operations}} operation(s), {{deviations}} kind(s) of deviation.{{span}}</p><details><summary>The files</summary><ul>{{files}}</ul></details>",
    {
      count: sources.length,
      operations: report.operations.length,
      deviations: report.deviations.length,
      span,
      files,
    },
    "drift-page.ts",
  );
}

/** Every day from the first to the last of the evidence, at most the last `maxSparklineDays`. */
export function dayAxis(report: DriftReport): string[] {
  const days = [...report.operations, ...report.deviations].flatMap((row) => Object.keys(row.perDay)).sort();
  if (days.length === 0) return [];
  const last = Date.parse(`${days.at(-1)}T00:00:00Z`);
  const first = Math.max(Date.parse(`${days[0]}T00:00:00Z`), last - (maxSparklineDays - 1) * dayMs);
  const axis: string[] = [];
  for (let time = first; time <= last; time += dayMs) axis.push(dayOf(new Date(time).toISOString()));
  return axis;
}

interface ApiGroup {
  api: string;
  specVersion: string;
  operations: OperationRow[];
  /** Each operation's deviations, by operation (in the report's order). */
  deviations: Map<string, DeviationRow[]>;
}

const operationOf = (row: OperationRow | DeviationRow) => JSON.stringify([row.operationId, row.method, row.path]);

/** The report's rows per API and spec version, in its order. */
function groupByApi(report: DriftReport): ApiGroup[] {
  const groups = new Map<string, ApiGroup>();
  const groupOf = (row: OperationRow | DeviationRow) => {
    const key = JSON.stringify([row.api, row.specVersion]);
    let group = groups.get(key);
    if (!group) {
      group = { api: row.api, specVersion: row.specVersion, operations: [], deviations: new Map() };
      groups.set(key, group);
    }
    return group;
  };
  for (const row of report.operations) groupOf(row).operations.push(row);
  for (const row of report.deviations) {
    const { deviations } = groupOf(row);
    deviations.set(operationOf(row), [...(deviations.get(operationOf(row)) ?? []), row]);
  }
  return [...groups.values()];
}

function apiSection(group: ApiGroup, axis: string[]): Html {
  const operations = group.operations.map((row) =>
    renderTemplate("drift-operation.html", {
      method: row.method,
      path: row.path,
      operationId: row.operationId,
      exchanges: row.exchanges,
      checked: row.checked,
      deviating: row.deviating,
      share: percent(row.share),
      since: dayOf(row.since),
      sparkline: sparklineOf(
        axis.map((day) => row.perDay[day]?.deviating ?? 0),
        axis,
        "deviating exchanges",
      ),
    }),
  );
  const deviations = [...group.deviations.values()].map((rows) => deviationTable(rows, axis));
  return renderTemplate("drift-api.html", {
    api: group.api,
    specVersion: group.specVersion,
    operations: joinHtml(operations),
    deviations: joinHtml(deviations),
  });
}

/** One operation's deviations. */
function deviationTable(rows: DeviationRow[], axis: string[]): Html {
  const { method, path, operationId } = rows[0]!;
  const cells = rows.map((row) =>
    renderTemplate("drift-deviation.html", {
      rowClass: row.piiField ? "deviation pii" : "deviation",
      status: row.side === "request" ? `${row.status} (request)` : String(row.status),
      rule: row.rule,
      pointer: row.pointer || "(body)",
      observed: describeObserved(row.observed, row.piiField),
      count: row.count,
      share: percent(row.share),
      since: dayOf(row.since),
      sparkline: sparklineOf(
        axis.map((day) => row.perDay[day] ?? 0),
        axis,
        "deviations",
      ),
    }),
  );
  return renderTemplate("drift-deviations.html", { method, path, operationId, rows: joinHtml(cells) });
}

/** An inline SVG line of the counts, one point per day of the axis; its title lists them. */
export function sparklineOf(counts: number[], axis: string[], what: string): Html {
  if (counts.length === 0) return new Html("");
  const { width, height } = sparkline;
  const max = Math.max(...counts);
  const round = (n: number) => String(Math.round(n * 10) / 10);
  const points = counts.map((count, i) => {
    const x = counts.length === 1 ? width / 2 : 1 + (i * (width - 2)) / (counts.length - 1);
    const y = max === 0 ? height - 2 : 2 + (1 - count / max) * (height - 4);
    return [round(x), round(y)] as const;
  });
  const [lastX, lastY] = points.at(-1)!;
  return renderTemplate("drift-sparkline.html", {
    width,
    height,
    label: `${what} per day, ${axis[0]} to ${axis.at(-1)}: ${counts.join(", ")}`,
    points: points.map(([x, y]) => `${x},${y}`).join(" "),
    lastX,
    lastY,
  });
}

/** The evidence files committed under openapi/<api>/drift/ (*.jsonl), each read as data and checked. */
export function committedEvidence(apis: Api[]): { files: string[]; records: EvidenceRecord[] } {
  const files: string[] = [];
  const records: EvidenceRecord[] = [];
  for (const api of apis) {
    const folder = join(dirname(api.root), "drift");
    if (!existsSync(folder)) continue;
    for (const name of readdirSync(folder)
      .filter((file) => file.endsWith(".jsonl"))
      .sort()) {
      const file = relative(repoRoot, join(folder, name));
      const read = readEvidenceFile(join(repoRoot, file));
      const stray = read.find((record) => record.api !== api.name);
      if (stray) throw new Error(`${file}: holds evidence of the API "${stray.api}", not of ${api.name}`);
      files.push(file);
      records.push(...read);
    }
  }
  return { files, records };
}

/** The docs site's drift.html, from the committed evidence. */
export function siteDriftPage(apis: Api[]): string {
  const { files, records } = committedEvidence(apis);
  const folders = apis.map((api) => `${relative(repoRoot, dirname(api.root))}/drift/`).join(", ");
  return driftPage(driftReport(records), {
    sources: files,
    mode: "site",
    emptyReason:
      files.length === 0
        ? `No evidence file is committed (${folders}).`
        : "The committed evidence files hold no record.",
  });
}
