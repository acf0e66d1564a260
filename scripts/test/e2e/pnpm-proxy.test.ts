// `pnpm proxy` started as a user does, and stopped with Ctrl-C (SIGINT to the process group), after
// which it prints its summary, exits 0 with no error line and leaves nothing behind. What the proxy
// does with traffic is packages/sandbox/test/e2e/deviation-proxy.test.ts's. The other long-running
// commands are stopped in their own tests: `pnpm start` on Ctrl-C (pnpm-start.test.ts), `pnpm
// sandbox` on SIGTERM (pnpm-sandbox.test.ts), `pnpm mock` on Ctrl-C (the contract tier's global
// setup, scripts/test/setup/mocks.ts). All stop through stopOnSignal (scripts/lib/cli.ts).
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { cleanEnv } from "../../lib/process.js";
import { freePort } from "@cx-openapi/spec";
import { descendants, expectCleanStop, killTree, startReady, type Started } from "@cx-openapi/devkit/testing";

let command: Started | undefined;
const scratch = mkdtempSync(join(tmpdir(), "cx-openapi-pnpm-proxy-"));
afterAll(() => {
  // Only if the test failed half-way: never leave the command or its Prism running.
  killTree(command?.child);
  rmSync(scratch, { recursive: true, force: true });
});

describe("pnpm proxy", () => {
  it("pnpm proxy runs one Prism proxy, and on Ctrl-C prints its summary and exits 0 with no error line", async () => {
    const port = await freePort();
    // Nothing listens at the target: no request is sent, only the start and the stop are tested.
    const target = `http://127.0.0.1:${await freePort()}`;
    const report = join(scratch, "proxy-report.jsonl");
    command = await startReady(
      ["proxy", "--api", "relay-cdm", "--target", target, "--port", String(port), "--report", report],
      { env: cleanEnv() },
    );
    expect(command.output()).toContain(`http://127.0.0.1:${port}`);
    expect(descendants(command.child.pid!).filter((p) => p.args.includes("prism"))).toHaveLength(1);
    await expectCleanStop(command, "SIGINT");
    expect(command.output()).toContain(`0 of 0 exchanges broke the spec; report: ${report}`);
  });
});
