// cx-sandbox on a busy port, as a user starts it: it exits 1 at once, naming the flag that changes
// the port, before it reads any spec (the check itself: packages/sandbox/test/unit/ports.test.ts).
import { spawn } from "node:child_process";
import { createServer, type Server } from "node:net";
import { fileURLToPath } from "node:url";
import { repoRoot } from "@cx-openapi/devkit/repo";
import { afterEach, describe, expect, it } from "vitest";

/** A port held on 127.0.0.1, as another program would, until the test ends. */
let squatter: Server | undefined;
afterEach(() => new Promise<void>((done) => (squatter ? squatter.close(() => done()) : done())));
async function listenOn(): Promise<number> {
  squatter = createServer();
  await new Promise<void>((resolve) => squatter!.listen(0, "127.0.0.1", resolve));
  return (squatter.address() as { port: number }).port;
}

describe("cx-sandbox on a busy port", () => {
  it("exits 1 at once, naming the flag, before it reads any spec", async () => {
    const busy = await listenOn();
    const bin = fileURLToPath(new URL("../../src/bin.ts", import.meta.url));
    const args = ["--spec-dir", "/nonexistent-spec-dir", "--relay-cdm-port", String(busy), "--hiirelevate-port", "0"];
    const child = spawn(process.execPath, ["--import", "tsx", bin, ...args], { cwd: repoRoot, stdio: "pipe" });
    let stderr = "";
    child.stderr.on("data", (chunk: Buffer) => (stderr += chunk.toString()));
    const started = performance.now();
    const code = await new Promise<number | null>((resolve) => {
      const deadline = setTimeout(() => child.kill("SIGKILL"), 10_000);
      child.once("exit", (exit) => {
        clearTimeout(deadline);
        resolve(exit);
      });
    });
    // Mostly node and tsx starting; the failure itself takes milliseconds.
    expect(performance.now() - started).toBeLessThan(5_000);
    expect(code).toBe(1);
    expect(stderr).toContain(`port ${busy} (--relay-cdm-port) is in use on 127.0.0.1`);
    expect(stderr).not.toContain("no bundled spec");
  });
});
