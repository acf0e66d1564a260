// Every shell line the READMEs and docs show works as written. The curl lines run with sh and curl,
// as a reader pastes them, against servers this test starts on free ports (the stateful sandbox for
// 4010 and 4011, with its own validator as the gate; for 4020 and 4021 the static mocks the contract
// tier's global setup started with `pnpm mock`): each
// exits 0 and gets a 2xx, or the status (`# 404`) or the output (a `# {...}` line under it) the doc
// shows. The lines of one block run in order, in a sandbox namespace of their own, so blocks run side
// by side and each starts from the sandbox's default state. Other commands are checked rather than
// run (readme-shell-checks.ts): `redocly respect` lines, for one, name a workflow and local servers
// only (the workflows run in the gate test). A command no check covers is listed in `allowed`, with
// the reason. Only 127.0.0.1 is ever called: a line naming another host fails without running.
import { execFile } from "node:child_process";
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { isDeepStrictEqual, promisify } from "node:util";
import { mocksReady } from "@cx-openapi/devkit";
import { launchSandbox } from "@cx-openapi/sandbox";
import type { ApiName } from "@cx-openapi/spec";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { bundleDir, loadApis, repoRoot } from "../../lib/apis.js";
import { shellQuote } from "../../lib/curl-samples.js";
import { cleanEnv } from "../../lib/process.js";
import { checkCommand } from "./readme-shell-checks.js";
import { type ShellLine, shellCommands, shellLines } from "./readme-shell-lines.js";

const execFileAsync = promisify(execFile);

/** Docs whose shell lines a test of their own runs word for word, in order, with the servers they start. */
const runElsewhere: Record<string, string> = {
  "docs/keep-the-spec-true.md": "scripts/test/e2e/keep-the-spec-true.test.ts",
};

const docs = [
  "README.md",
  "openapi/README.md",
  ...readdirSync(join(repoRoot, "packages")).map((name) => `packages/${name}/README.md`),
  ...readdirSync(join(repoRoot, "docs"))
    .filter((name) => name.endsWith(".md"))
    .map((name) => `docs/${name}`),
]
  .filter((doc) => existsSync(join(repoRoot, doc)))
  .filter((doc) => !Object.hasOwn(runElsewhere, doc));

/** Commands shown but not checked: the doc, the command as sh splits it, and why. */
const allowed = [
  {
    doc: "README.md",
    command: "corepack enable",
    reason:
      "Node's own command, which installs pnpm's shims for the whole machine: running it would change the machine",
  },
  {
    doc: "README.md",
    command: "pnpm install",
    reason: "pnpm's own command; the test runs in the workspace it installs",
  },
];

type ServerKind = "sandbox" | "mock";
interface Server {
  api: string;
  kind: ServerKind;
}
const apis = loadApis();
/** The local servers the docs call, by their default port (redocly.yaml's x-cx ports). */
const serverOfPort = new Map<number, Server>(
  apis.flatMap((api): [number, Server][] => [
    [api.sandboxPort, { api: api.name, kind: "sandbox" }],
    [api.mockPort, { api: api.name, kind: "mock" }],
  ]),
);
const origins = /\bhttps?:\/\/[^\s'"/]+/g;
const localServer = (origin: string) => {
  const port = /^http:\/\/127\.0\.0\.1:(\d+)$/.exec(origin)?.[1];
  return port ? serverOfPort.get(Number(port)) : undefined;
};

interface Planned {
  line: ShellLine;
  how: "curl" | "checked";
  /** What the host check finds at once (a line that runs may call the local servers only). */
  refused: string[];
  /** What the checks of its commands find (they import the commands, which takes a while). */
  problems: Promise<string[]>;
}
const usedAllowances = new Set<string>();
const local = (word: string) => (word.match(origins) ?? []).some((origin) => localServer(origin));

/** How a line is proven: run with curl, or checked; and what is wrong with it. */
function plan(line: ShellLine): Planned {
  const where = `${line.doc}:${line.at}`;
  const named = line.text.match(origins) ?? [];
  const elsewhere = named
    .filter((origin) => !localServer(origin))
    .map((o) => `${where}: names ${o}; a line that runs may call 127.0.0.1:4010, 4011, 4020, 4021 only`);
  if (/(^|[\s;&|(])curl\s/.test(line.text)) {
    const refused = named.length ? elsewhere : [`${where}: a curl line without a URL`];
    return { line, how: "curl", refused, problems: Promise.resolve([]) };
  }
  return { line, how: "checked", refused: [], problems: commandProblems(line, shellCommands(line.text)) };
}

/** The problems of a line's commands: broken ones, and unchecked ones the allow-list does not name. */
async function commandProblems(line: ShellLine, commands: string[][]): Promise<string[]> {
  const where = `${line.doc}:${line.at}`;
  const verdicts = await Promise.all(commands.map(async (words) => ({ words, ...(await checkCommand(words, local)) })));
  const problems: string[] = [];
  for (const verdict of verdicts) {
    const command = verdict.words.join(" ");
    const allowance = allowed.find((a) => a.doc === line.doc && a.command === command);
    if (verdict.is === "broken") problems.push(`${where}: ${verdict.why}`);
    else if (verdict.is === "unchecked" && allowance) usedAllowances.add(`${line.doc}: ${command}`);
    else if (verdict.is === "unchecked")
      problems.push(`${where}: ${verdict.why}; check it, or allow-list "${command}" with a reason`);
  }
  return problems;
}

/** The servers the test started, each ready on its own, so a line waits only for those it calls. */
interface Servers {
  url(server: Server): Promise<string>;
  stop(): Promise<void>;
}

/** Starts the sandbox when a line calls it (in-process gate, no Prism); the mocks start with the tier. */
function startServers(needed: Server[]): Servers {
  const stops: (() => Promise<void>)[] = [];
  const tracked = <T>(starting: Promise<T>, stopIt: (started: T) => Promise<void>) => {
    const started = starting.then((value) => (stops.push(() => stopIt(value)), value));
    // A failed start is reported by the lines that wait for it.
    started.catch(() => {});
    return started;
  };
  const sandbox = needed.some((s) => s.kind === "sandbox")
    ? tracked(
        launchSandbox({ specDir: bundleDir, ports: { "relay-cdm": 0, hiirelevate: 0 }, gate: "in-process" }),
        (l) => l.running.stop(),
      )
    : undefined;
  return {
    url: async ({ kind, api }) =>
      kind === "sandbox" ? (await sandbox!).running.urls[api as ApiName] : (await mocksReady())[api]!,
    async stop() {
      await Promise.allSettled([sandbox]);
      await Promise.all(stops.map((stopIt) => stopIt()));
    },
  };
}

/** The line with each local server's default origin replaced by the one the test started, once it is up. */
async function rewrite(text: string, servers: Servers): Promise<string> {
  const named = [...new Set(text.match(origins) ?? [])];
  const started = await Promise.all(
    named.map(async (origin) => {
      const server = localServer(origin);
      return [origin, server ? await servers.url(server) : origin] as const;
    }),
  );
  const urls = new Map(started);
  return text.replace(origins, (origin) => urls.get(origin) ?? origin);
}

/** The environment of every line: no proxy, so 127.0.0.1 is called directly. */
function localEnv(): NodeJS.ProcessEnv {
  const env = cleanEnv({ NO_PROXY: "*", no_proxy: "*" });
  for (const key of Object.keys(env)) if (/^(https?|all|ftp)_proxy$/i.test(key)) delete env[key];
  return env;
}

interface Ran {
  line: ShellLine;
  code: number;
  status: number | undefined;
  stdout: string;
  stderr: string;
}

/**
 * Runs a block's curl lines in order in one sh, as a reader does (a variable one line sets, the next
 * uses). `curl` is wrapped to skip ~/.curlrc, add the block's sandbox namespace and dump each
 * answer's headers, from which its status is read.
 */
async function runBlock(lines: ShellLine[], namespace: string, servers: Servers): Promise<Ran[]> {
  const dir = mkdtempSync(join(tmpdir(), "cx-readme-shell-"));
  const file = (name: string, i: number) => join(dir, `${name}.${i}`);
  const into = (name: string, i: number) => shellQuote(file(name, i));
  try {
    const commands = await Promise.all(lines.map((line) => rewrite(line.text, servers)));
    const script = [
      `curl() { command curl -q -H ${shellQuote(`x-sandbox-namespace: ${namespace}`)} -D ${shellQuote(dir)}"/head.$cx_line" "$@"; }`,
      ...commands.map(
        (command, i) =>
          `cx_line=${i}\n{ ${command}\n} >${into("out", i)} 2>${into("err", i)}; echo $? >${into("code", i)}`,
      ),
    ].join("\n");
    await execFileAsync("sh", ["-c", script], { cwd: repoRoot, env: localEnv(), timeout: 10_000 });
    const read = (name: string, i: number) => {
      try {
        return readFileSync(file(name, i), "utf8");
      } catch {
        return "";
      }
    };
    return lines.map((line, i) => ({
      line,
      code: Number(read("code", i)),
      status: [...read("head", i).matchAll(/^HTTP\/[\d.]+ (\d{3})/gm)].map((m) => Number(m[1])).pop(),
      stdout: read("out", i),
      stderr: read("err", i),
    }));
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** What is wrong with a curl line's run: its exit code, its status, or its output against the doc's. */
function curlProblems({ line, code, status, stdout, stderr }: Ran): string[] {
  const where = `${line.doc}:${line.at}`;
  if (code !== 0) return [`${where}: exit code ${code}: ${stderr.trim().slice(0, 300)}`];
  const expected = /^(?:answers\s+)?([1-5]\d\d)\b/.exec(line.comment)?.[1];
  const problems: string[] = [];
  if (expected ? status !== Number(expected) : !(status && status >= 200 && status < 300))
    problems.push(`${where}: status ${status}, not ${expected ?? "a 2xx"}: ${stdout.slice(0, 300)}`);
  if (line.output && !sameOutput(line.output, stdout))
    problems.push(`${where}: printed ${stdout.trim().slice(0, 300)}\n  the doc shows ${line.output}`);
  return problems;
}

/** JSON compared as values, anything else as text. */
function sameOutput(shown: string, printed: string): boolean {
  try {
    return isDeepStrictEqual(JSON.parse(shown), JSON.parse(printed));
  } catch {
    return shown.trim() === printed.trim();
  }
}

/** Runs the curl lines, each block in a sandbox namespace of its own, side by side; the problems. */
async function runCurlLines(planned: Planned[], servers: Servers): Promise<string[]> {
  const curl = planned.filter((p) => p.how === "curl" && !p.refused.length).map((p) => p.line);
  if (!curl.length) return ["no curl line found"];
  const blocks = [...new Set(curl.map((line) => line.block))];
  const ran = await Promise.all(
    blocks.map((block, i) =>
      runBlock(
        curl.filter((line) => line.block === block),
        `readme-${i}`,
        servers,
      ).catch((error: Error) => [`${block}: ${error.message}`]),
    ),
  );
  return ran.flat().flatMap((r) => (typeof r === "string" ? [r] : curlProblems(r)));
}

const lines = shellLines(repoRoot, docs);
let planned: Planned[] = [];
let servers: Servers | undefined;
let curlRun: Promise<string[]>;
beforeAll(() => {
  planned = lines.map(plan);
  servers = startServers(
    lines.flatMap((line) => (line.text.match(origins) ?? []).map(localServer)).filter((s) => s !== undefined),
  );
  // The curl lines and the checks run side by side, each line as soon as the servers it calls are
  // up (none rejects); each test awaits its own.
  curlRun = runCurlLines(planned, servers);
});
afterAll(async () => {
  await Promise.allSettled([curlRun]);
  await servers?.stop();
});

describe("the shell lines of the READMEs and docs", () => {
  it("a doc left to a test of its own is run by that test", () => {
    for (const [doc, test] of Object.entries(runElsewhere))
      expect(readFileSync(join(repoRoot, test), "utf8"), test).toContain(doc);
  });

  it("each command is run, checked, or allow-listed with its reason, and every allowance is used", async () => {
    expect(lines.length).toBeGreaterThan(10);
    const problems = await Promise.all(planned.map(async (p) => [...p.refused, ...(await p.problems)]));
    expect(problems.flat()).toEqual([]);
    expect(allowed.map((a) => `${a.doc}: ${a.command}`).filter((a) => !usedAllowances.has(a))).toEqual([]);
  });

  it("every curl line exits 0 with a 2xx, or the status and output the doc shows, from the server its port names", async () => {
    expect(await curlRun).toEqual([]);
  }, 60_000);
});
