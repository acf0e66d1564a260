// A check that passed on the same inputs need not run again: after it passes, the digest of its
// inputs (every file's path and content, and the lockfile, which pins the tools' versions) is kept in
// node_modules/.cache/cx-openapi/<check>.digest. Any change to an input runs the check whole, and a
// fresh clone (CI) has no cache. For checks that only read files: tools with caches of their own
// (tsc, dependency-cruiser) keep theirs.
import { createHash } from "node:crypto";
import { existsSync, lstatSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { basename, dirname, join, relative } from "node:path";
import { repoRoot } from "./apis.js";

const skipped = new Set(["node_modules", "dist", ".git"]);

/** Every file under the inputs (files or folders, relative to the root), sorted, folders walked. */
function inputFiles(root: string, inputs: readonly string[]): string[] {
  const files: string[] = [];
  const visit = (path: string) => {
    if (!existsSync(path)) return;
    const stat = lstatSync(path);
    if (stat.isFile()) return void files.push(path);
    // Installed and built folders are no one's input (the lockfile stands for what is installed).
    if (!stat.isDirectory() || skipped.has(basename(path))) return;
    for (const entry of readdirSync(path)) visit(join(path, entry));
  };
  for (const input of [...inputs, "pnpm-lock.yaml"]) visit(join(root, input));
  return [...new Set(files)].sort();
}

function digestOf(root: string, inputs: readonly string[]): string {
  const hash = createHash("sha256");
  for (const file of inputFiles(root, inputs))
    hash.update(relative(root, file)).update("\0").update(readFileSync(file)).update("\0");
  return hash.digest("hex");
}

export interface CheckCache {
  /** Whether the check passed on exactly these inputs before. */
  passed: boolean;
  /** Records that the check passed on these inputs. */
  record(): void;
}

/** The cache of check `name` over `inputs` (relative to `root`): read once, recorded after the check passes. */
export function checkCache(name: string, inputs: readonly string[], root = repoRoot): CheckCache {
  const file = join(root, "node_modules/.cache/cx-openapi", `${name}.digest`);
  const digest = digestOf(root, inputs);
  const passed = existsSync(file) && readFileSync(file, "utf8") === digest;
  return {
    passed,
    record() {
      mkdirSync(dirname(file), { recursive: true });
      writeFileSync(file, digest);
    },
  };
}
