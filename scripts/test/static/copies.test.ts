// The copy rule of `pnpm lint --structure`: jscpd with the real .jscpd.json finds a block of 6 lines
// or more copied between two files and names both places; shorter copies and generated code pass.
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { findClones, formatClone } from "../../lib/copies.js";

const scratch = mkdtempSync(join(tmpdir(), "cx-openapi copies "));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

/** `lines` lines of code with plenty of tokens each (jscpd also wants 50 tokens), the same wherever pasted. */
const block = (lines: number) =>
  Array.from(
    { length: lines },
    (_, n) => `export const value${n} = compute(input.first, input.second, ${n}, "x");`,
  ).join("\n");
const fileWith = (name: string, body: string) =>
  `export function ${name}(input: { first: number; second: number }) {\n${body}\n  return input;\n}\n`;

function writeTree(root: string, files: Record<string, string>): void {
  for (const [path, text] of Object.entries(files)) {
    mkdirSync(dirname(join(root, path)), { recursive: true });
    writeFileSync(join(root, path), text);
  }
}

describe("copies", () => {
  it("finds a 6-line block copied between two files, and names both places", () => {
    const root = join(scratch, "copied");
    writeTree(root, { "src/a.ts": `${block(6)}\n`, "test/b.ts": `export const other = 1;\n${block(6)}\n` });
    expect(findClones([root], root).map(formatClone)).toEqual(["6 lines: src/a.ts:1-6 = test/b.ts:2-7"]);
  });

  it("lets a 5-line copy pass", () => {
    const root = join(scratch, "short");
    writeTree(root, { "src/a.ts": `${block(5)}\n`, "src/b.ts": `export const other = 1;\n${block(5)}\n` });
    expect(findClones([root], root)).toEqual([]);
  });

  it("leaves generated code and fixtures out", () => {
    const root = join(scratch, "generated");
    writeTree(root, {
      "src/generated/a.ts": fileWith("first", block(12)),
      "src/generated/b.ts": fileWith("second", block(12)),
      "test/fixtures/c.ts": fileWith("third", block(12)),
      "src/d.ts": "export const d = 1;\n",
    });
    expect(findClones([root], root)).toEqual([]);
  });
});
