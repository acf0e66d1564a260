// The commands work in a checkout whose path has spaces (and other characters a file URL encodes):
// `pnpm gen:check`'s command, in a copy of the files it reads where one generated file drifted,
// fails naming that file. One run proves both: a main-module check that compared a file URL with
// the raw path would exit 0 there without doing anything.
import { cpSync, mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { loadApis, repoRoot } from "../../lib/apis.js";
import { run } from "../../lib/process.js";

let checkout: string;
const apis = loadApis();

beforeAll(() => {
  const scratch = mkdtempSync(join(tmpdir(), "cx-openapi-"));
  checkout = join(scratch, "My Projects #1", "cx openapi");
  mkdirSync(checkout, { recursive: true });
  // gen also owns the sandbox's copy of the types and the registry of @cx-openapi/spec.
  const generated = ["packages/sandbox/src/generated", "packages/spec/src/generated"];
  for (const path of ["package.json", "redocly.yaml", "openapi", "scripts/gen.ts", "scripts/lib", ...generated]) {
    cpSync(join(repoRoot, path), join(checkout, path), { recursive: true });
  }
  for (const api of apis) {
    const dir = api.packageDir.slice(repoRoot.length);
    cpSync(join(api.packageDir, "package.json"), join(checkout, dir, "package.json"), { recursive: true });
    cpSync(api.generatedDir, join(checkout, dir, "src/generated"), { recursive: true });
  }
  symlinkSync(join(repoRoot, "node_modules"), join(checkout, "node_modules"), "dir");
  // The drift validators are bundled with Ajv's run-time helpers, which the spec package depends on.
  symlinkSync(join(repoRoot, "packages/spec/node_modules"), join(checkout, "packages/spec/node_modules"), "dir");
  // Copied last, so they are newer than the sources and gen reuses them (bundling is not what is tested).
  cpSync(join(repoRoot, "dist/openapi"), join(checkout, "dist/openapi"), { recursive: true });
});
afterAll(() => rmSync(join(checkout, "../.."), { recursive: true, force: true }));

/**
 * `pnpm gen:check` without pnpm around it: the command line of package.json's script, run by node
 * (what is tested is the script's main-module check; pnpm itself is tested by the pnpm-*.test.ts files).
 */
const genCheck = () => {
  const scripts = (
    JSON.parse(readFileSync(join(checkout, "package.json"), "utf8")) as { scripts: Record<string, string> }
  ).scripts;
  const [node, ...args] = scripts["gen:check"]!.replace(/^exec /, "").split(" ");
  expect(node).toBe("node");
  return run(process.execPath, args, { cwd: checkout, timeoutMs: 120_000 });
};

describe("a checkout in a path with spaces", () => {
  it("pnpm gen:check runs there, and detects a drifted generated file", async () => {
    const api = apis[0]!;
    const enums = join(checkout, api.generatedDir.slice(repoRoot.length), "enums.ts");
    writeFileSync(enums, `${readFileSync(enums, "utf8")}export const edited = true;\n`);
    const drifted = await genCheck();
    expect(drifted.code, drifted.output).toBe(1);
    expect(drifted.output).toContain("Generated code is out of date");
    expect(drifted.output).toContain(`${api.generatedDir.slice(repoRoot.length + 1)}/enums.ts`);
  }, 180_000);
});
