// The main journeys as Arazzo workflows (openapi/<api>/workflows/), run by `redocly respect`
// against the sandbox behind its Prism gate, on free ports.
import { spawn } from "node:child_process";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { repoRoot } from "@cx-openapi/devkit";
import { createSandbox } from "../src/index.js";
import { serveSandbox, type RunningSandbox } from "../src/server.js";
import { loadSpecs, specFiles } from "./helpers.js";

let running: RunningSandbox;
beforeAll(async () => {
  running = await serveSandbox({ sandbox: createSandbox({ specs: loadSpecs() }), specFiles });
});
afterAll(async () => {
  await running?.stop();
});

const workflows = ["relay-cdm", "hiirelevate"].map((api) => join(repoRoot, "openapi", api, "workflows", "customer-journey.arazzo.yaml"));

function respect(args: string[], timeoutMs = 60_000): Promise<{ code: number | null; output: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(join(repoRoot, "node_modules/.bin/redocly"), ["respect", ...args], {
      cwd: repoRoot,
      env: { ...process.env, REDOCLY_TELEMETRY: "off", REDOCLY_SUPPRESS_UPDATE_NOTICE: "true" },
      stdio: ["ignore", "pipe", "pipe"],
    });
    let output = "";
    child.stdout.on("data", (c: Buffer) => (output += c.toString()));
    child.stderr.on("data", (c: Buffer) => (output += c.toString()));
    const timer = setTimeout(() => child.kill("SIGKILL"), timeoutMs);
    child.once("error", reject);
    child.once("exit", (code) => {
      clearTimeout(timer);
      resolve({ code, output });
    });
  });
}

describe("Arazzo workflows against the sandbox (redocly respect)", () => {
  it("both journeys pass, every step and check", async () => {
    const { code, output } = await respect([
      ...workflows,
      "--server",
      `relayCdm=${running.urls["relay-cdm"]}`,
      "--server",
      `hiirelevate=${running.urls.hiirelevate}`,
    ]);
    expect(code, output).toBe(0);
    expect(output).toContain("Steps: 9 passed, 9 total");
    expect(output).toContain("Steps: 12 passed, 12 total");
    expect(output).not.toContain("✗");
  }, 90_000);
});
