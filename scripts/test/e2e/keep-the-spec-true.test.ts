// docs/keep-the-spec-true.md, run as a reader runs it: every shell line of the guide, word for word,
// in order, in a folder of its own, against the rehearsal vendor. The only change is the ports: each
// port the guide names (4090, 4030, 4010, 4011) becomes a free one, as in the README test. A line that
// starts a server (drift:vendor, proxy, sandbox) runs in a terminal of its own: it is started, waited
// for, and stopped with Ctrl-C before the next command that is not a curl line, unless the guide says
// to leave it running. Then what each step left is checked: the evidence shows every deviation of
// the vendor, the overlay widens all but what it asks a reviewer, the patched spec leaves only those
// questions, no file holds a personal value or the key, and the sandbox replays the recordings.
import { type ChildProcess, execFile, spawn } from "node:child_process";
import { mkdirSync, mkdtempSync, writeFileSync, readdirSync, readFileSync, rmSync } from "node:fs";
import { delimiter, join } from "node:path";
import { promisify } from "node:util";
import {
  descendants,
  errorLine,
  isAlive,
  personalValues,
  pnpmCommand,
  vendorDeviations,
  waitFor,
} from "@cx-openapi/devkit/testing";
import { freePort } from "@cx-openapi/spec";
import { type EvidenceRecord, parseEvidenceRecord } from "@cx-openapi/spec/drift";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { parse } from "yaml";
import { repoRoot } from "../../lib/apis.js";
import { shellQuote } from "../../lib/curl-samples.js";
import { cleanEnv } from "../../lib/process.js";
import { shellLines, type ShellLine } from "../contract/readme-shell-lines.js";

const run = promisify(execFile);
const guide = "docs/keep-the-spec-true.md";
const guidePorts = [4090, 4030, 4010, 4011];
const servers = /^pnpm (drift:vendor|proxy|sandbox)\b/;

interface Server {
  line: ShellLine;
  child: ChildProcess;
  output: string;
  /** The Prism processes below it once it was up. */
  prisms?: number;
  /** What it printed after Ctrl-C. */
  stopped?: string;
}

/**
 * `pnpm` on the PATH as the pnpm running this test, started directly: the same pnpm the guide's
 * reader has, without corepack looking its version up again for each of the guide's commands.
 */
function withThisPnpm(folder: string, env: NodeJS.ProcessEnv): NodeJS.ProcessEnv {
  const [node, [pnpm]] = pnpmCommand([]);
  if (pnpm === undefined) return env;
  const bin = join(folder, ".bin");
  mkdirSync(bin);
  writeFileSync(join(bin, "pnpm"), `#!/bin/sh\nexec ${shellQuote(node)} ${shellQuote(pnpm)} "$@"\n`, { mode: 0o755 });
  return { ...env, PATH: `${bin}${delimiter}${env.PATH ?? ""}` };
}

/** Runs the guide's lines; what each left is in `folder` and `ran`. */
class Reader {
  readonly folder = mkdtempSync(join(repoRoot, "node_modules/.cache/keep-the-spec-true-"));
  readonly running: Server[] = [];
  /** Every server the guide started, stopped or not. */
  readonly started: Server[] = [];
  readonly ran: { line: ShellLine; code: number; output: string }[] = [];
  ports = new Map<number, number>();
  readonly env = withThisPnpm(this.folder, cleanEnv({ NO_PROXY: "*", no_proxy: "*" }));

  text(line: ShellLine): string {
    return line.text.replace(/(?<=[:\s])(\d{4})(?=[/\s]|$)/g, (port) => String(this.ports.get(Number(port)) ?? port));
  }

  async start(line: ShellLine): Promise<void> {
    const child = spawn("sh", ["-c", this.text(line)], {
      cwd: this.folder,
      env: this.env,
      detached: true,
      stdio: ["ignore", "pipe", "pipe"],
    });
    const server: Server = { line, child, output: "" };
    const collect = (chunk: Buffer) => (server.output += chunk.toString());
    child.stdout!.on("data", collect);
    child.stderr!.on("data", collect);
    this.running.push(server);
    this.started.push(server);
    const ready = () => server.output.includes("Press Ctrl-C") || child.exitCode !== null;
    await waitFor(`${line.doc}:${line.at} to start`, ready, 60_000, () => server.output);
    if (child.exitCode !== null) throw new Error(`${line.doc}:${line.at} did not start:\n${server.output}`);
    server.prisms = descendants(child.pid!).filter((p) => /prism/.test(p.args)).length;
  }

  /** Ctrl-C to each server a later command needs stopped (all, at the end), as a terminal sends it. */
  async stop(all = false): Promise<void> {
    for (const server of [...this.running]) {
      if (!all && /leave it running/.test(server.line.comment)) continue;
      this.running.splice(this.running.indexOf(server), 1);
      await this.interrupt(server);
    }
  }

  /**
   * SIGINT to the server's process group. sh ends at once; the command goes on stopping (writing
   * its files), so the stop is over when every process of the group has exited and its output
   * closed. It must say it stopped on the signal, with no error line.
   */
  async interrupt(server: Server): Promise<void> {
    const group = descendants(server.child.pid!);
    const closed = new Promise((resolve) => server.child.once("close", resolve));
    const before = server.output.length;
    process.kill(-server.child.pid!, "SIGINT");
    const output = () => server.output;
    await waitFor(`${server.line.text} to stop`, () => group.every((p) => !isAlive(p.pid)), 30_000, output);
    await closed;
    server.stopped = server.output.slice(before);
  }

  async command(line: ShellLine): Promise<void> {
    if (!/(^|[\s;])curl\s/.test(line.text)) await this.stop();
    const result = await run("sh", ["-c", this.text(line)], { cwd: this.folder, env: this.env, timeout: 60_000 }).then(
      ({ stdout, stderr }) => ({ code: 0, output: stdout + stderr }),
      (error: { code?: number; stdout?: string; stderr?: string }) => ({
        code: error.code ?? 1,
        output: `${error.stdout}${error.stderr}`,
      }),
    );
    this.ran.push({ line, ...result });
  }

  read(path: string): string {
    return readFileSync(join(this.folder, path), "utf8");
  }

  evidence(path: string): EvidenceRecord[] {
    return this.read(path)
      .trim()
      .split("\n")
      .map((l) => parseEvidenceRecord(JSON.parse(l)));
  }

  /** Every file the steps wrote, but the patched bundle (which holds the spec's own examples). */
  writtenText(): string {
    const files = readdirSync(this.folder, { recursive: true, withFileTypes: true }).filter(
      (f) => f.isFile() && f.name !== "patched.json" && f.name !== "pnpm",
    );
    return files.map((f) => readFileSync(join(f.parentPath, f.name), "utf8")).join("\n");
  }
}

const reader = new Reader();
const lines = shellLines(repoRoot, [guide]);

beforeAll(async () => {
  for (const port of guidePorts) reader.ports.set(port, await freePort());
  // Servers in a row start side by side, as in terminals of their own; a command waits for them.
  let starting: Promise<void>[] = [];
  for (const line of lines) {
    if (servers.test(line.text)) {
      const started = reader.start(line);
      started.catch(() => {}); // awaited below, with the next command
      starting.push(started);
    } else {
      await Promise.all(starting);
      starting = [];
      await reader.command(line);
    }
  }
  await Promise.all(starting);
}, 150_000);

afterAll(async () => {
  await reader.stop(true);
  rmSync(reader.folder, { recursive: true, force: true });
});

describe("the guide to keeping the spec true, run word for word", () => {
  it("runs every command, each exiting 0", () => {
    expect(lines.length).toBeGreaterThan(10);
    expect(reader.ran.filter((r) => r.code !== 0).map((r) => `${r.line.at}: ${r.line.text}\n${r.output}`)).toEqual([]);
  });

  it("stops each server on Ctrl-C, cleanly; each proxy ran one Prism and printed its summary", () => {
    const stopped = reader.started.filter((server) => server.stopped !== undefined);
    expect(stopped.map((server) => server.line.text.split(" ").slice(0, 2).join(" "))).toEqual([
      "pnpm proxy",
      "pnpm proxy",
    ]);
    for (const server of stopped) {
      expect(server.stopped).toContain("SIGINT: stopping");
      expect(server.stopped).not.toMatch(errorLine);
      expect(server.prisms).toBe(1);
      expect(server.stopped).toMatch(/\d+ of \d+ exchanges broke the spec/);
    }
  });

  it("collects evidence of every deviation the vendor makes", () => {
    const found = reader
      .evidence("drift-proxy.jsonl")
      .flatMap((r) => (r.kind === "deviation" ? [`${r.operationId} ${r.status} ${r.rule} ${r.pointer}`] : []));
    const made = vendorDeviations("relay-cdm").map((d) => `${d.operationId} ${d.status} ${d.rule} ${d.pointer}`);
    expect(new Set(found)).toEqual(new Set(made));
  });

  it("proposes an overlay that widens every deviation but the personal ones, which it asks about", () => {
    const overlay = parse(reader.read("proposal.yaml"));
    expect(overlay).toMatchObject({ overlay: "1.0.0", "x-evidence-files": ["drift-proxy.jsonl"] });
    expect(overlay.actions.length).toBeGreaterThanOrEqual(6);
    for (const action of overlay.actions)
      expect(action).toMatchObject({
        "x-evidence": expect.any(Array),
        "x-source": expect.stringMatching(/^openapi\/relay-cdm\//),
      });
    expect(overlay["x-review"].map((item: { pointer: string }) => item.pointer)).toEqual(["/ssn_last4"]);
  });

  it("leaves, on the patched spec, only the deviations the overlay asks a reviewer about", () => {
    const left = reader.evidence("drift-after.jsonl").flatMap((r) => (r.kind === "deviation" ? [r.pointer] : []));
    expect(left).toEqual(["/ssn_last4"]);
    // What the guide shows the second proxy print when stopped.
    const check = reader.started.filter((server) => server.line.text.includes("--spec patched.json"));
    expect(check[0]?.stopped).toContain("4 of 8 exchanges broke the spec");
    expect(check[0]?.stopped).toContain("\n  getCustomer: response maxLength ×4\n");
  });

  it("writes no personal value and no key in the evidence, the overlay, the recordings or the seed", () => {
    const sent = ["Roger", "Moore", "1954-12-01", "BAK-11984-007", "6105551212"];
    const written = reader.writtenText();
    for (const value of [...personalValues, ...sent, "rehearsal"]) expect(written).not.toContain(value);
  });

  it("replays the recordings in the sandbox on the patched spec: the vendor's records and its failure rates", async () => {
    const sandbox = `http://127.0.0.1:${reader.ports.get(4010)}`;
    // The newest view of the person wins: the traffic loads them last.
    const loaded = JSON.parse(reader.read("recordings/loadCustomerRecord/0001-200.json")).request.body.customer;
    const customer = `${sandbox}/cdm/client/relay_developer/customer/${encodeURIComponent(loaded.ccid)}`;
    const headers = { "xx-relay-api-key": "sandbox-key" };
    // Side by side: each waits out its recorded latency.
    const answers = await Promise.all(
      Array.from({ length: 40 }, async () => {
        const response = await fetch(customer, { headers });
        return {
          status: response.status,
          retryAfter: response.headers.get("retry-after"),
          body: await response.json(),
        };
      }),
    );
    expect(answers.find((a) => a.status === 200)?.body).toMatchObject(loaded);
    expect(answers.filter((a) => a.status === 503).map((a) => a.retryAfter)).toContain("2");
    const faults = await (await fetch(`${sandbox}/__sandbox/faults`)).json();
    expect(faults).toEqual(JSON.parse(reader.read("recordings/faults.json")));
    const remove = await fetch(`${customer}/remove_phone/6105551212`, { method: "PUT", headers });
    expect(remove.status).toBe(422);
  });
});
