// Temporary folders for tests that write files, removed after each test.
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach } from "vitest";

/** `dir()` makes a fresh folder, `file(name)` a path in one; all are removed after each test. */
export function useTempFiles(prefix = "cx-openapi-test-") {
  const dirs: string[] = [];
  afterEach(() => {
    for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
  });
  const dir = () => {
    const made = mkdtempSync(join(tmpdir(), prefix));
    dirs.push(made);
    return made;
  };
  return { dir, file: (name = "state.json") => join(dir(), name) };
}
