// `pnpm proxy` started as a user does, in front of a vendor on 127.0.0.1 that breaks the spec, and
// stopped with Ctrl-C (SIGINT to the process group), after which it prints its summary, writes the
// drift evidence (--evidence), exits 0 with no error line and leaves nothing behind. What the proxy
// does with traffic is packages/sandbox/test/e2e/deviation-proxy.test.ts's. The other long-running
// commands are stopped in their own tests: `pnpm start` on Ctrl-C (pnpm-start.test.ts), `pnpm
// sandbox` on SIGTERM (pnpm-sandbox.test.ts), `pnpm mock` on Ctrl-C (the contract tier's global
// setup, scripts/test/setup/mocks.ts). All stop through stopOnSignal (scripts/lib/cli.ts).
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { cleanEnv } from "../../lib/process.js";
import { freePort } from "@cx-openapi/spec";
import {
  descendants,
  expectCleanStop,
  killTree,
  sendJson,
  startLocalServer,
  startReady,
  type Started,
} from "@cx-openapi/devkit/testing";

let command: Started | undefined;
const scratch = mkdtempSync(join(tmpdir(), "cx-openapi-pnpm-proxy-"));
afterAll(() => {
  // Only if the test failed half-way: never leave the command or its Prism running.
  killTree(command?.child);
  rmSync(scratch, { recursive: true, force: true });
});

describe("pnpm proxy", () => {
  it("runs one Prism proxy; on Ctrl-C it prints its summary, writes the drift evidence and exits 0 with no error line", async () => {
    const port = await freePort();
    // The vendor on 127.0.0.1: its answer has a number where the spec says string.
    const vendor = await startLocalServer((_request, response) =>
      sendJson(response, 200, {
        ccid: "PII-CCID-7",
        first_name: 42,
        notification_channels: [{ channel_type: "sms", channel_addr: "6105550000" }],
      }),
    );
    const report = join(scratch, "proxy-report.jsonl");
    const evidence = join(scratch, "drift.jsonl");
    try {
      command = await startReady(
        [
          "proxy",
          "--api",
          "relay-cdm",
          "--target",
          vendor.url,
          "--port",
          String(port),
          "--report",
          report,
          "--evidence",
          evidence,
        ],
        { env: cleanEnv() },
      );
      expect(command.output()).toContain(`http://127.0.0.1:${port}`);
      expect(descendants(command.child.pid!).filter((p) => p.args.includes("prism"))).toHaveLength(1);
      const answer = await fetch(`http://127.0.0.1:${port}/cdm/client/c1/customer/PII-CCID-7`, {
        headers: { "xx-relay-api-key": "proxy-test-key" },
      });
      expect(answer.status).toBe(200);
      await expectCleanStop(command, "SIGINT");
    } finally {
      await vendor.close();
    }
    expect(command.output()).toContain(`1 of 1 exchanges broke the spec; report: ${report}`);
    const text = readFileSync(evidence, "utf8");
    const records = text
      .trim()
      .split("\n")
      .map((line) => JSON.parse(line));
    expect(records.every((r) => r.format === "cx-drift/1")).toBe(true);
    expect(records).toContainEqual(
      expect.objectContaining({ kind: "totals", operationId: "getCustomer", exchanges: 1, deviating: 1 }),
    );
    expect(records).toContainEqual(
      expect.objectContaining({ kind: "deviation", operationId: "getCustomer", rule: "type" }),
    );
    for (const secret of ["PII-CCID-7", "6105550000", "proxy-test-key"]) expect(text).not.toContain(secret);
  });
});
