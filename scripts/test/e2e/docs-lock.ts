// A lock across vitest's worker processes for dist/docs: the browser test and the `pnpm start` test
// both rebuild it, and must not do so while the other one serves it.
import { mkdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { setTimeout as sleep } from "node:timers/promises";
import { repoRoot } from "../../lib/apis.js";
import { isAlive } from "./processes.js";

const lockDir = join(repoRoot, "dist/.docs-test.lock");

/** Waits for the lock and returns its release function. A lock whose holder has died is taken over. */
export async function lockDocs(timeoutMs = 240_000): Promise<() => void> {
  mkdirSync(join(repoRoot, "dist"), { recursive: true });
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    try {
      mkdirSync(lockDir);
      writeFileSync(join(lockDir, "pid"), String(process.pid));
      return () => rmSync(lockDir, { recursive: true, force: true });
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== "EEXIST") throw error;
    }
    const holder = Number(readOr(join(lockDir, "pid"), ""));
    if (holder > 0 && !isAlive(holder)) {
      rmSync(lockDir, { recursive: true, force: true });
      continue;
    }
    if (Date.now() > deadline)
      throw new Error(`dist/docs stayed locked by process ${holder} for ${timeoutMs} ms (${lockDir})`);
    await sleep(250);
  }
}

function readOr(file: string, fallback: string): string {
  try {
    return readFileSync(file, "utf8");
  } catch {
    return fallback;
  }
}
