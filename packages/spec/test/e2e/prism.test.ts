// startPrism owns what every caller needs: a private copy of the spec (Prism restarts when its file
// changes), removed when Prism exits however it exits, and a new port when the one it picked itself
// was taken before Prism bound it.
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { createServer, type Server } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { freePort, startPrism, type RunningPrism } from "../../src/index.js";

const dir = mkdtempSync(join(tmpdir(), "cx-spec-prism-test-"));
const spec = join(dir, "ping.json");
/** Holds a port, as another process would. */
let squatter: Server;
let busyPort: number;
/** One Prism for the first two tests: its first picked port was taken (each start costs a second of CPU). */
let prism: RunningPrism;
const picked: number[] = [];
let served: number;

beforeAll(async () => {
  const document = {
    openapi: "3.1.0",
    info: { title: "Ping", version: "1.0.0" },
    paths: {
      "/ping": {
        get: {
          responses: { "200": { description: "ok", content: { "application/json": { example: { ok: true } } } } },
        },
      },
    },
  };
  writeFileSync(spec, JSON.stringify(document));
  squatter = createServer();
  await new Promise<void>((resolve) => squatter.listen(0, "127.0.0.1", resolve));
  busyPort = (squatter.address() as { port: number }).port;
  const pickPort = async () => {
    const port = picked.length === 0 ? busyPort : await freePort();
    picked.push(port);
    return port;
  };
  prism = await startPrism({ spec }, pickPort);
  served = (await fetch(`${prism.url}/ping`)).status;
});

afterAll(async () => {
  await prism?.stop();
  await new Promise((resolve) => squatter.close(resolve));
  rmSync(dir, { recursive: true, force: true });
});

describe("startPrism", () => {
  it("serves a private copy of the spec, and removes it when Prism exits, even killed", async () => {
    expect(prism.spec).not.toBe(spec);
    expect(readFileSync(prism.spec, "utf8")).toBe(readFileSync(spec, "utf8"));
    expect(served).toBe(200);
    process.kill(prism.pid!, "SIGKILL");
    await prism.exited;
    expect(existsSync(prism.spec)).toBe(false);
    expect(existsSync(spec)).toBe(true);
  });

  it("starts on a new port when the port it picked was taken before Prism bound it", () => {
    expect(picked).toEqual([busyPort, prism.port]);
    expect(served).toBe(200);
  });

  it("keeps to a port the caller asked for: a taken one fails, naming EADDRINUSE", async () => {
    await expect(startPrism({ spec, port: busyPort })).rejects.toThrow(/EADDRINUSE/);
  });
});
