// Keeps the sandbox's state in a JSON file. Every change is written to a temporary file beside the
// data file, flushed to the disk (fsync), then renamed over it (rename is atomic) and the folder
// flushed too: a crash leaves either the old or the new state on disk, never half of one, and a
// save returns only once the new state is on the disk. A symbolic link stays one: the file it points
// to is the one replaced. A data file that cannot be read stops start-up and is left as it was.
import {
  closeSync,
  existsSync,
  fsyncSync,
  lstatSync,
  openSync,
  readFileSync,
  readlinkSync,
  renameSync,
  rmSync,
  statSync,
  writeFileSync,
} from "node:fs";
import { dirname, resolve } from "node:path";
import { checkState, StateShapeError } from "./state-shape.js";
import { type KeptState, type Persistence, SandboxDataError } from "./store.js";

export interface FileStoreOptions {
  /** The permissions of a data file the store creates (before the umask; default 0o666). An existing file keeps its own. */
  mode?: number;
}

export function fileStore(file: string, { mode = 0o666 }: FileStoreOptions = {}): Persistence {
  return {
    load: () => (existsSync(file) ? readDataFile(file) : undefined),
    save: (text) => writeAtomically(linkTarget(file), `${text}\n`, mode),
  };
}

function readDataFile(file: string): KeptState {
  const fail = (reason: string): never => {
    throw new SandboxDataError(
      `--data ${file}: ${reason}. The file was left untouched; fix it, or move it away to start empty.`,
    );
  };
  let parsed: unknown;
  try {
    parsed = JSON.parse(readFileSync(file, "utf8"));
  } catch (error) {
    return fail(`not valid JSON (${error instanceof Error ? error.message : String(error)})`);
  }
  try {
    return checkState(parsed);
  } catch (error) {
    if (error instanceof StateShapeError) return fail(error.message);
    throw error;
  }
}

/** The file a path finally names, following symbolic links (the path itself when it does not exist). */
function linkTarget(file: string): string {
  let target = file;
  for (let hops = 0; hops <= 40; hops++) {
    let isLink: boolean;
    try {
      isLink = lstatSync(target).isSymbolicLink();
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === "ENOENT") return target;
      throw error;
    }
    if (!isLink) return target;
    target = resolve(dirname(target), readlinkSync(target));
  }
  throw new Error(`--data ${file}: more than 40 symbolic links to follow`);
}

function writeAtomically(file: string, text: string, newFileMode: number): void {
  const temp = `${file}.${process.pid}.tmp`;
  // The new file keeps the old one's permissions (it may hold credentials someone made private).
  const mode = existsSync(file) ? statSync(file).mode & 0o777 : newFileMode;
  try {
    const fd = openSync(temp, "w", mode);
    try {
      writeFileSync(fd, text);
      fsyncSync(fd);
    } finally {
      closeSync(fd);
    }
    renameSync(temp, file);
  } catch (error) {
    rmSync(temp, { force: true });
    throw error;
  }
  flushFolder(dirname(file));
}

/**
 * Makes the rename itself survive a power loss (POSIX). Best effort: the new state is already in
 * place, so a folder that cannot be flushed (Windows cannot open one) must not fail the save.
 */
function flushFolder(folder: string): void {
  if (process.platform === "win32") return;
  try {
    const fd = openSync(folder, "r");
    try {
      fsyncSync(fd);
    } finally {
      closeSync(fd);
    }
  } catch {
    // The rename stands; only its durability across a power loss is not confirmed.
  }
}
