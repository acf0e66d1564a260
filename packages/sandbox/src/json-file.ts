// A JSON file named on the command line (`--faults`, `--spec`), read as data: a regular file of at
// most `maxBytes` (read to its end, so one that grows is held to the limit too), strict UTF-8,
// nested no deeper than `maxDepth` (checked on the text, before JSON.parse builds it), strict JSON.
import { closeSync, fstatSync, openSync, readSync } from "node:fs";
import { nestsDeeperThan } from "./limits.js";

export interface JsonFileLimits {
  maxBytes: number;
  maxDepth: number;
}

/** A file the sandbox refuses to read, its message naming the file (and the flag, where one is given). */
export class JsonFileError extends Error {}

/** The parsed content of `file`; `label` starts every message (`--faults relay-cdm=faults.json`). */
export function readJsonFile(file: string, limits: JsonFileLimits, label = file): unknown {
  const fail = (problem: string): never => {
    throw new JsonFileError(`${label}: ${problem}`);
  };
  let text: string;
  try {
    text = new TextDecoder("utf-8", { fatal: true }).decode(readBounded(file, limits.maxBytes, fail));
  } catch (error) {
    if (error instanceof JsonFileError) throw error;
    return fail("not UTF-8 text");
  }
  if (nestsDeeperThan(text, limits.maxDepth))
    fail(`nests arrays and objects deeper than the limit of ${limits.maxDepth} levels`);
  try {
    return JSON.parse(text) as unknown;
  } catch (error) {
    return fail(`not valid JSON (${error instanceof Error ? error.message : String(error)})`);
  }
}

function readBounded(file: string, maxBytes: number, fail: (problem: string) => never): Buffer {
  let fd: number;
  try {
    fd = openSync(file, "r");
  } catch (error) {
    return fail(`cannot be read (${(error as NodeJS.ErrnoException).code ?? "error"})`);
  }
  try {
    const stat = fstatSync(fd);
    if (!stat.isFile()) fail("not a regular file");
    const tooLarge = () => fail(`larger than the limit of ${maxBytes} bytes`);
    if (stat.size > maxBytes) tooLarge();
    const chunks: Buffer[] = [];
    let size = 0;
    for (;;) {
      const chunk = Buffer.allocUnsafe(Math.min(maxBytes + 1, 1024 * 1024));
      const read = readSync(fd, chunk, 0, chunk.length, null);
      if (read === 0) break;
      size += read;
      if (size > maxBytes) tooLarge();
      chunks.push(chunk.subarray(0, read));
    }
    return Buffer.concat(chunks, size);
  } finally {
    closeSync(fd);
  }
}
