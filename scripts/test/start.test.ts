// `pnpm start` end to end: builds the docs, serves them and every mock on the ports it is given,
// prints the URLs, and on SIGTERM stops everything it started: no Prism process is left behind.
// It runs with --skip-gen: rewriting dist/openapi during the test run would make the Prism mocks of
// vitest's global setup, which watch those files, restart under the other tests' feet. Bundling and
// generation are covered by `pnpm gen:check`, the docs build by the browser test.
import { spawn, spawnSync, type ChildProcess } from "node:child_process";
import { get } from "node:http";
import { setTimeout as sleep } from "node:timers/promises";
import { afterAll, describe, expect, it } from "vitest";
import { freePort, loadApis, repoRoot } from "@cx-openapi/devkit";
import { isAlive, lockDocs } from "./docs-lock.js";

interface ProcessInfo {
  pid: number;
  ppid: number;
  args: string;
}

/** Every process below `root` (children, grandchildren...), from `ps`. */
function descendants(root: number): ProcessInfo[] {
  const ps = spawnSync("ps", ["-A", "-o", "pid=,ppid=,args="], { encoding: "utf8" });
  const all = ps.stdout
    .split("\n")
    .map((line) => /^\s*(\d+)\s+(\d+)\s+(.*)$/.exec(line))
    .flatMap((m) => (m ? [{ pid: Number(m[1]), ppid: Number(m[2]), args: m[3] ?? "" }] : []));
  const found: ProcessInfo[] = [];
  const queue = [root];
  while (queue.length) {
    const parent = queue.shift()!;
    for (const p of all.filter((candidate) => candidate.ppid === parent)) {
      found.push(p);
      queue.push(p.pid);
    }
  }
  return found;
}

function exited(child: ChildProcess): Promise<{ code: number | null; signal: NodeJS.Signals | null }> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve({ code: child.exitCode, signal: child.signalCode });
  return new Promise((resolve) => child.once("exit", (code, signal) => resolve({ code, signal })));
}

async function waitFor(what: string, condition: () => boolean, timeoutMs: number, output: () => string): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`Timed out after ${timeoutMs} ms waiting for ${what}. Output so far:\n${output()}`);
    await sleep(100);
  }
}

/** The status of a GET whose path is sent exactly as written. */
function rawStatus(port: number, path: string): Promise<number> {
  return new Promise((resolve, reject) => {
    get({ host: "127.0.0.1", port, path }, (response) => {
      response.resume();
      resolve(response.statusCode ?? 0);
    }).on("error", reject);
  });
}

const apis = loadApis();
let child: ChildProcess | undefined;
let release: (() => void) | undefined;

afterAll(async () => {
  // Only if the test failed half-way: never leave the command or its mocks running.
  if (child && child.exitCode === null && child.signalCode === null) {
    const left = descendants(child.pid!);
    child.kill("SIGKILL");
    for (const p of left) if (isAlive(p.pid)) process.kill(p.pid, "SIGKILL");
  }
  release?.();
});

describe("pnpm start", () => {
  it("serves the docs and every mock, prints their URLs, and stops them all on SIGTERM", async () => {
    release = await lockDocs();
    const docsPort = await freePort();
    const mockPorts = new Map<string, number>();
    for (const api of apis) mockPorts.set(api.name, await freePort());
    const args = ["--import", "tsx", "scripts/start.ts", "--skip-gen", "--docs-port", String(docsPort)];
    for (const [name, port] of mockPorts) args.push(`--${name}-port`, String(port));

    const started = performance.now();
    child = spawn(process.execPath, args, { cwd: repoRoot, stdio: ["ignore", "pipe", "pipe"] });
    let output = "";
    child.stdout!.on("data", (chunk: Buffer) => (output += chunk.toString()));
    child.stderr!.on("data", (chunk: Buffer) => (output += chunk.toString()));
    const running = child;
    await waitFor("the URLs", () => output.includes("Press Ctrl-C to stop.") || running.exitCode !== null, 180_000, () => output);
    expect(running.exitCode, output).toBeNull();
    console.log(`pnpm start was up after ${((performance.now() - started) / 1000).toFixed(1)} s`);

    // The three URLs are printed.
    const docsUrl = `http://127.0.0.1:${docsPort}`;
    expect(output).toContain(`${docsUrl}/`);
    for (const port of mockPorts.values()) expect(output).toContain(`http://127.0.0.1:${port}`);

    // The docs: the index links every API page and shows the mock URLs of this run; a page, a
    // download and a path that tries to leave dist/docs.
    const index = await fetch(`${docsUrl}/`);
    expect(index.status).toBe(200);
    expect(index.headers.get("content-type")).toBe("text/html; charset=utf-8");
    const html = await index.text();
    for (const api of apis) {
      expect(html).toContain(`href="${api.name}.html"`);
      expect(html).toContain(`http://127.0.0.1:${mockPorts.get(api.name)}`);
      const page = await fetch(`${docsUrl}/${api.name}.html`);
      expect(page.status).toBe(200);
      await page.body?.cancel();
      const spec = await fetch(`${docsUrl}/openapi/${api.name}.json`);
      expect(spec.headers.get("content-type")).toBe("application/json; charset=utf-8");
      expect(((await spec.json()) as { openapi: string }).openapi).toMatch(/^3\.1\./);
    }
    // fetch() would normalise these paths; node:http sends them as they are.
    for (const path of ["/../package.json", "/%2e%2e/package.json", "/..%2fpackage.json", "/openapi/..%2f..%2fpackage.json"]) {
      expect(await rawStatus(docsPort, path), path).toBe(400);
    }
    expect((await fetch(`${docsUrl}/nothing-here.html`)).status).toBe(404);
    expect((await fetch(`${docsUrl}/`, { method: "POST" })).status).toBe(405);

    // The mocks answer.
    const relay = await fetch(`http://127.0.0.1:${mockPorts.get("relay-cdm")}/cdm/client/relay_developer/customer/BAK-11984-007`, {
      headers: { "xx-relay-api-key": "test-key" },
    });
    expect(relay.status).toBe(200);
    expect(((await relay.json()) as { ccid?: string }).ccid).toBe("BAK-11984-007");
    const health = await fetch(`http://127.0.0.1:${mockPorts.get("hiirelevate")}/health`);
    expect(health.status).toBe(200);

    // One Prism per API runs below the command...
    const prisms = descendants(running.pid!).filter((p) => p.args.includes("prism"));
    expect(prisms).toHaveLength(apis.length);
    const everything = descendants(running.pid!);

    // ...and SIGTERM stops them, the docs server and the command itself.
    running.kill("SIGTERM");
    const exit = await Promise.race([exited(running), sleep(30_000).then(() => undefined)]);
    expect(exit, `pnpm start did not exit within 30 s of SIGTERM:\n${output}`).toEqual({ code: 0, signal: null });
    await waitFor("every child process to exit", () => everything.every((p) => !isAlive(p.pid)), 10_000, () => output);
    expect(descendants(running.pid!)).toEqual([]);
    expect(output).toContain("SIGTERM: stopping");
    await expect(fetch(`${docsUrl}/`)).rejects.toThrow();
    for (const port of mockPorts.values()) await expect(fetch(`http://127.0.0.1:${port}/`)).rejects.toThrow();
  }, 300_000);
});
