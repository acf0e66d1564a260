// SECURITY.md stays true as servers are added: every source file that starts a server is named in
// it, and every test file it names for a server exists and runs the shared attack probes.
import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { repoRoot } from "../../lib/apis.js";
import { runSync } from "../../lib/process.js";

const model = readFileSync(join(repoRoot, "SECURITY.md"), "utf8");

/** Source files (no tests, no benchmarks, no test machinery) that create a server. */
function serverSources(): string[] {
  const found = runSync("git", [
    "grep",
    "-l",
    "-E",
    "create(Secure)?Server\\(",
    "--",
    ":(glob)packages/*/src/**",
    ":(glob)scripts/lib/**",
    ":(glob)scripts/*.ts",
  ]);
  return found.stdout
    .split("\n")
    .filter(Boolean)
    .filter((file) => !file.startsWith("packages/devkit/"));
}

/** Whether a test imports the shared attack probes (devkit's server-probes.ts) and sends the hostile targets. */
const runsProbes = (text: string) =>
  /import \{[^}]*\bexpectNoForwarding\b[^}]*\} from "@cx-openapi\/devkit\/testing"/.test(text) &&
  text.includes("expectNoForwarding(");

describe("SECURITY.md", () => {
  it("names every source file that starts a server", () => {
    const sources = serverSources();
    expect(sources.length).toBeGreaterThan(3);
    for (const file of sources) expect.soft(model, `${file} is not in SECURITY.md`).toContain(file);
  });

  it("names test files that exist, and each server's tests run the shared probes", () => {
    const named = [...model.matchAll(/`((?:packages|scripts)\/[\w/.-]+\.test\.ts)`/g)].map((m) => m[1]!);
    expect(named.length).toBeGreaterThan(5);
    for (const file of named) expect.soft(existsSync(join(repoRoot, file)), `${file} does not exist`).toBe(true);
    const probing = named.filter((file) => runsProbes(readFileSync(join(repoRoot, file), "utf8")));
    for (const server of [
      "front.test.ts",
      "gate.test.ts",
      "deviation-proxy.test.ts",
      "pnpm-mock.test.ts",
      "pnpm-start.test.ts",
    ])
      expect
        .soft(
          probing.some((file) => file.endsWith(server)),
          `${server} runs no probe`,
        )
        .toBe(true);
  });
});
