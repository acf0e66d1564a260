// `pnpm spec:diff <base> <revision>` as a process: a file that is not data it may read ends the
// command with exit code 2 and a message naming it (the rules themselves, in process:
// scripts/test/unit/spec-diff-input.test.ts).
import { spawnSync } from "node:child_process";
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { repoRoot } from "../../lib/apis.js";

const dir = mkdtempSync(join(tmpdir(), "cx-openapi-spec-diff-command-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe("spec:diff as a command", () => {
  it("exits 2, naming the ref that leads outside the input's folder", () => {
    mkdirSync(join(dir, "spec"));
    writeFileSync(join(dir, "secret.yaml"), "type: string\n");
    const input = join(dir, "spec/openapi.yaml");
    writeFileSync(
      input,
      `openapi: 3.1.0
info: { title: Input, version: 1.0.0 }
paths:
  /things:
    get:
      responses:
        "200":
          description: A thing
          content:
            application/json:
              schema: { $ref: ../secret.yaml }
`,
    );
    const result = spawnSync(process.execPath, ["--import", "tsx", "scripts/spec-diff.ts", input, input], {
      cwd: repoRoot,
      encoding: "utf8",
      timeout: 30_000,
    });
    expect(result.stderr).toContain('$ref "../secret.yaml" leads outside');
    expect(result.status).toBe(2);
  });
});
