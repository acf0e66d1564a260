// The sandbox's --data file under a crash: a sandbox in a child process takes concurrent writes
// over HTTP, is killed with SIGKILL partway, and is started again on the same file. Every write it
// acknowledged (2xx) must be there: a write is acknowledged only once it is on the disk.
import { type ChildProcess, spawn } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { bundleDir, repoRoot } from "@cx-openapi/devkit/repo";

const childScript = join(repoRoot, "packages/sandbox/test/e2e/durable-child.ts");
const writes = 1000;
const sockets = 50;
const killAfter = 200;

const children: ChildProcess[] = [];
const dirs: string[] = [];
afterEach(() => {
  for (const child of children.splice(0))
    if (child.exitCode === null && child.signalCode === null) child.kill("SIGKILL");
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

/** Starts the sandbox on the data file; resolves with its Relay URL once it listens (10 s deadline). */
function startSandbox(dataFile: string): Promise<{ child: ChildProcess; relayUrl: string }> {
  const child = spawn(process.execPath, ["--import", "tsx", childScript, dataFile, bundleDir], {
    cwd: repoRoot,
    stdio: ["ignore", "pipe", "pipe"],
  });
  children.push(child);
  return new Promise((resolve, reject) => {
    let output = "";
    const timer = setTimeout(() => reject(new Error(`the sandbox did not start within 10 s:\n${output}`)), 10_000);
    const fail = (why: string) => {
      clearTimeout(timer);
      reject(new Error(`${why}:\n${output}`));
    };
    child.stderr!.on("data", (chunk: Buffer) => {
      output += chunk.toString();
    });
    child.stdout!.on("data", (chunk: Buffer) => {
      output += chunk.toString();
      const line = /^\{.*\}$/m.exec(output)?.[0];
      if (!line) return;
      clearTimeout(timer);
      resolve({ child, relayUrl: (JSON.parse(line) as Record<string, string>)["relay-cdm"]! });
    });
    child.once("exit", (code, signal) => fail(`the sandbox exited (${code ?? signal}) before listening`));
  });
}

/** Resolves once the child has exited (5 s deadline). */
function exited(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error("the sandbox did not exit within 5 s")), 5_000);
    child.once("exit", () => {
      clearTimeout(timer);
      resolve();
    });
  });
}

/** Runs `task` on every item, at most `limit` at a time; stops taking new items once `stop()` is true. */
async function pool<T>(items: T[], limit: number, task: (item: T) => Promise<void>, stop = () => false) {
  let next = 0;
  const worker = async () => {
    while (next < items.length && !stop()) await task(items[next++]!);
  };
  await Promise.all(Array.from({ length: limit }, worker));
}

const headers = { "xx-relay-api-key": "k", "content-type": "application/json" };

describe("sandbox --data under a crash", () => {
  it("every write acknowledged before a SIGKILL is there after a restart", async () => {
    const dir = mkdtempSync(join(tmpdir(), "cx-sandbox-crash-"));
    dirs.push(dir);
    const dataFile = join(dir, "state.json");
    const first = await startSandbox(dataFile);

    const ccids = Array.from({ length: writes }, (_, i) => `CRASH-${String(i).padStart(4, "0")}`);
    const acknowledged: string[] = [];
    let killed = false;
    let refusal: string | undefined;
    const started = performance.now();
    await pool(
      ccids,
      sockets,
      async (ccid) => {
        try {
          const response = await fetch(`${first.relayUrl}/cdm/client/crash/onboard`, {
            method: "POST",
            headers,
            body: JSON.stringify({ product_group_id: "default", customer: { ccid, first_name: "Ada" } }),
            signal: AbortSignal.timeout(5_000),
          });
          const text = await response.text();
          if (response.ok) acknowledged.push(ccid);
          else refusal ??= `${response.status} ${text}`;
        } catch {
          return; // cut off by the kill: not acknowledged
        }
        if (acknowledged.length >= killAfter && !killed) {
          killed = true;
          first.child.kill("SIGKILL");
        }
      },
      () => killed,
    );
    const writing = performance.now() - started;
    expect(killed, `only ${acknowledged.length} writes were acknowledged; one answer: ${refusal}`).toBe(true);
    await exited(first.child);
    expect(first.child.signalCode).toBe("SIGKILL");
    expect(acknowledged.length).toBeGreaterThanOrEqual(killAfter);

    const second = await startSandbox(dataFile);
    const missing: string[] = [];
    await pool(acknowledged, sockets, async (ccid) => {
      const response = await fetch(`${second.relayUrl}/cdm/client/crash/customer/${ccid}`, {
        headers,
        signal: AbortSignal.timeout(5_000),
      });
      await response.arrayBuffer();
      if (response.status !== 200) missing.push(ccid);
    });
    second.child.kill("SIGKILL");
    await exited(second.child);
    console.log(
      `${acknowledged.length} writes acknowledged in ${writing.toFixed(0)} ms ` +
        `(${(writing / acknowledged.length).toFixed(2)} ms each, ${sockets} sockets) before the SIGKILL; ${missing.length} missing after the restart`,
    );
    expect(missing).toEqual([]);
  });
});
