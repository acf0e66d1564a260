// Every test file or test folder a README or doc names exists, so a reader who looks for the test
// that guards a behaviour finds it. A path resolves from the doc's folder, its package or the root;
// a bare file name (`front.test.ts`, beside a folder named in the same sentence) must exist in the
// doc's package, or anywhere in the repository for the repository's own docs.
import { existsSync, readdirSync, readFileSync } from "node:fs";
import { dirname, join, relative } from "node:path";
import { describe, expect, it } from "vitest";
import { repoRoot } from "../../lib/apis.js";

const docs = [
  "README.md",
  "SECURITY.md",
  "openapi/README.md",
  ...readdirSync(join(repoRoot, "openapi"), { withFileTypes: true })
    .filter((e) => e.isDirectory())
    .map((e) => `openapi/${e.name}/DECISIONS.md`),
  ...readdirSync(join(repoRoot, "docs"))
    .filter((f) => f.endsWith(".md"))
    .map((f) => `docs/${f}`),
  ...readdirSync(join(repoRoot, "packages")).map((p) => `packages/${p}/README.md`),
].filter((doc) => existsSync(join(repoRoot, doc)));

const repoUrl = "https://github.com/cx-openapi/cx-openapi/blob/main/";

/** The test paths a doc names: in backticks or as a link target, without placeholders. */
function namedTestPaths(text: string): string[] {
  const candidates = [...text.matchAll(/`([^`\s]+)`|\]\(([^)\s]+)\)/g)].map((m) =>
    (m[1] ?? m[2] ?? "").replace(repoUrl, ""),
  );
  const isTestPath = (p: string) =>
    /\.test(-d)?\.ts$/.test(p) || /(^|\/)test\/(static|unit|contract|e2e|pack|types|fixtures)\b/.test(p);
  return [...new Set(candidates.filter((p) => isTestPath(p) && !/[<>*{}]|^https?:/.test(p)))];
}

/** Every file and folder under a directory, as paths relative to the repository, without dependencies or build output. */
function tree(dir: string): string[] {
  return readdirSync(join(repoRoot, dir), { withFileTypes: true }).flatMap((entry) => {
    if (entry.name === "node_modules" || entry.name === "dist" || entry.name.startsWith(".")) return [];
    const path = `${dir}/${entry.name}`;
    return entry.isDirectory() ? [`${path}/`, ...tree(path)] : [path];
  });
}

function resolves(doc: string, path: string, files: string[]): boolean {
  const packageDir = /^packages\/[^/]+/.exec(doc)?.[0];
  const bases = [dirname(doc), packageDir, "."].filter((b): b is string => b !== undefined);
  if (bases.some((base) => existsSync(join(repoRoot, base, path)))) return true;
  const scope = packageDir ? files.filter((f) => f.startsWith(`${packageDir}/`)) : files;
  const suffix = `/${path.replace(/^\.?\//, "")}`;
  return scope.some((f) => f.endsWith(suffix) || `${f}/`.endsWith(suffix));
}

describe("the test paths the docs name", () => {
  const files = ["packages", "scripts"].flatMap(tree);

  it("finds the test paths a sentence names, and skips placeholders", () => {
    expect(
      namedTestPaths("`test/unit/front.test.ts`, [x](test/e2e/), `<pkg>/test/unit/`, `packages/*/test/unit/x.test.ts`"),
    ).toEqual(["test/unit/front.test.ts", "test/e2e/"]);
  });

  it.each(docs)("%s names only test files and folders that exist", (doc) => {
    const text = readFileSync(join(repoRoot, doc), "utf8");
    const missing = namedTestPaths(text).filter((path) => !resolves(doc, path, files));
    expect(missing, `${relative(repoRoot, join(repoRoot, doc))}: no such test file or folder`).toEqual([]);
  });
});
