// A check skipped because it passed on the same inputs: any change to an input file, a new or a
// removed one, or the lockfile, runs it again; only a pass is remembered.
import { mkdirSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { useTempFiles } from "@cx-openapi/devkit/testing";
import { describe, expect, it } from "vitest";
import { checkCache } from "../../lib/check-cache.js";

const { dir } = useTempFiles("cx-openapi-check-cache-");

function tree(): string {
  const root = dir();
  mkdirSync(join(root, "specs/nested"), { recursive: true });
  writeFileSync(join(root, "specs/a.yaml"), "a: 1\n");
  writeFileSync(join(root, "specs/nested/b.yaml"), "b: 1\n");
  writeFileSync(join(root, "rules.yaml"), "r: 1\n");
  writeFileSync(join(root, "pnpm-lock.yaml"), "lock: 1\n");
  return root;
}

const inputs = ["specs", "rules.yaml"];

describe("a check's cache", () => {
  it("remembers a pass, and only a pass", () => {
    const root = tree();
    expect(checkCache("lint", inputs, root).passed).toBe(false);
    expect(checkCache("lint", inputs, root).passed).toBe(false);
    checkCache("lint", inputs, root).record();
    expect(checkCache("lint", inputs, root).passed).toBe(true);
    expect(checkCache("other", inputs, root).passed).toBe(false);
  });

  it.each([
    ["a changed file in a folder", (root: string) => writeFileSync(join(root, "specs/nested/b.yaml"), "b: 2\n")],
    ["a new file", (root: string) => writeFileSync(join(root, "specs/c.yaml"), "c: 1\n")],
    ["a removed file", (root: string) => rmSync(join(root, "specs/a.yaml"))],
    ["a changed input file", (root: string) => writeFileSync(join(root, "rules.yaml"), "r: 2\n")],
    [
      "a changed lockfile (the tools' versions)",
      (root: string) => writeFileSync(join(root, "pnpm-lock.yaml"), "lock: 2\n"),
    ],
  ])("runs the check again after %s", (_name, change) => {
    const root = tree();
    checkCache("lint", inputs, root).record();
    change(root);
    expect(checkCache("lint", inputs, root).passed).toBe(false);
  });
});
