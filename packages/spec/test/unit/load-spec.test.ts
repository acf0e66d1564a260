import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { loadSpec } from "../../src/index.js";

const dir = mkdtempSync(join(tmpdir(), "cx-spec-load-test-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe("loadSpec", () => {
  it("reads a bundled spec", () => {
    const file = join(dir, "ok.json");
    writeFileSync(file, JSON.stringify({ openapi: "3.1.0", paths: {} }));
    expect(loadSpec(file)).toEqual({ openapi: "3.1.0", paths: {} });
  });

  it("refuses a file that is not JSON, naming the file and the rule", () => {
    const file = join(dir, "spec.yaml");
    writeFileSync(file, "openapi: 3.1.0\n");
    expect(() => loadSpec(file)).toThrow(`${file}: a bundled spec must be JSON`);
  });
});
