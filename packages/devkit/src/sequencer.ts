import { BaseSequencer, type TestSpecification } from "vitest/node";

/**
 * The slowest e2e files, slowest first. Vitest starts the files it has durations for longest first,
 * but a fresh clone has none, and then it goes by file size, which says little about a file that
 * waits on npm, tsc or Chromium. Starting these first keeps both workers busy to the end.
 */
const slowestFirst = [
  "scripts/test/e2e/consumer.test.ts",
  "scripts/test/e2e/docs-browser.test.ts",
  "packages/sandbox/test/e2e/gate.test.ts",
  "scripts/test/e2e/docs-samples.test.ts",
  "scripts/test/e2e/start.test.ts",
];

const rank = (spec: TestSpecification) => {
  const index = slowestFirst.findIndex((file) => spec.moduleId.endsWith(file));
  return index < 0 ? slowestFirst.length : index;
};

/** Vitest's order, except that the files named above lead within their project. */
export class SlowestFirstSequencer extends BaseSequencer {
  override async sort(files: TestSpecification[]): Promise<TestSpecification[]> {
    const sorted = await super.sort(files);
    const projects = [...new Set(sorted.map((spec) => spec.project.name))];
    return projects.flatMap((name) =>
      sorted.filter((spec) => spec.project.name === name).sort((a, b) => rank(a) - rank(b)),
    );
  }
}
