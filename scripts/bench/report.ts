// How the bench's results leave it: markdown tables on stdout and, with --write-docs, the same tables
// between markers in docs/performance.md, each stamped with the date, Node, CPU and load of its run,
// so the doc's figures always come from a run and say where they were measured.
import { readFileSync, writeFileSync } from "node:fs";
import { cpus, loadavg } from "node:os";

export interface Table {
  header: string[];
  rows: string[][];
  /** Per column: right-aligned (numbers) or not. */
  right: boolean[];
}

/** A markdown table, padded so it also reads as plain text on a terminal. */
export function formatTable({ header, rows, right }: Table): string {
  const widths = header.map((cell, i) => Math.max(cell.length, ...rows.map((row) => row[i]!.length)));
  const line = (cells: string[]) =>
    `| ${cells.map((cell, i) => (right[i] ? cell.padStart(widths[i]!) : cell.padEnd(widths[i]!))).join(" | ")} |`;
  const rule = `|${widths.map((width, i) => (right[i] ? `${"-".repeat(width + 1)}:` : "-".repeat(width + 2))).join("|")}|`;
  return [line(header), rule, ...rows.map(line)].join("\n");
}

export const loadText = () =>
  loadavg()
    .map((n) => n.toFixed(2))
    .join(" ");

/** When and where a section was measured, for the doc: the date, Node, the CPUs and the load around it. */
export function stamp(loadBefore: string, loadAfter: string): string {
  const list = cpus();
  const date = new Date().toISOString().slice(0, 10);
  return (
    `Measured by \`pnpm bench\` on ${date}: Node ${process.version}, ${list.length} × ` +
    `${list[0]?.model.trim() ?? "unknown CPU"}; load ${loadBefore} before and ${loadAfter} after (1, 5, 15 min).`
  );
}

const markers = (id: string) => [`<!-- bench:${id} -->`, `<!-- /bench:${id} -->`] as const;

/** `doc` with the text between the markers of `id` replaced by `content`. */
export function replaceSection(doc: string, id: string, content: string): string {
  const [open, close] = markers(id);
  const start = doc.indexOf(open);
  const end = doc.indexOf(close);
  if (start === -1 || end < start) throw new Error(`the doc has no ${open} … ${close} markers`);
  return `${doc.slice(0, start + open.length)}\n${content.trim()}\n${doc.slice(end)}`;
}

/** Rewrites the sections of `file` this run measured; the others keep their figures and stamps. */
export function writeDocSections(file: string, sections: Map<string, string>): void {
  let doc = readFileSync(file, "utf8");
  for (const [id, content] of sections) doc = replaceSection(doc, id, content);
  writeFileSync(file, doc);
}
