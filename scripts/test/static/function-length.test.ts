// The function-length rule of `pnpm lint --structure`: what counts as a function, how it is named
// and measured, which files are measured, and when the rule fails.
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { type FunctionSpan, judgeLengths, measureFunctions, measureSources } from "../../lib/function-length.js";
import { handWrittenSources } from "../../lib/source-files.js";

const scratch = mkdtempSync(join(tmpdir(), "cx-openapi function length "));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

/** A function of exactly `lines` lines. */
const functionOf = (name: string, lines: number) => `function ${name}() {\n${"  work();\n".repeat(lines - 2)}}\n`;
const span = (name: string, lines: number): FunctionSpan => ({ file: "a.ts", line: 1, lines, name });

describe("measuring functions", () => {
  const source = `// a comment above does not count
export function declared(a: number) {
  return a;
}
class Store {
  private items = new Map<string, number>();
  constructor(readonly name: string) {
    this.name = name;
  }
  get size() {
    return this.items.size;
  }
  set size(_value: number) {}
  add(key: string) {
    const bump = (n: number) =>
      n + 1;
    this.items.set(key, bump(0));
  }
  overloaded(): void;
  overloaded(): void {}
}
const arrow = async () => {
  await Promise.resolve();
};
const command = { run() {}, stop: function () {} };
setTimeout(() => {}, 1);
cli("x", { run() {} });
const handler = (mode: string) => (value: number) => value;
`;
  const spans = measureFunctions("src/a.ts", source);
  const byName = new Map(spans.map((s) => [s.name, s]));

  it("finds declarations, methods, constructors, accessors, arrow functions and function expressions", () => {
    expect(spans.map((s) => s.name)).toEqual([
      "declared",
      "Store.constructor",
      "get Store.size",
      "set Store.size",
      "Store.add",
      "bump",
      "Store.overloaded",
      "arrow",
      "command.run",
      "command.stop",
      "callback of setTimeout",
      "cli(…).run",
      "handler",
      "function returned by handler",
    ]);
  });

  it("counts from the function's first line to its last, comments above it excluded", () => {
    expect(byName.get("declared")).toEqual({ file: "src/a.ts", line: 2, lines: 3, name: "declared" });
    expect(byName.get("Store.add")).toMatchObject({ line: 14, lines: 5 });
    expect(byName.get("bump")).toMatchObject({ line: 15, lines: 2 });
    expect(byName.get("set Store.size")).toMatchObject({ line: 13, lines: 1 });
    expect(byName.get("arrow")).toMatchObject({ line: 22, lines: 3 });
  });
});

describe("the limits: none over 80 lines, at most 5 over 60", () => {
  it("passes at 80 lines and with five functions over 60", () => {
    const verdict = judgeLengths([span("a", 80), ...[1, 2, 3, 4].map((n) => span(`b${n}`, 61)), span("c", 60)]);
    expect(verdict.problems).toEqual([]);
  });

  it("fails on a function of 81 lines, naming its place and length", () => {
    const verdict = judgeLengths([span("big", 81)]);
    expect(verdict.problems).toEqual(["a.ts:1 big has 81 lines; the limit is 80"]);
  });

  it("fails on six functions over 60 lines", () => {
    const verdict = judgeLengths([1, 2, 3, 4, 5, 6].map((n) => span(`f${n}`, 61)));
    expect(verdict.problems).toEqual(["6 functions have more than 60 lines; at most 5 may"]);
    expect(verdict.long).toHaveLength(6);
  });

  it("lists the ten longest, longest first", () => {
    const verdict = judgeLengths(Array.from({ length: 12 }, (_, n) => span(`f${n}`, n + 1)));
    expect(verdict.longest.map((s) => s.lines)).toEqual([12, 11, 10, 9, 8, 7, 6, 5, 4, 3]);
  });
});

describe("which files are measured", () => {
  const files: Record<string, string> = {
    "packages/runtime/src/client.ts": functionOf("client", 81),
    "packages/runtime/src/generated/types.ts": functionOf("generated", 200),
    "packages/runtime/src/types.d.ts": "declare function typed(): void;\n",
    "packages/runtime/test/client.test.ts": functionOf("test", 200),
    "packages/runtime/node_modules/dep/index.ts": functionOf("dependency", 200),
    "scripts/gen.ts": functionOf("gen", 3),
    "scripts/lib/breaking/schema.ts": functionOf("schema", 3),
    "scripts/bench/calls.ts": functionOf("calls", 3),
    "scripts/test/fixtures/sample.ts": functionOf("fixture", 200),
    "scripts/test/e2e/start.test.ts": functionOf("e2e", 200),
    "scripts/lib/helper.test.ts": functionOf("inline test", 200),
  };
  for (const [path, text] of Object.entries(files)) {
    mkdirSync(dirname(join(scratch, path)), { recursive: true });
    writeFileSync(join(scratch, path), text);
  }

  it("measures packages/*/src and scripts, not generated code, declarations, tests, fixtures or dependencies", () => {
    expect(handWrittenSources(scratch)).toEqual([
      "packages/runtime/src/client.ts",
      "scripts/bench/calls.ts",
      "scripts/gen.ts",
      "scripts/lib/breaking/schema.ts",
    ]);
    const verdict = judgeLengths(measureSources(scratch).spans);
    expect(verdict.problems).toEqual(["packages/runtime/src/client.ts:1 client has 81 lines; the limit is 80"]);
  });
});
