// pnpm spec:diff: each API's spec and each package's exports against the last released version,
// or any two spec files (`diffFiles`, in spec-diff-files.ts: it loads no TypeScript).
//
// The base, per package:
//   --against <file>  a previously published bundle (JSON or YAML), e.g. a tarball's openapi.json
//   --base <git-ref>  that revision
//   otherwise         the package's newest release tag, `@cx-openapi/relay-cdm@0.1.0` (what
//                     `changeset tag` creates) or `relay-cdm@0.1.0`; with no tag yet, HEAD
//
// Breaking changes fail, unless pending changesets (or an already applied `changeset version`) take
// the package to a version that may break: a new major, or a new minor while the major is 0.
import { createHash } from "node:crypto";
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join, relative } from "node:path";
import { loadSpec } from "@cx-openapi/spec";
import { parse } from "yaml";
import { loadApis, repoRoot } from "./apis.js";
import { compareDocuments } from "./breaking/compare.js";
import { isStale } from "./bundle.js";
import { diffExports, diffTypeNames, generatedTypeNames, listExports, type ExportedName } from "./breaking/exports.js";
import { formatChange, type Change, type RuleId, type Severity } from "./breaking/rules.js";
import { bin, runOrThrow, runSync } from "./process.js";
import { allowsBreakingChange, bumpVersion, compareVersions, parseVersion, type Bump } from "./semver.js";
import { compareData, countsLine } from "./spec-diff-files.js";
import { loadSpecFile } from "./spec-file.js";

export interface SpecDiffOptions {
  /** The repository root (a git work tree). */
  root: string;
  base?: string;
  against?: string;
  /** Only this API (its name in redocly.yaml) or package (`relay-cdm`, `@cx-openapi/relay-cdm`). */
  only?: string;
  /** Warnings fail too. */
  strict?: boolean;
  /** List non-breaking changes as well. */
  verbose?: boolean;
  /** Fail on breaking changes even when pending changesets allow them. */
  ignoreChangesets?: boolean;
}

export interface PackageReport {
  packageName: string;
  version: string;
  base: string;
  changes: Change[];
  /** Why breaking changes do not fail, if they do not. */
  acknowledged?: string;
  failed: boolean;
}

interface Workspace {
  dir: string;
  name: string;
  version: string;
  /** The API this package is the client of. */
  api?: { name: string; root: string };
}

function git(root: string, args: string[]): string {
  return runOrThrow("git", args, { cwd: root }).stdout;
}

function gitShow(root: string, ref: string, path: string): string | undefined {
  const result = runSync("git", ["show", `${ref}:${path}`], { cwd: root });
  return result.code === 0 ? result.stdout : undefined;
}

/** The publishable packages of a checkout and the API each client belongs to (from redocly.yaml). */
function workspaceAt(read: (path: string) => string | undefined, list: () => string[]): Workspace[] {
  const redocly = parse(read("redocly.yaml") ?? "{}") as {
    apis?: Record<string, { root: string; "x-cx"?: { package?: string } }>;
  };
  return list().flatMap((dir) => {
    const text = read(`packages/${dir}/package.json`);
    if (!text) return [];
    const pkg = JSON.parse(text) as { name: string; version: string; private?: boolean };
    if (pkg.private) return [];
    const api = Object.entries(redocly.apis ?? {}).find(
      ([, entry]) => entry["x-cx"]?.package?.replace(/\/$/, "") === `packages/${dir}`,
    );
    return [
      { dir, name: pkg.name, version: pkg.version, ...(api ? { api: { name: api[0], root: api[1].root } } : {}) },
    ];
  });
}

/** The newest release tag of a package: `@scope/name@x.y.z` (Changesets) or `dir@x.y.z`. */
export function releaseTag(
  root: string,
  pkg: { name: string; dir: string },
): { tag: string; version: string } | undefined {
  const tags = git(root, ["tag", "--list", `${pkg.name}@*`, `${pkg.dir}@*`])
    .split("\n")
    .filter(Boolean);
  const versions = tags
    .map((tag) => ({ tag, version: tag.slice(tag.lastIndexOf("@") + 1) }))
    .filter((t) => parseVersion(t.version) && !parseVersion(t.version)!.prerelease)
    .sort((a, b) => compareVersions(b.version, a.version));
  return versions[0];
}

/** The bundles made in this process, by the content of their sources: the same tree is bundled once. */
const bundles = new Map<string, Record<string, unknown>>();

/** A hash of every file under a folder (names and contents). */
function treeHash(dir: string, hash = createHash("sha256")): ReturnType<typeof createHash> {
  for (const entry of readdirSync(dir, { withFileTypes: true }).sort((a, b) => a.name.localeCompare(b.name))) {
    const path = join(dir, entry.name);
    hash.update(`\0${entry.name}\0`);
    if (entry.isDirectory()) treeHash(path, hash);
    else if (entry.isFile()) hash.update(readFileSync(path));
  }
  return hash;
}

/** What a bundle of `specRoot` in `cwd` depends on: the files of its folder, its path and redocly.yaml. */
function sourcesKey(cwd: string, specRoot: string): string {
  const config = join(cwd, "redocly.yaml");
  return treeHash(dirname(join(cwd, specRoot)))
    .update(`\0${specRoot}\0${existsSync(config) ? readFileSync(config, "utf8") : ""}`)
    .digest("hex");
}

/**
 * This repository's bundle (dist/openapi) of an API whose sources are exactly these, if it is up
 * to date: Redocly would make the same document again. A release tag's tree usually holds the same
 * sources as the working tree, so most comparisons bundle only the side that changed.
 */
function upToDateBundle(key: string): Record<string, unknown> | undefined {
  const api = loadApis().find(
    (candidate) => sourcesKey(repoRoot, relative(repoRoot, candidate.root)) === key && !isStale(candidate),
  );
  return api && loadSpec(api.bundleJson);
}

/** The bundle Redocly makes of a spec root inside `cwd` (a checkout), as an object. */
function bundle(cwd: string, specRoot: string, scratch: string): Record<string, unknown> {
  const key = sourcesKey(cwd, specRoot);
  const cached = bundles.get(key) ?? upToDateBundle(key);
  if (cached) {
    bundles.set(key, cached);
    return structuredClone(cached);
  }
  const out = join(scratch, `bundle-${bundles.size}.yaml`);
  const result = runSync(bin("redocly"), ["bundle", specRoot, "-o", out], { cwd });
  if (result.code !== 0 || !existsSync(out))
    throw new Error(`redocly bundle ${specRoot} (in ${cwd}) failed:\n${result.output}`);
  const document = parse(readFileSync(out, "utf8")) as Record<string, unknown>;
  bundles.set(key, document);
  return structuredClone(document);
}

/** Pending changesets' bump per package name (the largest wins). */
export function pendingBumps(root: string): Map<string, Bump> {
  const dir = join(root, ".changeset");
  const bumps = new Map<string, Bump>();
  if (!existsSync(dir)) return bumps;
  const rank = { patch: 0, minor: 1, major: 2 } as const;
  for (const file of readdirSync(dir).filter((f) => f.endsWith(".md") && f !== "README.md")) {
    const front = /^---\r?\n([\s\S]*?)\r?\n---/.exec(readFileSync(join(dir, file), "utf8"));
    if (!front) continue;
    for (const [name, bump] of Object.entries((parse(front[1] ?? "") as Record<string, string> | null) ?? {})) {
      if (!(bump in rank)) continue;
      const current = bumps.get(name);
      if (!current || rank[bump as Bump] > rank[current]) bumps.set(name, bump as Bump);
    }
  }
  return bumps;
}

/** One run of `pnpm spec:diff` without files: the repository, the options, and a scratch folder. */
interface Run {
  root: string;
  options: SpecDiffOptions;
  scratch: string;
  /** The tree of a git ref, extracted once. */
  checkout(ref: string): string;
  /** The `--against` document, if given. */
  againstDoc?: Record<string, unknown>;
}

/** What a package is compared with: a file, a git ref (a release tag, `--base`, or HEAD). */
interface Base {
  ref?: string;
  /** In words, for the report. */
  base: string;
  /** The version of the package there, which says whether a breaking change is allowed. */
  baseVersion: string;
}

export async function specDiff(
  options: SpecDiffOptions,
): Promise<{ reports: PackageReport[]; text: string; failed: boolean }> {
  const { root } = options;
  const scratch = mkdtempSync(join(tmpdir(), "cx-openapi-spec-diff-"));
  try {
    git(root, ["rev-parse", "--git-dir"]);
    const current = currentWorkspace(root, options.only);
    const run: Run = { root, options, scratch, checkout: checkouts(root, scratch) };
    let packages = current;
    if (options.against) {
      run.againstDoc = loadSpecFile(options.against);
      packages = [againstPackage(run, run.againstDoc, current)];
    }
    const reports: PackageReport[] = [];
    const lines: string[] = [];
    for (const pkg of packages) {
      const report = await packageReport(run, pkg);
      reports.push(report.report);
      lines.push(...report.lines, "");
    }
    lines.push(...verdictLines(reports));
    return { reports, text: lines.join("\n"), failed: reports.some((r) => r.failed) };
  } finally {
    rmSync(scratch, { recursive: true, force: true });
  }
}

/** Extracts the tree of a git ref into the scratch folder, once per ref. */
function checkouts(root: string, scratch: string): (ref: string) => string {
  const trees = new Map<string, string>();
  return (ref) => {
    let dir = trees.get(ref);
    if (!dir) {
      dir = join(scratch, `ref-${trees.size}`);
      mkdirSync(dir);
      git(root, ["archive", "--format=tar", "-o", join(scratch, "ref.tar"), ref]);
      runOrThrow("tar", ["-xf", join(scratch, "ref.tar"), "-C", dir]);
      trees.set(ref, dir);
    }
    return dir;
  };
}

/** The publishable packages of the working tree (`only`: the one named). */
function currentWorkspace(root: string, only: string | undefined): Workspace[] {
  const current = workspaceAt(
    (path) => (existsSync(join(root, path)) ? readFileSync(join(root, path), "utf8") : undefined),
    () => readdirSync(join(root, "packages")),
  ).filter((pkg) => !only || [pkg.dir, pkg.name, pkg.api?.name].includes(only));
  if (current.length === 0) throw new Error(`No publishable package matches "${only}"`);
  return current;
}

/** The client whose API `--against` describes: the only one, or the one whose spec has its title. */
function againstPackage({ root, options }: Run, againstDoc: Record<string, unknown>, current: Workspace[]) {
  const title = (againstDoc.info as { title?: string } | undefined)?.title;
  const clients = current.filter((pkg) => pkg.api);
  const titleOf = (pkg: Workspace) =>
    (parse(readFileSync(join(root, pkg.api!.root), "utf8")) as { info?: { title?: string } }).info?.title;
  const found = clients.length === 1 ? clients[0] : clients.find((pkg) => titleOf(pkg) === title);
  if (!found)
    throw new Error(
      `--against ${options.against}: which API is it? Pass --api <name> (its title "${title}" matches none)`,
    );
  return found;
}

/** The base of a package: the `--against` file, `--base`, its newest release tag, or HEAD. */
function chooseBase({ root, options, againstDoc }: Run, pkg: Workspace): Base {
  const versionAt = (ref: string) => {
    const old = gitShow(root, ref, `packages/${pkg.dir}/package.json`);
    return old ? (JSON.parse(old) as { version: string }).version : pkg.version;
  };
  if (againstDoc) {
    const fileVersion = String((againstDoc.info as { version?: unknown } | undefined)?.version ?? "");
    const known = parseVersion(fileVersion) !== undefined;
    return {
      base: `file ${options.against}${known ? ` (info.version ${fileVersion})` : ""}`,
      baseVersion: known ? fileVersion : pkg.version,
    };
  }
  const short = (ref: string) => git(root, ["rev-parse", "--short", ref]).trim();
  if (options.base)
    return {
      ref: options.base,
      base: `${options.base} (${short(options.base)})`,
      baseVersion: versionAt(options.base),
    };
  const tag = releaseTag(root, pkg);
  if (tag) return { ref: tag.tag, base: `release tag ${tag.tag}`, baseVersion: tag.version };
  return {
    ref: "HEAD",
    base: `HEAD (${short("HEAD")}): no release tag yet (looked for ${pkg.name}@* and ${pkg.dir}@*)`,
    baseVersion: versionAt("HEAD"),
  };
}

/** The spec's changes and its generated type names' (for a client package), with notes. */
async function specChanges(run: Run, pkg: Workspace, ref: string | undefined, notes: string[]): Promise<Change[]> {
  if (!pkg.api) return [];
  let before = run.againstDoc;
  if (!before && ref) {
    const tree = run.checkout(ref);
    const then = workspaceAt(
      (path) => (existsSync(join(tree, path)) ? readFileSync(join(tree, path), "utf8") : undefined),
      () => (existsSync(join(tree, "packages")) ? readdirSync(join(tree, "packages")) : []),
    ).find((p) => p.name === pkg.name || p.dir === pkg.dir);
    const specRoot = then?.api?.root ?? pkg.api.root;
    if (existsSync(join(tree, specRoot))) before = bundle(tree, specRoot, run.scratch);
    else notes.push(`the spec did not exist at ${ref}: nothing to compare`);
  }
  if (!before) return [];
  const after = bundle(run.root, pkg.api.root, run.scratch);
  const changes = run.againstDoc
    ? compareData(`against ${run.options.against}`, before, after)
    : compareDocuments(before, after);
  return [...changes, ...diffTypeNames(pkg.name, await generatedTypeNames(before), await generatedTypeNames(after))];
}

/** The package's public exports at `ref` and now (not the generated schema types: specChanges). */
function exportChanges({ root, againstDoc }: Run, pkg: Workspace, ref: string | undefined, notes: string[]): Change[] {
  if (!ref) {
    if (againstDoc) notes.push("exports not compared: --against gives a spec, not the package's sources");
    return [];
  }
  const entry = "src/index.ts";
  const beforeRead = (path: string) => gitShow(root, ref, `packages/${pkg.dir}/${path}`);
  if (beforeRead(entry) === undefined) {
    notes.push(`packages/${pkg.dir}/${entry} did not exist at ${ref}`);
    return [];
  }
  const afterRead = (path: string) =>
    existsSync(join(root, "packages", pkg.dir, path))
      ? readFileSync(join(root, "packages", pkg.dir, path), "utf8")
      : undefined;
  const handWritten = (names: Map<string, ExportedName>) =>
    new Map([...names].filter(([, n]) => !n.from.endsWith("generated/schema.ts")));
  return diffExports(pkg.name, handWritten(listExports(entry, beforeRead)), handWritten(listExports(entry, afterRead)));
}

/** One package compared with its base: its report, and the lines that print it. */
async function packageReport(run: Run, pkg: Workspace): Promise<{ report: PackageReport; lines: string[] }> {
  const { root, options } = run;
  const { ref, base, baseVersion } = chooseBase(run, pkg);
  const notes: string[] = [];
  const changes = [...(await specChanges(run, pkg, ref, notes)), ...exportChanges(run, pkg, ref, notes)];
  const [breaking, warnings, infos] = (["breaking", "warning", "info"] as const).map((severity) =>
    changes.filter((c) => c.severity === severity),
  ) as [Change[], Change[], Change[]];
  const bump = pendingBumps(root).get(pkg.name);
  const planned = bump ? bumpVersion(pkg.version, bump) : pkg.version;
  let acknowledged: string | undefined;
  if (breaking.length && !options.ignoreChangesets && allowsBreakingChange(baseVersion, planned)) {
    acknowledged = bump
      ? `pending changesets take ${pkg.name} from ${pkg.version} to ${planned} (base ${baseVersion})`
      : `${pkg.name} is already at ${pkg.version} (base ${baseVersion})`;
  }
  const failed = (breaking.length > 0 && !acknowledged) || (!!options.strict && warnings.length > 0);
  const lines = [`${pkg.name}@${pkg.version}${pkg.api ? ` (spec ${pkg.api.root})` : ""} against ${base}`];
  for (const note of notes) lines.push(`  note: ${note}`);
  for (const change of [...breaking, ...warnings, ...(options.verbose ? infos : [])])
    lines.push(`  ${formatChange(change)}`);
  const counts = countsLine(breaking.length, warnings.length, infos.length, options.verbose);
  lines.push(`  ${counts}${acknowledged ? `; breaking changes allowed: ${acknowledged}` : ""}`);
  const report = {
    packageName: pkg.name,
    version: pkg.version,
    base,
    changes,
    ...(acknowledged ? { acknowledged } : {}),
    failed,
  };
  return { report, lines };
}

/** `2 breaking, 1 warning, 3 non-breaking (--verbose lists them)`. */

function verdictLines(reports: PackageReport[]): string[] {
  const failing = reports.filter((r) => r.failed);
  if (!failing.length) return ["✔ spec:diff: no unannounced breaking change."];
  return [
    `✖ spec:diff failed for ${failing.map((r) => r.packageName).join(", ")}.`,
    "  If a breaking change is intended, add a changeset (`pnpm changeset`) that bumps the package to a new major " +
      "(a new minor while it is 0.x); spec:diff then allows it. Otherwise, undo the change.",
  ];
}

/**
 * One change as `--json` prints it. `location` names the operation (`GET /customers/{id}`,
 * `WEBHOOK customerCreated POST`; absent for document-level changes), the place in it (`request
 * body application/json`, `query parameter limit`, `response 200 header x-request-id`) and the
 * property path inside that schema (`.customer.first_name`, `.tags[]`, `<Card>.number`).
 */
export interface ChangeRecord {
  rule: RuleId;
  level: Severity;
  location: { operation?: string; where?: string; path?: string };
  message: string;
}

export function changeRecord(change: Change): ChangeRecord {
  const { rule, severity, operation, where, path, message } = change;
  const location = { ...(operation ? { operation } : {}), ...(where ? { where } : {}), ...(path ? { path } : {}) };
  return { rule, level: severity, location, message };
}

export { diffFiles, type FileDiff } from "./spec-diff-files.js";
