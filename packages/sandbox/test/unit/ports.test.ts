// A busy port is refused before any work, naming the flag that changes it: the check binds each
// port on the host the sandbox will listen on and releases it at once, and cx-sandbox runs it
// before it reads a spec (packages/sandbox/test/e2e/busy-port.test.ts). A port taken between the check
// and the real bind is named the same way.
import { createServer, type Server } from "node:net";
import { dirname } from "node:path";
import { bundleFile } from "@cx-openapi/devkit/repo";
import { freePort } from "@cx-openapi/spec";
import { afterEach, describe, expect, it } from "vitest";
import { launchSandbox } from "../../src/launch.js";
import { checkPortsFree } from "../../src/ports.js";

const servers: Server[] = [];
afterEach(async () => {
  await Promise.all(servers.splice(0).map((server) => new Promise((done) => server.close(done))));
});

/** Listens on 127.0.0.1 (port 0: a free one), closed after the test. */
function listenOn(port = 0): Promise<number> {
  const server = createServer();
  servers.push(server);
  return new Promise((resolve, reject) => {
    server.once("error", reject);
    server.listen(port, "127.0.0.1", () => resolve((server.address() as { port: number }).port));
  });
}

describe("checkPortsFree", () => {
  it("refuses a port in use on 127.0.0.1, naming the flag that changes it", async () => {
    const busy = await listenOn();
    await expect(
      checkPortsFree([
        { port: busy, flag: "--relay-cdm-port" },
        { port: 0, flag: "--hiirelevate-port" },
      ]),
    ).rejects.toThrow(`port ${busy} (--relay-cdm-port) is in use on 127.0.0.1`);
  });

  it("lets free ports pass and releases them at once: the real bind right after succeeds", async () => {
    const port = await freePort();
    await checkPortsFree([{ port, flag: "--docs-port" }]);
    await expect(listenOn(port)).resolves.toBe(port);
  });

  it("refuses one port named by two flags", async () => {
    const port = await freePort();
    await expect(
      checkPortsFree([
        { port, flag: "--relay-cdm-port" },
        { port, flag: "--hiirelevate-port" },
      ]),
    ).rejects.toThrow(`port ${port} is given to both --relay-cdm-port and --hiirelevate-port`);
  });
});

describe("a port taken after the check", () => {
  it("is reported by the real bind the same way, naming its flag", async () => {
    const busy = await listenOn();
    const launching = launchSandbox({
      gate: "in-process",
      ports: { "relay-cdm": 0, hiirelevate: busy },
      specDir: dirname(bundleFile("hiirelevate")),
      empty: true,
    });
    // Stopped, should it start after all, so no server outlives the test.
    void launching.then(
      ({ running }) => running.stop(),
      () => undefined,
    );
    await expect(launching).rejects.toThrow(`port ${busy} (--hiirelevate-port) is in use on 127.0.0.1`);
  });
});
