// What the docs' shell commands that are not run are checked against: a `pnpm <script>` exists in
// package.json and its command takes the flags shown (parsed in process exactly as the command
// parses them, the way `--help` lists them); a bin exists; an `npm install` names packages this
// repository publishes; `cx-sandbox` takes the flags shown; `redocly respect` names a workflow and
// points each of its sources at a local server. A command no check covers is
// "unchecked", for the test's allow-list.
import { existsSync, readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { parseArgs } from "node:util";
import { parse as parseYaml } from "yaml";
import { launchOptionsOf, sandboxOptions, sandboxOptionUsage } from "@cx-openapi/sandbox";
import { repoRoot } from "../../lib/apis.js";
import { commands, parseCommand } from "../../lib/cli.js";

export type Verdict =
  | { is: "checked" }
  | { is: "run"; why: string }
  | { is: "unchecked"; why: string }
  | { is: "broken"; why: string };

const checked: Verdict = { is: "checked" };
const unchecked = (why: string): Verdict => ({ is: "unchecked", why });
const broken = (why: string): Verdict => ({ is: "broken", why });

interface PackageJson {
  name: string;
  private?: boolean;
  bin?: Record<string, string>;
  scripts?: Record<string, string>;
}
const readPackage = (dir: string) => JSON.parse(readFileSync(join(dir, "package.json"), "utf8")) as PackageJson;
const rootScripts = readPackage(repoRoot).scripts ?? {};
/** The packages this repository publishes. */
const published = readdirSync(join(repoRoot, "packages"))
  .map((name) => readPackage(join(repoRoot, "packages", name)))
  .filter((pkg) => !pkg.private);
/** The flags of `npm install` the docs may show. */
const npmInstallFlags = new Set(["--save-dev", "-D", "--save-exact", "-E"]);

/**
 * The verdict on one command (its words as sh splits them). `localUrl` says whether a word names one
 * of the local servers.
 */
export async function checkCommand(words: string[], localUrl: (word: string) => boolean): Promise<Verdict> {
  const [program = "", ...args] = words;
  if (program === "pnpm") return checkPnpm(args, localUrl);
  if (program === "npm") return checkNpm(args);
  if (program === "npx") return checkBin(args);
  if (program === "cx-sandbox") return checkBin(words);
  return unchecked(`no check knows "${program}"`);
}

async function checkPnpm([name = "", ...args]: string[], localUrl: (word: string) => boolean): Promise<Verdict> {
  if (name === "exec") {
    const [bin = "", sub = "", ...rest] = args;
    if (!existsSync(join(repoRoot, "node_modules/.bin", bin))) return broken(`no bin "${bin}" in node_modules/.bin`);
    if (bin === "redocly" && sub === "respect") return checkRespect(rest, localUrl);
    return unchecked(`pnpm exec ${bin}: no check knows it`);
  }
  if (["install", "i", "add"].includes(name)) return unchecked(`"pnpm ${name}" is pnpm's own command`);
  const script = rootScripts[name];
  if (script === undefined) return broken(`no script "${name}" in package.json`);
  const file = /^exec node --import tsx (scripts\/[\w.-]+\.ts)(.*)$/.exec(script);
  if (!file) return args.length ? unchecked(`"${name}" is not a cli() command: its flags cannot be checked`) : checked;
  const url = pathToFileURL(join(repoRoot, file[1]!)).href;
  try {
    await import(url);
  } catch (error) {
    return broken(`${file[1]} does not load: ${(error as Error).message.split("\n")[0]}`);
  }
  const command = commands.get(url);
  if (!command) return broken(`${file[1]} defines no command with cli()`);
  try {
    parseCommand(command, [...(file[2] ?? "").split(" ").filter(Boolean), ...fromSynopsis(args)]);
  } catch (error) {
    return broken(`pnpm ${name}: ${(error as Error).message.split("\n")[0]}`);
  }
  return unlisted(`pnpm ${name}`, fromSynopsis(args), command.usage);
}

/** Every flag shown is in the usage `--help` prints, not only accepted. */
function unlisted(program: string, args: string[], usage: string): Verdict {
  const missing = args.filter((arg) => /^--?[a-z]/i.test(arg) && !usage.includes(arg.split("=")[0]!));
  return missing.length ? broken(`${program}: --help does not list ${missing.join(", ")}`) : checked;
}

/** A synopsis's words as a call: `<base>` is a positional, `[--json]` the flag itself. */
function fromSynopsis(words: string[]): string[] {
  return words.map((word) => word.replace(/^\[(.*)\]$/, "$1").replace(/^<(.*)>$/, "$1"));
}

function checkNpm([sub = "", ...args]: string[]): Verdict {
  if (sub !== "install" && sub !== "i") return unchecked(`no check knows "npm ${sub}"`);
  const unknown = args.filter((arg) => arg.startsWith("-") && !npmInstallFlags.has(arg));
  if (unknown.length) return broken(`npm install: no check knows the flags ${unknown.join(", ")}`);
  const names = args.filter((arg) => !arg.startsWith("-"));
  const missing = names.filter((name) => !published.some((pkg) => pkg.name === name));
  if (!names.length || missing.length)
    return broken(`npm install: ${missing.join(", ") || "no package"} is not published here`);
  return checked;
}

/** A bin of a published package, with the flags shown. */
function checkBin([bin = "", ...args]: string[]): Verdict {
  if (!published.some((pkg) => pkg.bin?.[bin] !== undefined)) return broken(`no published package has a bin "${bin}"`);
  if (bin !== "cx-sandbox") return args.length ? unchecked(`no check knows the flags of ${bin}`) : checked;
  try {
    const { values } = parseArgs({ args, options: sandboxOptions, strict: true, allowPositionals: false });
    launchOptionsOf(values, {});
  } catch (error) {
    return broken(`cx-sandbox: ${(error as Error).message.split("\n")[0]}`);
  }
  return unlisted("cx-sandbox", args, sandboxOptionUsage());
}

/**
 * `redocly respect <workflow> --server <name>=<url>`: the workflow exists, and every server it
 * names is one of its source descriptions, pointed at a local server (never the vendor's). The
 * workflows themselves run with respect against the sandbox, twice, in
 * packages/sandbox/test/e2e/gate.test.ts.
 */
function checkRespect([file = "", ...flags]: string[], localUrl: (word: string) => boolean): Verdict {
  const path = join(repoRoot, file);
  if (!file.endsWith(".arazzo.yaml") || !existsSync(path)) return broken(`no Arazzo workflow file "${file}"`);
  const sources = (
    (parseYaml(readFileSync(path, "utf8")) as { sourceDescriptions?: { name: string }[] }).sourceDescriptions ?? []
  ).map((source) => source.name);
  const servers = flags.flatMap((flag, i) => (flag === "--server" ? [flags[i + 1] ?? ""] : []));
  if (!servers.length) return broken(`respect ${file} without --server would call the spec's own (the vendor's) host`);
  for (const server of servers) {
    const [name = "", url = ""] = server.split(/=(.*)/);
    if (!sources.includes(name)) return broken(`--server ${name}: not a source description of ${file}`);
    if (!localUrl(url)) return broken(`--server ${server}: not a local server`);
  }
  return checked;
}
