// --persist: the state in .sandbox/state.json under the working directory, private to its owner
// (issued tokens live there), in a folder git ignores wherever it is made, and the repository's own
// .gitignore lists it too.
import { spawn, spawnSync } from "node:child_process";
import { existsSync, readFileSync, statSync } from "node:fs";
import { dirname, join } from "node:path";
import { createRequire } from "node:module";
import { fileURLToPath, pathToFileURL } from "node:url";
import { bundleFile, repoRoot } from "@cx-openapi/devkit/repo";
import { useTempFiles } from "@cx-openapi/devkit/testing";
import { describe, expect, it } from "vitest";

const { dir: tempDir } = useTempFiles("cx-sandbox-persist-");
const bin = fileURLToPath(new URL("../../src/bin.ts", import.meta.url));
/** tsx by its file URL: the temporary working directory has no node_modules to resolve it from. */
const tsx = pathToFileURL(createRequire(join(repoRoot, "package.json")).resolve("tsx")).href;

/** cx-sandbox in `cwd` with these options, on free ports; resolves with its Relay URL once it listens. */
function startIn(cwd: string, args: string[]) {
  const child = spawn(
    process.execPath,
    [
      "--import",
      tsx,
      bin,
      "--gate=in-process",
      `--spec-dir=${dirname(bundleFile("relay-cdm"))}`,
      "--relay-cdm-port=0",
      "--hiirelevate-port=0",
      ...args,
    ],
    { cwd, stdio: "pipe" },
  );
  let output = "";
  const exited = new Promise((resolve) => child.once("exit", resolve));
  const ready = new Promise<string>((resolve, reject) => {
    const deadline = setTimeout(() => reject(new Error(`cx-sandbox did not start:\n${output}`)), 15_000);
    const read = (chunk: Buffer) => {
      output += chunk.toString();
      const url = /relay-cdm sandbox\s+(http:\/\/127\.0\.0\.1:\d+)/.exec(output)?.[1];
      if (url) {
        clearTimeout(deadline);
        resolve(url);
      }
    };
    child.stdout.on("data", read);
    child.stderr.on("data", read);
    child.once("exit", () => reject(new Error(`cx-sandbox exited:\n${output}`)));
  });
  const stop = async () => {
    child.kill("SIGTERM");
    await exited;
  };
  return { ready, stop };
}

describe("--persist", () => {
  it("keeps the state in .sandbox/state.json under the working directory: folder 0700, file 0600, ignored by git", async () => {
    const cwd = tempDir();
    const sandbox = startIn(cwd, ["--persist"]);
    try {
      const url = await sandbox.ready;
      const onboard = await fetch(`${url}/cdm/client/c1/onboard`, {
        method: "POST",
        headers: { "xx-relay-api-key": "k", "content-type": "application/json" },
        body: JSON.stringify({ product_group_id: "default", customer: { ccid: "KEPT-1" } }),
      });
      expect(onboard.status).toBe(200);
    } finally {
      await sandbox.stop();
    }
    const file = join(cwd, ".sandbox/state.json");
    expect(JSON.parse(readFileSync(file, "utf8")).relayCdm.clients.c1.customers["KEPT-1"]).toBeDefined();
    expect((statSync(join(cwd, ".sandbox")).mode & 0o777).toString(8)).toBe("700");
    expect((statSync(file).mode & 0o777).toString(8)).toBe("600");
    expect(readFileSync(join(cwd, ".sandbox/.gitignore"), "utf8")).toBe("*\n");
    expect(existsSync(join(cwd, "state.json"))).toBe(false);
  });

  it("the repository ignores .sandbox/", () => {
    const checked = spawnSync("git", ["check-ignore", "-q", ".sandbox/state.json"], { cwd: repoRoot });
    expect(checked.status).toBe(0);
  });
});
