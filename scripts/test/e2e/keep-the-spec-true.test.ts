// docs/keep-the-spec-true.md, run as a reader runs it: every shell line of the guide, word for word,
// in order, in a folder of its own, against the rehearsal vendor. The only change is the ports: each
// port the guide names (4090, 4030, 4010, 4011) becomes a free one, as in the README test. A line that
// starts a server (drift:vendor, proxy, sandbox) runs in a terminal of its own: it is started, waited
// for, and stopped with Ctrl-C before the next command that is not a curl line, unless the guide says
// to leave it running. Then what each step left is checked: the evidence shows every deviation of
// the vendor, the overlay widens all but what it asks a reviewer, the patched spec leaves only those
// questions, no file holds a personal value or the key, and the sandbox replays the recordings.
import { type ChildProcess, execFile, spawn } from "node:child_process";
import { mkdtempSync, readdirSync, readFileSync, rmSync } from "node:fs";
import { createServer } from "node:net";
import { join } from "node:path";
import { promisify } from "node:util";
import { personalValues, vendorDeviations } from "@cx-openapi/devkit/testing";
import { type EvidenceRecord, parseEvidenceRecord } from "@cx-openapi/spec/drift";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { parse } from "yaml";
import { repoRoot } from "../../lib/apis.js";
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
}

/** A port nothing listens on now. */
async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as { port: number };
  await new Promise((resolve) => server.close(resolve));
  return port;
}

/** Runs the guide's lines; what each left is in `folder` and `ran`. */
class Reader {
  readonly folder = mkdtempSync(join(repoRoot, "node_modules/.cache/keep-the-spec-true-"));
  readonly running: Server[] = [];
  readonly ran: { line: ShellLine; code: number; output: string }[] = [];
  ports = new Map<number, number>();
  readonly env = cleanEnv({ NO_PROXY: "*", no_proxy: "*" });

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
    const deadline = Date.now() + 60_000;
    while (!server.output.includes("Press Ctrl-C")) {
      if (child.exitCode !== null || Date.now() > deadline)
        throw new Error(`${line.doc}:${line.at} did not start:\n${server.output}`);
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
  }

  /** Ctrl-C to each server a later command needs stopped (all, at the end). */
  async stop(all = false): Promise<void> {
    for (const server of [...this.running]) {
      if (!all && /leave it running/.test(server.line.comment)) continue;
      this.running.splice(this.running.indexOf(server), 1);
      if (server.child.exitCode !== null) continue;
      const exited = new Promise((resolve) => server.child.once("exit", resolve));
      process.kill(-server.child.pid!, "SIGINT");
      const timer = setTimeout(() => process.kill(-server.child.pid!, "SIGKILL"), 20_000);
      await exited;
      clearTimeout(timer);
    }
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
      (f) => f.isFile() && f.name !== "patched.json",
    );
    return files.map((f) => readFileSync(join(f.parentPath, f.name), "utf8")).join("\n");
  }
}

const reader = new Reader();
const lines = shellLines(repoRoot, [guide]);

beforeAll(async () => {
  for (const port of guidePorts) reader.ports.set(port, await freePort());
  for (const line of lines) await (servers.test(line.text) ? reader.start(line) : reader.command(line));
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
    const answers = [];
    for (let i = 0; i < 40; i++) {
      const response = await fetch(customer, { headers });
      answers.push({
        status: response.status,
        retryAfter: response.headers.get("retry-after"),
        body: await response.json(),
      });
    }
    expect(answers.find((a) => a.status === 200)?.body).toMatchObject(loaded);
    expect(answers.filter((a) => a.status === 503).map((a) => a.retryAfter)).toContain("2");
    const faults = await (await fetch(`${sandbox}/__sandbox/faults`)).json();
    expect(faults).toEqual(JSON.parse(reader.read("recordings/faults.json")));
    const remove = await fetch(`${customer}/remove_phone/6105551212`, { method: "PUT", headers });
    expect(remove.status).toBe(422);
  });
});
