// `pnpm sandbox` (here with the in-process gate, so without Prism) and `pnpm proxy` started as a
// user does, and stopped the two ways a user stops a command: SIGTERM of pnpm, and Ctrl-C (SIGINT
// to the process group), after which the proxy prints its summary. Each exits 0 with no error line
// and leaves nothing behind. The other long-running commands are stopped in their own tests:
// `pnpm start` on Ctrl-C (start.test.ts), `pnpm mock` on Ctrl-C (docs-samples.test.ts, after its
// samples ran against it). All stop through stopOnSignal (scripts/lib/cli.ts), whose SIGTERM path
// the sandbox case takes.
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { loadApis } from "../../lib/apis.js";
import { freePort } from "@cx-openapi/spec";
import { descendants, expectCleanStop, killTree, startReady, type Started } from "./processes.js";

const apis = loadApis();
const started: Started[] = [];
const scratch = mkdtempSync(join(tmpdir(), "cx-openapi-long-running-"));
afterAll(() => {
  for (const command of started) killTree(command.child);
  rmSync(scratch, { recursive: true, force: true });
});

const prismsBelow = (command: Started) =>
  descendants(command.child.pid!).filter((p) => p.args.includes("prism")).length;

// Side by side: each mostly waits for its command to start.
describe.concurrent("long-running commands", () => {
  it("pnpm sandbox serves every API, and stops on SIGTERM of pnpm with exit 0 and no error line", async () => {
    const urls: string[] = [];
    const args = ["sandbox", "--gate", "in-process"];
    for (const api of apis) {
      const port = await freePort();
      urls.push(`http://127.0.0.1:${port}`);
      args.push(`--${api.name}-port`, String(port));
    }
    const command = await startReady(args);
    started.push(command);
    for (const url of urls) expect(command.output()).toContain(url);
    expect(prismsBelow(command)).toBe(0);
    await expectCleanStop(command, "SIGTERM");
    for (const url of urls) await expect(fetch(url)).rejects.toThrow();
  });

  it("pnpm proxy runs one Prism proxy, and on Ctrl-C prints its summary and exits 0 with no error line", async () => {
    const port = await freePort();
    // Nothing listens at the target: no request is sent, only the start and the stop are tested.
    const target = `http://127.0.0.1:${await freePort()}`;
    const report = join(scratch, "proxy-report.jsonl");
    const command = await startReady([
      "proxy",
      "--api",
      "relay-cdm",
      "--target",
      target,
      "--port",
      String(port),
      "--report",
      report,
    ]);
    started.push(command);
    expect(command.output()).toContain(`http://127.0.0.1:${port}`);
    expect(prismsBelow(command)).toBe(1);
    await expectCleanStop(command, "SIGINT");
    expect(command.output()).toContain(`0 of 0 exchanges broke the spec; report: ${report}`);
  });
});
