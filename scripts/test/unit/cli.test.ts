// Every script is a command: strict flags, --help, and a main-module check that holds in any path.
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, symlinkSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { createServer, type AddressInfo } from "node:net";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { afterAll, describe, expect, it } from "vitest";
import { repoRoot } from "../../lib/apis.js";
import { commands, isMain, parseCommand, parsePort, UsageError } from "../../lib/cli.js";
import { sandboxOptions, sandboxOptionUsage } from "@cx-openapi/sandbox";
import { freePort } from "@cx-openapi/spec";

const scripts = readdirSync(join(repoRoot, "scripts")).filter((file) => file.endsWith(".ts"));
/**
 * The commands pnpm 10 hands to npm before it looks at package.json's scripts (the switch at the
 * start of pnpm's bin): a script of that name only runs with `pnpm run`.
 */
const npmPassthrough = [
  "access",
  "adduser",
  "bugs",
  "deprecate",
  "dist-tag",
  "docs",
  "edit",
  "find",
  "home",
  "info",
  "issues",
  "login",
  "logout",
  "owner",
  "ping",
  "prefix",
  "profile",
  "pkg",
  "repo",
  "s",
  "se",
  "search",
  "set-script",
  "show",
  "star",
  "stars",
  "team",
  "token",
  "unpublish",
  "unstar",
  "v",
  "version",
  "view",
  "whoami",
  "xmas",
];
const scratch = mkdtempSync(join(tmpdir(), "cx-openapi cli test "));

/** The command a script defines, loaded in process. */
async function commandOf(script: string) {
  const url = pathToFileURL(join(repoRoot, script)).href;
  await import(url);
  return commands.get(url)!;
}
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

describe("the scripts", () => {
  it.each(scripts)("%s defines its command with cli(), and --help answers with its usage", async (file) => {
    const url = pathToFileURL(join(repoRoot, "scripts", file)).href;
    await import(url);
    const command = commands.get(url);
    expect(command, `${file} does not call cli(import.meta.url, ...)`).toBeDefined();
    expect(command!.usage).toMatch(/^(Usage: )?pnpm /);
    expect(parseCommand(command!, ["--help"]).help).toBe(true);
    expect(parseCommand(command!, ["-h"]).help).toBe(true);
    expect(() => parseCommand(command!, ["--no-such-flag"])).toThrow(UsageError);
  });

  it("share code through scripts/lib: no command imports another command", () => {
    const names = new Set(scripts.map((file) => file.replace(/\.ts$/, "")));
    const imports = scripts.flatMap((file) =>
      [
        ...readFileSync(join(repoRoot, "scripts", file), "utf8").matchAll(
          /(?:from|import\()\s*["']\.\/([\w.-]+)\.js["']/g,
        ),
      ]
        .filter((match) => names.has(match[1]!))
        .map((match) => `${file} → ${match[1]}.ts`),
    );
    expect(imports).toEqual([]);
  });

  it("are named so that pnpm runs them: no script is named after a command pnpm hands to npm", () => {
    const scriptNames = Object.keys(
      (JSON.parse(readFileSync(join(repoRoot, "package.json"), "utf8")) as { scripts: Record<string, string> }).scripts,
    );
    expect(scriptNames.filter((name) => npmPassthrough.includes(name))).toEqual([]);
  });

  // `pnpm start --static` serves what `pnpm mock` serves (startMocks), which the contract tier runs
  // as a user does; what is start's own there: it refuses the sandbox's options, before anything starts.
  it("pnpm start --static refuses the stateful sandbox's --data, --seed, --persist and --empty, naming each, before starting anything", async () => {
    const command = await commandOf("scripts/start.ts");
    for (const option of [["--data", "state.json"], ["--seed", "seed.json"], ["--persist"], ["--empty"]]) {
      const { values, positionals } = parseCommand(command, ["--skip-gen", "--static", ...option]);
      await expect(command.run(values, positionals)).rejects.toThrow(
        `${option[0]} is for the stateful sandbox, not with --static`,
      );
    }
  });

  it("pnpm start refuses --persist with --data, naming both, before starting anything", async () => {
    const command = await commandOf("scripts/start.ts");
    const { values, positionals } = parseCommand(command, ["--skip-gen", "--persist", "--data", "state.json"]);
    await expect(command.run(values, positionals)).rejects.toThrow(
      "--persist and --data both say where the state is kept; pass one",
    );
  });

  it.each([
    ["start", "--docs-port", ["--skip-gen"]],
    // A --spec-dir with no bundles: reading one first would fail on it instead.
    ["sandbox", "--relay-cdm-port", ["--gate", "in-process", "--spec-dir", "/nonexistent-spec-dir"]],
  ])("pnpm %s refuses a busy port at once, naming %s, before any work", async (name, flag, extra) => {
    const command = await commandOf(`scripts/${name}.ts`);
    const busy = createServer();
    await new Promise<void>((resolve) => busy.listen(0, "127.0.0.1", resolve));
    const port = (busy.address() as AddressInfo).port;
    const ports = { "--docs-port": 0, "--relay-cdm-port": 0, "--hiirelevate-port": 0 } as Record<string, number>;
    for (const other of Object.keys(ports)) ports[other] = other === flag ? port : await freePort();
    const args = Object.entries(ports).flatMap(([option, value]) =>
      name === "sandbox" && option === "--docs-port" ? [] : [option, String(value)],
    );
    const { values, positionals } = parseCommand(command, [...extra, ...args]);
    const started = performance.now();
    try {
      await expect(command.run(values, positionals)).rejects.toThrow(`port ${port} (${flag}) is in use on 127.0.0.1`);
      expect(performance.now() - started).toBeLessThan(1_000);
    } finally {
      busy.close();
    }
  });

  it("pnpm sandbox takes cx-sandbox's options, listed with cx-sandbox's own usage lines", async () => {
    const url = pathToFileURL(join(repoRoot, "scripts/sandbox.ts")).href;
    await import(url);
    const command = commands.get(url)!;
    expect(Object.keys(command.options ?? {}).sort()).toEqual(Object.keys(sandboxOptions).sort());
    const lines = sandboxOptionUsage().split("\n");
    expect(lines.length).toBeGreaterThan(Object.keys(sandboxOptions).length);
    // Every line but the default of --spec-dir, which is this repository's bundles under pnpm sandbox.
    for (const line of lines.filter((line) => !line.includes("--spec-dir"))) expect(command.usage).toContain(line);
  });

  it("refuses a misspelt flag and names it, with the usage line", () => {
    const command = { usage: "Usage: pnpm gen [--check]", options: { check: { type: "boolean" as const } }, run() {} };
    expect(parseCommand(command, ["--check"]).values).toEqual({ check: true });
    expect(() => parseCommand(command, ["--chek"])).toThrow(/--chek[^]*Usage: pnpm gen \[--check\]/);
    expect(() => parseCommand(command, ["stray"])).toThrow(UsageError);
  });

  it("checks port values", () => {
    expect(parsePort("--docs-port", undefined, 8080)).toBe(8080);
    expect(parsePort("--docs-port", "5000", 8080)).toBe(5000);
    for (const bad of ["0", "65536", "12ab", "-1"])
      expect(() => parsePort("--docs-port", bad, 8080)).toThrow(/--docs-port must be a whole number/);
  });
});

describe("isMain", () => {
  const withArgv = (argv1: string, check: () => void) => {
    const saved = process.argv[1];
    process.argv[1] = argv1;
    try {
      check();
    } finally {
      process.argv[1] = saved!;
    }
  };

  it("recognises the script node was started with, in a path with spaces, # and %", () => {
    const dir = join(scratch, "My Projects #1 100%");
    const file = join(dir, "gen.ts");
    mkdirSync(dir);
    writeFileSync(file, "");
    withArgv(file, () => {
      expect(isMain(pathToFileURL(file).href)).toBe(true);
      expect(isMain(pathToFileURL(join(dir, "other.ts")).href)).toBe(false);
    });
  });

  it("sees through a symlink to the script", () => {
    const real = join(scratch, "real.ts");
    const link = join(scratch, "link to real.ts");
    writeFileSync(real, "");
    symlinkSync(real, link);
    withArgv(link, () => expect(isMain(pathToFileURL(real).href)).toBe(true));
  });
});
