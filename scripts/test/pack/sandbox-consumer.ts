// @cx-openapi/sandbox as its users get it: the consumer test (consumer.test.ts) builds and packs
// every package with the release machinery and installs the sandbox's tarball, with only the
// tarballs of the packages it depends on (@cx-openapi/spec: no client, no runtime), with plain npm
// into a fresh project outside the workspace on Node 20; there, `npx cx-sandbox` serves both APIs
// with the specs it ships. Prism is not installed there (the workspace's overrides that make it run on Node 20 do
// not reach a package's dependents), so the gate is the sandbox's own validator: a stored record
// that breaks the spec is answered with a 500 problem+json. A suite of the consumer test, so the
// packages are built, packed and installed once.
import { spawn, type ChildProcess } from "node:child_process";
import { mkdtempSync, readdirSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { freePort } from "@cx-openapi/spec";
import { build as esbuild } from "esbuild";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { cleanEnv } from "../../lib/process.js";

/** The tests of `npx cx-sandbox` in the sandbox's consumer project (known once the consumer test's setup ran). */
export function sandboxConsumerSuite(consumerProject: () => string): void {
  let scratch: string;
  let child: ChildProcess | undefined;
  let output = "";
  const ports = { relay: 0, hii: 0 };

  beforeAll(async () => {
    scratch = mkdtempSync(join(tmpdir(), "cx-sandbox-consumer-"));
    // A data file holding a record that breaks the spec (first_name must be a string).
    const data = join(scratch, "state.json");
    const person = {
      customer: { ccid: "BROKEN-1", first_name: 5, notification_channels: [] },
      productGroupId: "default",
      active: true,
    };
    writeFileSync(
      data,
      JSON.stringify({
        version: 1,
        relayCdm: {
          clients: {
            c1: { productGroups: ["default"], closed: false, apiKeys: [], customers: { "BROKEN-1": person } },
          },
        },
        hiirelevate: { tenants: {}, clients: [], tokens: {} },
      }),
    );
    ports.relay = await freePort();
    ports.hii = await freePort();
    child = spawn(
      "npx",
      [
        "--no-install",
        "cx-sandbox",
        "--relay-cdm-port",
        String(ports.relay),
        "--hiirelevate-port",
        String(ports.hii),
        "--data",
        data,
      ],
      {
        cwd: consumerProject(),
        env: cleanEnv(),
        stdio: ["ignore", "pipe", "pipe"],
        // A process group of its own: npx runs cx-sandbox as its child, and the stop must reach both.
        detached: true,
      },
    );
    child.stdout!.on("data", (c: Buffer) => (output += c.toString()));
    child.stderr!.on("data", (c: Buffer) => (output += c.toString()));
    const deadline = Date.now() + 30_000;
    while (!output.includes("Press Ctrl-C to stop.")) {
      if (Date.now() > deadline || child.exitCode !== null) throw new Error(`npx cx-sandbox did not start:\n${output}`);
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  }, 60_000);

  afterAll(async () => {
    if (child?.pid && child.exitCode === null) {
      const exited = new Promise((resolve) => child!.once("exit", resolve));
      process.kill(-child.pid, "SIGTERM");
      await Promise.race([exited, new Promise((resolve) => setTimeout(resolve, 5_000))]);
    }
    // Whatever of the group is left (cx-sandbox itself, if npx went first).
    try {
      if (child?.pid) process.kill(-child.pid, "SIGKILL");
    } catch {
      // The group is gone.
    }
    if (scratch) rmSync(scratch, { recursive: true, force: true });
  });

  const headers = { "xx-relay-api-key": "k", "content-type": "application/json" };

  describe("npx cx-sandbox from the packed package (Node 20, plain npm)", () => {
    it("installs without the clients: of the workspace's packages, only the sandbox and @cx-openapi/spec", () => {
      expect(readdirSync(join(consumerProject(), "node_modules/@cx-openapi")).sort()).toEqual(["sandbox", "spec"]);
    });

    it("serves both APIs with the specs it ships, behind its in-process gate", async () => {
      expect(output).toContain("gate: in-process");
      const relay = `http://127.0.0.1:${ports.relay}/cdm/client/c1`;
      const onboard = await fetch(`${relay}/onboard`, {
        method: "POST",
        headers,
        body: JSON.stringify({ product_group_id: "default", customer: { ccid: "NEW-42", first_name: "Ada" } }),
      });
      expect(onboard.status).toBe(200);
      expect(await (await fetch(`${relay}/customer/NEW-42`, { headers })).json()).toEqual({
        ccid: "NEW-42",
        first_name: "Ada",
        notification_channels: [],
      });
      const invalid = await fetch(`${relay}/onboard`, {
        method: "POST",
        headers,
        body: JSON.stringify({ customer: { ccid: "X" } }),
      });
      expect(await invalid.json()).toEqual({ message: "product_group_id is required" });
      const health = await fetch(`http://127.0.0.1:${ports.hii}/health`);
      expect(health.status).toBe(200);
    });

    it("serves its inspector from the files it ships, and journals the calls", async () => {
      const url = `http://127.0.0.1:${ports.relay}`;
      for (const path of ["/__sandbox/", "/__sandbox/inspector.js", "/__sandbox/inspector.css"])
        expect((await fetch(`${url}${path}`)).status, path).toBe(200);
      const journal = (await (await fetch(`${url}/__sandbox/requests`)).json()) as { operationId: string }[];
      expect(journal.map((entry) => entry.operationId)).toContain("onboardCustomer");
    });

    it("bundles its MSW entry for the browser without any Node built-in, on the spec's browser-safe entry", async () => {
      const result = await esbuild({
        stdin: {
          contents: 'export { sandboxHandlers } from "@cx-openapi/sandbox/msw";',
          resolveDir: consumerProject(),
        },
        absWorkingDir: consumerProject(),
        bundle: true,
        platform: "browser",
        format: "esm",
        // msw is the user's (an optional peer dependency).
        external: ["msw"],
        write: false,
        metafile: true,
        logLevel: "silent",
      });
      const inputs = Object.keys(result.metafile.inputs);
      expect(inputs.filter((input) => input.startsWith("node:"))).toEqual([]);
      expect(inputs).toEqual(expect.arrayContaining(["node_modules/@cx-openapi/spec/dist/browser.js"]));
      expect(inputs.filter((input) => input.endsWith("@cx-openapi/spec/dist/index.js"))).toEqual([]);
    });

    it("keeps its gate: an answer that would break the spec is a 500 problem+json", async () => {
      const response = await fetch(`http://127.0.0.1:${ports.relay}/cdm/client/c1/customer/BROKEN-1`, { headers });
      expect(response.status).toBe(500);
      expect(response.headers.get("content-type")).toBe("application/problem+json");
      expect(JSON.stringify(await response.json())).toContain("/first_name must be string");
    });
  });
}
