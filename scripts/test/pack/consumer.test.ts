// The packages as their users get them: built, packed with pnpm (publishConfig applied,
// `workspace:*` replaced), checked by publint and attw, installed with plain npm into a fresh project
// outside the workspace, then imported, required, type-checked and bundled there, and run on this
// machine's Node. `pnpm test:matrix` (CX_CONSUMER_NODES=20,22,24) runs it on every Node line the
// packages' `engines` claim, the others from the npm registry's `node` package, cached by npx.
import {
  copyFileSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  writeFileSync,
} from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { launchSandbox, plainTokenTenant, type RunningSandbox } from "@cx-openapi/sandbox";
import { build as esbuild } from "esbuild";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { bundleDir, repoRoot } from "../../lib/apis.js";
import { buildAll } from "../../lib/build-packages.js";
import { attwProblems, packAll, publintProblems, type PackedPackage } from "../../lib/pack.js";
import { isEsmOnly } from "../../lib/packages.js";
import { check, run, type RunOptions } from "../../lib/process.js";
import { satisfies } from "../../lib/semver.js";
import { sandboxConsumerSuite } from "./sandbox-consumer.js";

const fixtures = join(repoRoot, "scripts/test/fixtures/consumer");
/** The Node lines to run on (CX_CONSUMER_NODES, default this one); each must satisfy every package's `engines.node`. */
const nodeLines = (process.env.CX_CONSUMER_NODES || process.versions.node.split(".")[0]!).split(",").map(Number);
type NodeLine = number;

/** Runs a command and returns its stdout; a failure throws with its output. */
const runOk = async (command: string, args: string[], options: RunOptions = {}) =>
  check(command, args, await run(command, args, options)).stdout;

interface Setup {
  root: string;
  project: string;
  /** A project with only the sandbox's tarball and those of the packages it depends on. */
  sandboxProject: string;
  packages: PackedPackage[];
  nodes: Map<NodeLine, { bin: string; version: string }>;
}
let setup: Setup;
let scratch: string | undefined;
const timings: Record<string, number> = {};
const suiteStarted = Date.now();

async function timed<T>(label: string, work: () => Promise<T>): Promise<T> {
  const started = Date.now();
  try {
    return await work();
  } finally {
    timings[label] = Date.now() - started;
  }
}

/** A Node binary of that major line: this process's for 20, else the registry's `node` package via npx. */
async function nodeBinary(line: NodeLine): Promise<{ bin: string; version: string }> {
  if (process.versions.node.startsWith(`${line}.`)) return { bin: process.execPath, version: process.version };
  const stdout = await runOk(
    "npx",
    ["-y", "--prefer-offline", "-p", `node@${line}`, "node", "-p", "process.execPath + ' ' + process.version"],
    {
      cwd: tmpdir(),
      timeoutMs: 180_000,
    },
  );
  const [bin, version] = stdout.trim().split("\n").at(-1)!.split(" ");
  if (!bin || !version?.startsWith(`v${line}.`)) throw new Error(`npx -p node@${line} gave ${stdout}`);
  return { bin, version };
}

/** A project's package.json that installs these tarballs. */
function writeManifest(project: string, packages: PackedPackage[]): void {
  const dependencies = Object.fromEntries(packages.map((pkg) => [pkg.json.name, `file:${pkg.tarball}`]));
  // The packages depend on each other by version (a client on @cx-openapi/runtime, the sandbox on
  // @cx-openapi/spec); the override makes npm take the packed one even if the registry had a package
  // of that name.
  const overrides = Object.fromEntries(packages.map((pkg) => [pkg.json.name, `$${pkg.json.name}`]));
  writeFileSync(
    join(project, "package.json"),
    `${JSON.stringify({ name: "cx-openapi-consumer", private: true, type: "module", dependencies, overrides }, null, 2)}\n`,
  );
}

/** The package of that name and the workspace packages it depends on, transitively: what its users install. */
function withDependencies(packages: PackedPackage[], name: string): PackedPackage[] {
  const pkg = packages.find((p) => p.json.name === name);
  if (!pkg) throw new Error(`no packed package ${name}`);
  const inner = Object.keys(pkg.json.dependencies ?? {}).filter((dep) => packages.some((p) => p.json.name === dep));
  return [...new Set([pkg, ...inner.flatMap((dep) => withDependencies(packages, dep))])];
}

const npmInstall = (project: string) =>
  runOk("npm", ["install", "--no-audit", "--no-fund", "--prefer-offline", "--loglevel=error"], {
    cwd: project,
    timeoutMs: 180_000,
  });

function writeProject(project: string, packages: PackedPackage[]): void {
  writeManifest(project, packages);
  for (const file of readdirSync(fixtures)) {
    if (file !== "README.md") copyFileSync(join(fixtures, file), join(project, file.replace(/\.tmpl$/, "")));
  }
  const strict = {
    strict: true,
    exactOptionalPropertyTypes: true,
    noUncheckedIndexedAccess: true,
    noEmit: true,
    // Our .d.ts files are what is under test: check them too (and openapi-fetch's, which they
    // re-export). TypeScript's own lib.*.d.ts are not: checking them took ~2.6 s of each tsc run.
    skipLibCheck: false,
    skipDefaultLibCheck: true,
    target: "ES2022",
    lib: ["ES2022", "DOM", "DOM.Iterable"],
    types: [],
  };
  const tsconfig = (compilerOptions: object, files: string[]) =>
    `${JSON.stringify({ compilerOptions: { ...strict, ...compilerOptions }, files }, null, 2)}\n`;
  // One run checks every declaration file, ESM (.d.ts) and CommonJS (.d.cts), and the usage files
  // against them. A bundler (moduleResolution bundler) resolves the same .d.ts files as node16's
  // `import` does, which attw checks in every resolution mode: a second tsc run would only repeat
  // this one, for seconds of CPU.
  writeFileSync(
    join(project, "tsconfig.node16.json"),
    tsconfig({ module: "node16", moduleResolution: "node16" }, ["usage.ts", "usage-cjs.cts"]),
  );
}

beforeAll(async () => {
  const root = mkdtempSync(join(tmpdir(), "cx-openapi-consumer-"));
  scratch = root;
  const project = join(root, "project");
  // Fetching other Node lines (first run only) overlaps with the build.
  const nodes = timed(
    `node ${nodeLines.join(", ")}`,
    async () => new Map(await Promise.all(nodeLines.map(async (line) => [line, await nodeBinary(line)] as const))),
  );
  nodes.catch(() => {}); // awaited below; this only keeps an early failure elsewhere from leaving it unhandled
  await timed("build", () => buildAll({ typeCheck: false }));
  const packages = await timed("pnpm pack", () => packAll(join(root, "tarballs")));
  mkdirSync(project);
  writeProject(project, packages);
  // The sandbox's users install it alone: its tarball brings what it needs (the spec's), not the clients'.
  const sandboxProject = join(root, "sandbox-project");
  mkdirSync(sandboxProject);
  writeManifest(sandboxProject, withDependencies(packages, "@cx-openapi/sandbox"));
  await timed("npm install", () => Promise.all([npmInstall(project), npmInstall(sandboxProject)]));
  setup = { root, project, sandboxProject, packages, nodes: await nodes };
}, 360_000);

/**
 * What the consumer scripts call: the stateful sandbox of both APIs (in-process gate, free ports),
 * seeded with the customers they read; any other id is a 404.
 */
let sandbox: RunningSandbox | undefined;
beforeAll(async () => {
  const seed = join(mkdtempSync(join(tmpdir(), "cx-openapi-consumer-seed-")), "seed.json");
  writeFileSync(
    seed,
    JSON.stringify({
      relayCdm: {
        clients: {
          relay_developer: {
            customers: [{ product_group_id: "default", customer: { ccid: "BAK-11984-007", first_name: "Roger" } }],
          },
        },
      },
      hiirelevate: {
        tenants: {
          [plainTokenTenant("any")]: {
            customers: [
              { id: "3fa85f64-5717-4562-b3fc-2c963f66afa6", displayName: "Ada", email: [{ value: "ada@example.com" }] },
            ],
          },
        },
      },
    }),
  );
  try {
    ({ running: sandbox } = await launchSandbox({
      specDir: bundleDir,
      ports: { "relay-cdm": 0, hiirelevate: 0 },
      gate: "in-process",
      seedFile: seed,
    }));
  } finally {
    rmSync(dirname(seed), { recursive: true, force: true });
  }
});

afterAll(async () => {
  await sandbox?.stop();
  if (scratch) rmSync(scratch, { recursive: true, force: true });
  timings["whole suite"] = Date.now() - suiteStarted;
  console.log(`consumer suite timings (ms): ${JSON.stringify(timings)}`);
});

describe("the packed tarballs", () => {
  it("contain the builds, the types and (clients) the spec, no sources, and real dependency versions", async () => {
    for (const pkg of setup.packages) {
      const stdout = await runOk("tar", ["-tzf", pkg.tarball]);
      const files = stdout
        .trim()
        .split("\n")
        .map((f) => f.replace(/^package\//, ""));
      // An ESM-only package (the sandbox) ships no CommonJS build: see isEsmOnly.
      const esmOnly = isEsmOnly(pkg);
      const commonJs = ["dist/index.cjs", "dist/index.d.cts"];
      expect(files).toEqual(
        expect.arrayContaining(["package.json", "README.md", "LICENSE", "dist/index.js", "dist/index.d.ts"]),
      );
      if (esmOnly) expect(files.filter((f) => f.endsWith(".cjs") || f.endsWith(".d.cts"))).toEqual([]);
      else expect(files).toEqual(expect.arrayContaining(commonJs));
      if (pkg.api) expect(files).toEqual(expect.arrayContaining(["dist/openapi.json", "dist/openapi.yaml"]));
      expect(files.filter((f) => !/^(dist\/|package\.json$|README\.md$|LICENSE$|CHANGELOG\.md$)/.test(f))).toEqual([]);
      expect(files.filter((f) => f.endsWith(".ts") && !f.endsWith(".d.ts")).length).toBe(0);

      const manifestText = await runOk("tar", ["-xzOf", pkg.tarball, "package/package.json"]);
      // biome-ignore lint/suspicious/noExplicitAny: a package.json read back, asserted field by field
      const manifest = JSON.parse(manifestText) as Record<string, any>;
      expect(manifestText).not.toContain("workspace:");
      expect(manifestText).not.toContain("./src/");
      expect(manifest).toMatchObject({
        type: "module",
        sideEffects: false,
        license: "MIT",
        ...(esmOnly ? { types: "./dist/index.d.ts" } : { main: "./dist/index.cjs", types: "./dist/index.d.cts" }),
      });
      if (esmOnly) expect(manifest.main).toBeUndefined();
      expect(manifest.engines.node).toBeTruthy();
      expect(manifest.repository.directory).toBe(`packages/${pkg.dir}`);
      for (const [dep, range] of Object.entries(manifest.dependencies as Record<string, string>)) {
        const inner = setup.packages.find((p) => p.json.name === dep);
        if (inner) expect(range, `${pkg.json.name} -> ${dep}`).toBe(inner.json.version);
      }
    }
  });

  it("publint finds nothing, not even a suggestion", async () => {
    const problems = await Promise.all(
      setup.packages.map(async (pkg) => [pkg.json.name, await publintProblems(pkg.tarball)] as const),
    );
    expect(problems.filter(([, problem]) => problem !== undefined)).toEqual([]);
  }, 60_000);

  it("are the types wrong? (attw, every resolution mode) finds nothing", async () => {
    const problems = await Promise.all(
      setup.packages.map(async (pkg) => [pkg.json.name, await attwProblems(pkg)] as const),
    );
    expect(problems.filter(([, problem]) => problem !== undefined)).toEqual([]);
  }, 60_000);
});

describe("a fresh npm project outside the workspace", () => {
  it("installs the tarballs, with one copy of the runtime", () => {
    expect(setup.project.startsWith(repoRoot)).toBe(false);
    for (const pkg of setup.packages) {
      const installed = JSON.parse(
        readFileSync(join(setup.project, "node_modules", pkg.json.name, "package.json"), "utf8"),
      ) as { version: string };
      expect(installed.version).toBe(pkg.json.version);
      expect(existsSync(join(setup.project, "node_modules", pkg.json.name, "node_modules"))).toBe(false);
    }
    // A client imports the runtime it depends on; it carries no copy of its own.
    for (const client of ["@cx-openapi/relay-cdm", "@cx-openapi/hiirelevate"]) {
      for (const file of ["dist/index.js", "dist/index.cjs"]) {
        const code = readFileSync(join(setup.project, "node_modules", client, file), "utf8");
        expect(code, `${client}/${file}`).toMatch(/["']@cx-openapi\/runtime["']/);
        expect(code, `${client}/${file}`).not.toContain("packages/runtime/src");
      }
    }
  });

  it("satisfies every package's engines.node with each tested Node line", () => {
    for (const pkg of setup.packages) {
      const range = pkg.json.engines?.node;
      expect(range, `${pkg.json.name} engines.node`).toBeTruthy();
      for (const { version } of setup.nodes.values())
        expect(satisfies(version, range!), `${version} in ${range}`).toBe(true);
    }
  });

  const mockEnv = () => ({ RELAY_URL: sandbox!.urls["relay-cdm"], HII_URL: sandbox!.urls.hiirelevate });
  const runOn = async (line: NodeLine, script: string) => {
    const node = setup.nodes.get(line)!;
    const started = Date.now();
    const stdout = await runOk(node.bin, [script], { cwd: setup.project, env: mockEnv(), timeoutMs: 60_000 });
    timings[`node ${line} ${script}`] = Date.now() - started;
    // biome-ignore lint/suspicious/noExplicitAny: the JSON the consumer scripts print, asserted field by field
    return JSON.parse(stdout.trim().split("\n").at(-1)!) as Record<string, any>;
  };

  describe.each(nodeLines)("on Node %i", (line) => {
    it("`import` works: both clients call the sandbox, typed errors, spec exports, one ApiError across ESM and CJS, drift", async () => {
      const out = await runOn(line, "esm.mjs");
      expect(out.node).toBe(setup.nodes.get(line)!.version);
      expect(out.relay).toMatchObject({ status: 200, ccid: expect.any(String) });
      expect(out.hii).toMatchObject({ status: 200, displayName: expect.any(String) });
      expect(out.typedError).toEqual({
        isApiError: true,
        status: 404,
        operation: { method: "GET", path: "/cdm/client/{client_id}/customer/{ccid}" },
      });
      expect(out.crossFormat).toEqual({ sameClass: false, instanceOfEsm: true });
      expect(out.drift).toEqual({ status: 200, checked: 1, deviating: 0 });
      expect(out.enums.consentTypeValues).toEqual(["written", "express", "stop"]);
      const versions = Object.fromEntries(setup.packages.map((p) => [p.dir, p.json.version]));
      expect(out.specs).toEqual({ relay: versions["relay-cdm"], hii: versions.hiirelevate, relayYaml: true });
    }, 60_000);

    it("`require` works: both clients call the sandbox, typed errors, the spec as JSON, drift", async () => {
      const out = await runOn(line, "cjs.cjs");
      expect(out.node).toBe(setup.nodes.get(line)!.version);
      expect(out.relay).toMatchObject({ status: 200, ccid: expect.any(String) });
      expect(out.hii).toEqual({ status: 200 });
      expect(out.typedError).toEqual({ isApiError: true, status: 404 });
      expect(out).toMatchObject({
        runtimeExports: true,
        clientCredentials: "function",
        phoneLineTypeValues: ["mobile", "landline", "unknown"],
        drift: "function",
      });
    }, 60_000);
  });

  it("TypeScript strict compiles a realistic usage file with moduleResolution node16, ESM and CommonJS", async () => {
    const tsc = join(repoRoot, "node_modules/.bin/tsc");
    const started = Date.now();
    const result = await run(tsc, ["-p", "tsconfig.node16.json"], { cwd: setup.project });
    timings["tsc node16"] = Date.now() - started;
    expect(result.code === 0 ? "" : result.output).toBe("");
  }, 90_000);

  it("bundles for the browser with esbuild, without any Node built-in", async () => {
    const result = await esbuild({
      entryPoints: [join(setup.project, "browser.mjs")],
      absWorkingDir: setup.project,
      bundle: true,
      platform: "browser",
      format: "esm",
      minify: true,
      write: false,
      metafile: true,
      logLevel: "silent",
    });
    const inputs = Object.keys(result.metafile.inputs);
    expect(
      inputs.filter((input) => input.startsWith("node:") || !/^(browser\.mjs|node_modules\/)/.test(input)),
    ).toEqual([]);
    expect(inputs).toEqual(
      expect.arrayContaining([
        expect.stringContaining("@cx-openapi/relay-cdm/dist/index.js"),
        expect.stringContaining("openapi-fetch/dist/index.mjs"),
      ]),
    );
    const code = result.outputFiles[0]!.text;
    expect(code).not.toMatch(/\brequire\(|__require|from"node:|import\("node:/);
    console.log(`browser bundle of both clients: ${code.length} bytes minified`);
  });
});

sandboxConsumerSuite(() => setup.sandboxProject);
