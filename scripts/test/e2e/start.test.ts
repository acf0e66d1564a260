// `pnpm start` end to end, started as a user does: builds the docs, serves them and the stateful
// sandbox (behind Prism) on the ports it is given, prints the URLs, and on Ctrl-C (SIGINT to its
// process group) stops everything it started and exits 0 without an error line: no Prism process is
// left behind.
// It runs with --skip-gen: rewriting dist/openapi during the test run would make the Prism mocks of
// vitest's global setup, which watch those files, restart under the other tests' feet. Bundling and
// generation are covered by `pnpm gen:check`, the docs build by the browser test.
import type { ChildProcess } from "node:child_process";
import { get } from "node:http";
import { expectNoForwarding, startCanary } from "@cx-openapi/devkit/server-probes";
import { afterAll, describe, expect, it } from "vitest";
import { freePort } from "@cx-openapi/spec";
import { loadApis } from "../../lib/apis.js";
import { descendants, exited, expectCleanStop, killTree, startPnpm, startReady } from "./processes.js";

/** The status of a GET whose path is sent exactly as written. */
function rawStatus(port: number, path: string): Promise<number> {
  return new Promise((resolve, reject) => {
    get({ host: "127.0.0.1", port, path }, (response) => {
      response.resume();
      resolve(response.statusCode ?? 0);
    }).on("error", reject);
  });
}

const apis = loadApis();
let child: ChildProcess | undefined;

afterAll(async () => {
  // Only if the test failed half-way: never leave the command or its mocks running.
  killTree(child);
});

describe("pnpm start", () => {
  it("serves the docs and the stateful sandbox behind Prism, prints their URLs, and stops them all on Ctrl-C with exit 0", async () => {
    const docsPort = await freePort();
    const mockPorts = new Map<string, number>();
    for (const api of apis) mockPorts.set(api.name, await freePort());
    const args = ["start", "--skip-gen", "--docs-port", String(docsPort)];
    for (const [name, port] of mockPorts) args.push(`--${name}-port`, String(port));

    const started = performance.now();
    const command = await startReady(args);
    const output = command.output;
    child = command.child;
    const running = child;
    console.log(`pnpm start was up after ${((performance.now() - started) / 1000).toFixed(1)} s`);

    // The three URLs are printed.
    const docsUrl = `http://127.0.0.1:${docsPort}`;
    expect(output()).toContain(`${docsUrl}/`);
    for (const port of mockPorts.values()) expect(output()).toContain(`http://127.0.0.1:${port}`);

    // The docs: the index links every API page and shows the mock URLs of this run; a page, a
    // download and a path that tries to leave dist/docs.
    const index = await fetch(`${docsUrl}/`);
    expect(index.status).toBe(200);
    expect(index.headers.get("content-type")).toBe("text/html; charset=utf-8");
    const html = await index.text();
    for (const api of apis) {
      expect(html).toContain(`href="${api.name}.html"`);
      expect(html).toContain(`http://127.0.0.1:${mockPorts.get(api.name)}`);
      const page = await fetch(`${docsUrl}/${api.name}.html`);
      expect(page.status).toBe(200);
      await page.body?.cancel();
      const spec = await fetch(`${docsUrl}/openapi/${api.name}.json`);
      expect(spec.headers.get("content-type")).toBe("application/json; charset=utf-8");
      expect(((await spec.json()) as { openapi: string }).openapi).toMatch(/^3\.1\./);
    }
    // fetch() would normalise these paths; node:http sends them as they are.
    for (const path of [
      "/../package.json",
      "/%2e%2e/package.json",
      "/..%2fpackage.json",
      "/openapi/..%2f..%2fpackage.json",
    ]) {
      expect(await rawStatus(docsPort, path), path).toBe(400);
    }
    expect((await fetch(`${docsUrl}/nothing-here.html`)).status).toBe(404);
    expect((await fetch(`${docsUrl}/`, { method: "POST" })).status).toBe(405);

    // The stateful sandbox answers through its Prism gate: onboard then retrieve gives the onboarded
    // person; an invalid request gets the vendor's 400, its violations in `sl-violations`.
    const relayUrl = `http://127.0.0.1:${mockPorts.get("relay-cdm")}/cdm/client/relay_developer`;
    const headers = { "xx-relay-api-key": "test-key", "content-type": "application/json" };
    const onboard = await fetch(`${relayUrl}/onboard`, {
      method: "POST",
      headers,
      body: JSON.stringify({ product_group_id: "default", customer: { ccid: "NEW-42", first_name: "Ada" } }),
    });
    expect(onboard.status).toBe(200);
    const relay = await fetch(`${relayUrl}/customer/NEW-42`, { headers });
    expect(await relay.json()).toEqual({ ccid: "NEW-42", first_name: "Ada", notification_channels: [] });
    const invalid = await fetch(`${relayUrl}/onboard`, {
      method: "POST",
      headers,
      body: JSON.stringify({ customer: { ccid: "NEW-43" } }),
    });
    expect(invalid.status).toBe(400);
    expect(await invalid.json()).toEqual({ message: "product_group_id is required" });
    expect(invalid.headers.get("sl-violations")).toContain("product_group_id");
    const health = await fetch(`http://127.0.0.1:${mockPorts.get("hiirelevate")}/health`);
    expect(health.status).toBe(200);

    // No server it started forwards a request target that names another host.
    const canary = await startCanary();
    try {
      const static405 = (status: number) => status === 0 || status === 400 || status === 405;
      await expectNoForwarding(docsUrl, canary, { refused: static405 });
      for (const port of mockPorts.values())
        await expectNoForwarding(`http://127.0.0.1:${port}`, canary, { headers, refused: (status) => status === 400 });
    } finally {
      await canary.close();
    }

    // One Prism per API runs below the command...
    expect(descendants(running.pid!).filter((p) => p.args.includes("prism"))).toHaveLength(apis.length);

    // ...and Ctrl-C stops them, the docs server and the command itself, with exit code 0.
    await expectCleanStop(command, "SIGINT");
    await expect(fetch(`${docsUrl}/`)).rejects.toThrow();
    for (const port of mockPorts.values()) await expect(fetch(`http://127.0.0.1:${port}/`)).rejects.toThrow();
  }, 300_000);

  // `--static` serves what `pnpm mock` serves (startMocks, scripts/mock.ts), whose samples, examples
  // and Ctrl-C docs-samples.test.ts checks; a second `pnpm start` (docs and two more Prism
  // processes) would only repeat that. What is start's own: it refuses the sandbox's options there.
  it("--static refuses the stateful sandbox's --data and --seed, naming them, before starting anything", async () => {
    const command = startPnpm(["start", "--skip-gen", "--static", "--data", "state.json"]);
    child = command.child;
    expect(await exited(command.child)).toEqual({ code: 1, signal: null });
    expect(command.output()).toContain("--data and --seed are for the stateful sandbox, not with --static");
    expect(command.output()).not.toContain("▶ Docs");
  }, 60_000);
});
