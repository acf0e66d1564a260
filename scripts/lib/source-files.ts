// The hand-written source the function-length rule measures: the TypeScript of packages/*/src and
// scripts, without generated code, declaration files, fixtures, installed or built files, and tests.
import { existsSync, readdirSync } from "node:fs";
import { join } from "node:path";

/** Folders never measured: generated code (pnpm gen owns it), fixtures, installed and built files, tests. */
const skippedFolders = new Set(["node_modules", "dist", "fixtures", "generated", "test"]);

/** Whether a path (relative, with /) is a test file: in a test folder, or named *.test.ts / *.test-d.ts. */
export const isTestFile = (path: string) => /(^|\/)test\//.test(path) || /\.test(-d)?\.ts$/.test(path);

function walk(root: string, dir: string, found: string[]): void {
  for (const entry of readdirSync(join(root, dir), { withFileTypes: true })) {
    const path = `${dir}/${entry.name}`;
    if (entry.isDirectory() && !skippedFolders.has(entry.name)) walk(root, path, found);
    else if (entry.isFile() && path.endsWith(".ts") && !path.endsWith(".d.ts") && !isTestFile(path)) found.push(path);
  }
}

/** The hand-written, non-test source files under `root`, as sorted paths relative to it. */
export function handWrittenSources(root: string): string[] {
  const found: string[] = [];
  const packages = existsSync(join(root, "packages")) ? readdirSync(join(root, "packages")) : [];
  for (const name of packages) {
    if (existsSync(join(root, "packages", name, "src"))) walk(root, `packages/${name}/src`, found);
  }
  if (existsSync(join(root, "scripts"))) walk(root, "scripts", found);
  return found.sort();
}
