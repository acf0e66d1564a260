// What a launched sandbox starts from and where it keeps its state: the example data (the default),
// `--seed FILE` or `--empty`; memory (the default), `--data FILE` or `--persist`, which keeps it in
// .sandbox/state.json under the working directory, private to its owner (issued tokens live
// there), in a folder that tells git to ignore it.
import { existsSync, mkdirSync, writeFileSync } from "node:fs";
import { join, resolve } from "node:path";
import { fileStore } from "./file-store.js";
import type { Persistence } from "./store.js";

/** The folder `--persist` keeps the state in, under the working directory. */
export const persistDir = ".sandbox";

export interface StateOptions {
  dataFile?: string | undefined;
  /** Keep the state in `.sandbox/state.json` under the working directory (not with `dataFile`). */
  persist?: boolean | undefined;
  seedFile?: string | undefined;
  /** Start blank, without the example data (not with `seedFile`). */
  empty?: boolean | undefined;
}

/** Throws, naming both flags, when two options say the same thing differently. */
export function checkStateOptions(options: StateOptions): void {
  if (options.persist && options.dataFile !== undefined)
    throw new Error("--persist and --data both say where the state is kept; pass one");
  if (options.empty && options.seedFile !== undefined)
    throw new Error("--empty and --seed both say what the sandbox starts from; pass one");
}

/** Where the state is kept: `--data`'s file, `--persist`'s private one, or nowhere (memory). */
export function persistenceOf(options: StateOptions, cwd = process.cwd()): Persistence | undefined {
  checkStateOptions(options);
  if (options.persist) return fileStore(persistedFile(cwd), { mode: 0o600 });
  return options.dataFile === undefined ? undefined : fileStore(options.dataFile);
}

/** `.sandbox/state.json` under `cwd`: its folder made private (0700) and ignored by git. */
function persistedFile(cwd: string): string {
  const dir = resolve(cwd, persistDir);
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  // Ignored wherever it is made, even in a project whose .gitignore does not list it.
  const ignore = join(dir, ".gitignore");
  if (!existsSync(ignore)) writeFileSync(ignore, "*\n", { mode: 0o600 });
  return join(dir, "state.json");
}
