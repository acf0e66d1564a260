// The copy rule: jscpd, configured by .jscpd.json (hand-written TypeScript of packages and scripts,
// tests included), reports each clone of 6 lines or more with its two places: jscpd keeps a clone
// when it spans more than `minLines` lines, hence `"minLines": 5` there (and at least 50 tokens, so
// runs of `}` and short imports are no clone). Its JSON report goes to a temporary folder and is read
// back here; no HTML, no network. A copy that must stay (say, the same type test for both clients)
// is fenced with `// jscpd:ignore-start` and `// jscpd:ignore-end`.
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, relative } from "node:path";
import { repoRoot } from "./apis.js";
import { bin, runSync } from "./process.js";

export const copyConfig = join(repoRoot, ".jscpd.json");

export interface Place {
  file: string;
  start: number;
  end: number;
}

export interface Clone {
  lines: number;
  first: Place;
  second: Place;
}

interface RawPlace {
  name: string;
  start: number;
  end: number;
}

interface RawReport {
  duplicates: { lines: number; firstFile: RawPlace; secondFile: RawPlace }[];
}

/**
 * The clones jscpd finds with the real config: in the paths the config names (relative to the
 * repository), or in `paths` when given (a test's files), with places relative to `base`.
 */
export function findClones(paths: string[] = [], base: string = repoRoot): Clone[] {
  const output = mkdtempSync(join(tmpdir(), "cx-openapi-jscpd-"));
  try {
    const args = ["--config", copyConfig, "--reporters", "json", "--absolute", "--output", output, ...paths];
    const outcome = runSync(bin("jscpd"), args, { timeoutMs: 60_000 });
    // Exit code 1 is "clones found" (the config's exitCode); the report says which.
    if (outcome.code > 1) throw new Error(`jscpd failed with exit code ${outcome.code}:\n${outcome.output.trim()}`);
    const report = JSON.parse(readFileSync(join(output, "jscpd-report.json"), "utf8")) as RawReport;
    const place = (raw: RawPlace): Place => ({ file: relative(base, raw.name), start: raw.start, end: raw.end });
    return report.duplicates.map((raw) => ({
      lines: raw.lines,
      first: place(raw.firstFile),
      second: place(raw.secondFile),
    }));
  } finally {
    rmSync(output, { recursive: true, force: true });
  }
}

export const formatClone = (clone: Clone) =>
  `${clone.lines} lines: ${clone.first.file}:${clone.first.start}-${clone.first.end} = ${clone.second.file}:${clone.second.start}-${clone.second.end}`;
