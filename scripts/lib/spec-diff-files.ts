// `pnpm spec:diff <base> <revision>`: any two spec files compared, each read as data (spec-file.ts).
// Apart from spec-diff.ts, which also compares packages' exports, so that what only compares specs
// (this command, `pnpm drift:propose`'s verdict) loads no TypeScript compiler.
import { compareDocuments, type CompareOptions } from "./breaking/compare.js";
import { ComparisonTooLarge } from "./breaking/memo.js";
import { formatChange, type Change, type Severity } from "./breaking/rules.js";
import { UsageError } from "./cli.js";
import { loadSpecFile } from "./spec-file.js";

export interface FileDiff {
  base: string;
  revision: string;
  changes: Change[];
  /** Breaking changes found, or warnings with `strict`. */
  failed: boolean;
  text: string;
}

/**
 * Compares documents of which one at least was read from a file named on the command line: a
 * comparison too large to finish (see breaking/memo.ts) or too deep for the stack is refused like an
 * unreadable file (exit code 2).
 */
export function compareData(
  label: string,
  before: Record<string, unknown>,
  after: Record<string, unknown>,
  options: CompareOptions = {},
): Change[] {
  try {
    return compareDocuments(before, after, options);
  } catch (error) {
    if (error instanceof ComparisonTooLarge) throw new UsageError(`${label}: ${error.message}`);
    if (error instanceof RangeError)
      throw new UsageError(`${label}: schemas nested too deeply to compare (${error.message})`);
    throw error;
  }
}

/** Compares two spec files of any API (`pnpm spec:diff <base> <revision>`); both are data (spec-file.ts). */
export function diffFiles(
  base: string,
  revision: string,
  options: { strict?: boolean; verbose?: boolean; now?: Date; maxSteps?: number } = {},
): FileDiff {
  const changes = compareData(`${revision} against ${base}`, loadSpecFile(base), loadSpecFile(revision), {
    ...(options.now ? { now: options.now } : {}),
    ...(options.maxSteps === undefined ? {} : { maxSteps: options.maxSteps }),
  });
  const count = (severity: Severity) => changes.filter((c) => c.severity === severity).length;
  const [breaking, warnings, infos] = [count("breaking"), count("warning"), count("info")];
  const failed = breaking > 0 || (!!options.strict && warnings > 0);
  const lines = [`${revision} against ${base}`];
  for (const change of changes)
    if (options.verbose || change.severity !== "info") lines.push(`  ${formatChange(change)}`);
  lines.push(`  ${countsLine(breaking, warnings, infos, options.verbose)}`);
  lines.push(
    failed
      ? `✖ spec:diff: ${breaking ? "breaking changes" : "warnings (--strict)"} found.`
      : "✔ spec:diff: nothing breaking.",
  );
  return { base, revision, changes, failed, text: lines.join("\n") };
}

export function countsLine(breaking: number, warnings: number, infos: number, verbose: boolean | undefined): string {
  const hint = infos && !verbose ? " (--verbose lists them)" : "";
  return `${breaking} breaking, ${warnings} warning${warnings === 1 ? "" : "s"}, ${infos} non-breaking${hint}`;
}
