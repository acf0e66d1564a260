import { BaseSequencer, type TestSpecification } from "vitest/node";

/**
 * The contract and e2e files (one vitest run in `pnpm test`), slowest first. Vitest starts the files it has durations for longest first, but a
 * fresh clone has none, and then it goes by file size, which says little about a file that waits on
 * npm, tsc, Prism or Chromium. Starting them in this order keeps every worker busy to the end: the
 * short ones fill in last. A new contract or e2e file goes where its duration puts it.
 */
const slowestFirst = [
  "scripts/test/e2e/pnpm-start.test.ts",
  "scripts/test/e2e/keep-the-spec-true.test.ts",
  "packages/sandbox/test/e2e/gate.test.ts",
  "packages/hiirelevate/test/contract/client-against-mock.test.ts",
  "scripts/test/contract/readme-shell.test.ts",
  "packages/spec/test/e2e/prism.test.ts",
  "packages/sandbox/test/e2e/durability.test.ts",
  "packages/sandbox/test/e2e/deviation-proxy.test.ts",
  "packages/relay-cdm/test/contract/client-against-mock.test.ts",
  "scripts/test/e2e/path-with-spaces.test.ts",
  "scripts/test/e2e/spec-diff-command.test.ts",
  "packages/sandbox/test/e2e/persist.test.ts",
  "scripts/test/e2e/pnpm-sandbox.test.ts",
  "scripts/test/contract/pnpm-mock.test.ts",
  "packages/sandbox/test/e2e/inspector-browser.test.ts",
];

const rank = (spec: TestSpecification) => {
  const index = slowestFirst.findIndex((file) => spec.moduleId.endsWith(file));
  return index < 0 ? slowestFirst.length : index;
};

/** The files in an order drawn from `seed`: the same seed gives the same order, to replay a failure. */
function seededShuffle<T>(items: T[], seed: number): T[] {
  const shuffled = [...items];
  let state = seed >>> 0 || 1;
  const next = () => {
    // xorshift32: small, and enough to draw an order.
    state ^= state << 13;
    state ^= state >>> 17;
    state ^= state << 5;
    return (state >>> 0) / 2 ** 32;
  };
  for (let i = shuffled.length - 1; i > 0; i--) {
    const j = Math.floor(next() * (i + 1));
    [shuffled[i], shuffled[j]] = [shuffled[j]!, shuffled[i]!];
  }
  return shuffled;
}

/**
 * Vitest's order, except that the files named above lead within their project; with
 * `--sequence.shuffle`, a random order from `--sequence.seed` instead (vitest prints the seed).
 */
export class SlowestFirstSequencer extends BaseSequencer {
  override async sort(files: TestSpecification[]): Promise<TestSpecification[]> {
    const { shuffle, seed } = this.ctx.config.sequence;
    if (shuffle) return seededShuffle(files, seed);
    const sorted = await super.sort(files);
    const projects = [...new Set(sorted.map((spec) => spec.project.name))];
    return projects.flatMap((name) =>
      sorted.filter((spec) => spec.project.name === name).sort((a, b) => rank(a) - rank(b)),
    );
  }
}
