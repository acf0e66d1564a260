// Keeps the sandbox's state in a JSON file. Every change is written to a temporary file that then
// replaces the data file (rename is atomic), so a crash leaves either the old or the new state on
// disk, never half of one. A data file that cannot be read stops start-up and is left as it was.
import { closeSync, existsSync, fsyncSync, openSync, readFileSync, renameSync, writeSync } from "node:fs";
import type { SandboxState } from "./state.js";
import { SandboxDataError, type Persistence } from "./store.js";

export function fileStore(file: string): Persistence {
  return {
    load: () => (existsSync(file) ? readDataFile(file) : undefined),
    save: (state) => writeAtomically(file, `${JSON.stringify(state, null, 1)}\n`),
  };
}

function readDataFile(file: string): SandboxState {
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
  const state = parsed as Partial<SandboxState> | null;
  if (typeof state !== "object" || state === null || Array.isArray(state)) return fail("not a JSON object");
  if (state.version !== 1)
    return fail(`unknown "version" ${JSON.stringify(state.version)} (this sandbox writes version 1)`);
  const isRecord = (v: unknown) => typeof v === "object" && v !== null && !Array.isArray(v);
  if (!isRecord(state.relayCdm) || !isRecord(state.relayCdm?.clients))
    return fail(`"relayCdm.clients" is missing or not an object`);
  const hii = state.hiirelevate;
  if (!isRecord(hii) || !isRecord(hii?.tenants) || !Array.isArray(hii?.clients) || !isRecord(hii?.tokens)) {
    return fail(`"hiirelevate" needs "tenants" and "tokens" objects and a "clients" list`);
  }
  return state as SandboxState;
}

function writeAtomically(file: string, text: string): void {
  const temp = `${file}.${process.pid}.tmp`;
  const fd = openSync(temp, "w");
  try {
    writeSync(fd, text);
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
  renameSync(temp, file);
}
