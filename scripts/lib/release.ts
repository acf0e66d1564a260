// The steps of `pnpm release`: the dry run (checks, build, pack, publint/attw, a preview of the next
// `changeset version` in a throwaway copy), applying the pending changesets, and publishing.
import {
  cpSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  statSync,
  symlinkSync,
} from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { repoRoot } from "./apis.js";
import { buildAll } from "./build-packages.js";
import { attwProblems, packAll, publintProblems } from "./pack.js";
import { publicPackages } from "./packages.js";
import { runOrThrow, runSync } from "./process.js";
import { pendingBumps } from "./spec-diff.js";
import { specVersions, syncSpecVersions } from "./spec-version.js";

const step = (title: string) => console.log(`\n▶ ${title}`);

function sh(command: string, args: string[]): void {
  console.log(`$ ${command} ${args.join(" ")}`);
  runOrThrow(command, args, { inherit: true });
}

function capture(command: string, args: string[], cwd = repoRoot): { ok: boolean; out: string } {
  const result = runSync(command, args, { cwd });
  return { ok: result.code === 0, out: result.output.trim() };
}

const changesetBin = join(repoRoot, "node_modules/.bin/changeset");

export interface PlannedRelease {
  name: string;
  from: string;
  to: string;
  /** The CHANGELOG.md section `changeset version` would add. */
  changelog: string;
}

/**
 * What `changeset version` (plus the spec version sync) would do, computed in a throwaway copy of
 * the files it reads and writes, so the checkout is untouched.
 */
export function previewVersions(root = repoRoot): {
  releases: PlannedRelease[];
  specs: ReturnType<typeof syncSpecVersions>;
} {
  const copy = mkdtempSync(join(tmpdir(), "cx-openapi-release-preview-"));
  try {
    for (const file of ["package.json", "pnpm-workspace.yaml", "redocly.yaml", ".changeset"])
      cpSync(join(root, file), join(copy, file), { recursive: true });
    for (const dir of readdirSync(join(root, "packages"))) {
      for (const file of ["package.json", "CHANGELOG.md"]) {
        if (existsSync(join(root, "packages", dir, file))) {
          mkdirSync(join(copy, "packages", dir), { recursive: true });
          cpSync(join(root, "packages", dir, file), join(copy, "packages", dir, file));
        }
      }
    }
    for (const entry of specVersions(root)) cpSync(join(root, entry.spec), join(copy, entry.spec));
    // The changelog generator is resolved from .changeset/, so the copy needs our node_modules.
    symlinkSync(join(repoRoot, "node_modules"), join(copy, "node_modules"), "dir");
    const before = publicPackages(root).map((pkg) => ({
      name: pkg.json.name,
      dir: pkg.dir,
      version: pkg.json.version,
    }));
    const hasChangesets = readdirSync(join(root, ".changeset")).some((f) => f.endsWith(".md") && f !== "README.md");
    if (hasChangesets) {
      const result = capture(changesetBin, ["version"], copy);
      if (!result.ok) throw new Error(`changeset version (in a throwaway copy) failed:\n${result.out}`);
    }
    const specs = syncSpecVersions(copy);
    const releases = before.flatMap((pkg) => {
      const to = (
        JSON.parse(readFileSync(join(copy, "packages", pkg.dir, "package.json"), "utf8")) as { version: string }
      ).version;
      if (to === pkg.version) return [];
      const log = existsSync(join(copy, "packages", pkg.dir, "CHANGELOG.md"))
        ? readFileSync(join(copy, "packages", pkg.dir, "CHANGELOG.md"), "utf8")
        : "";
      const section =
        new RegExp(`^## ${to.replace(/\./g, "\\.")}\\n([\\s\\S]*?)(?=^## |$(?![\\s\\S]))`, "m").exec(log)?.[0] ?? "";
      return [{ name: pkg.name, from: pkg.version, to, changelog: section.trim() }];
    });
    return { releases, specs };
  } finally {
    rmSync(copy, { recursive: true, force: true });
  }
}

/** `git+https://github.com/a/b.git`, `git@github.com:a/b.git` -> `github.com/a/b`. */
const normalizeRepoUrl = (url: string) =>
  url
    .trim()
    .replace(/^git\+/, "")
    .replace(/^git@([^:]+):/, "https://$1/")
    .replace(/^(https?|ssh|git):\/\/(git@)?/, "")
    .replace(/\.git$/, "")
    .replace(/\/$/, "");

function repositoryProblem(): string | undefined {
  const origin = capture("git", ["remote", "get-url", "origin"]);
  const urls = [
    ...new Set(publicPackages().map((pkg) => (pkg.json.repository as { url?: string } | undefined)?.url ?? "")),
  ];
  if (!origin.ok) return `no git remote "origin": cannot confirm the packages' repository URL (${urls.join(", ")})`;
  const mismatched = urls.filter((url) => normalizeRepoUrl(url) !== normalizeRepoUrl(origin.out));
  return mismatched.length
    ? `package.json repository ${mismatched.join(", ")} is not origin (${origin.out})`
    : undefined;
}

async function buildPackAndLint(): Promise<{ name: string; version: string; files: number; size: number }[]> {
  step("build");
  await buildAll();
  step("pack (pnpm pack: publishConfig applied, workspace:* replaced) + publint + attw");
  const destination = mkdtempSync(join(tmpdir(), "cx-openapi-release-pack-"));
  try {
    const packed = await packAll(destination);
    const problems = (
      await Promise.all(
        packed.flatMap((pkg) => [
          publintProblems(pkg.tarball).then((p) => (p ? `publint ${pkg.json.name}:\n${p}` : undefined)),
          attwProblems(pkg).then((p) => (p ? `attw ${pkg.json.name}:\n${p}` : undefined)),
        ]),
      )
    ).filter(Boolean);
    if (problems.length) throw new Error(problems.join("\n"));
    return packed.map((pkg) => {
      const files = capture("tar", ["-tzf", pkg.tarball]).out.split("\n").length;
      return { name: pkg.json.name, version: pkg.json.version, files, size: statSync(pkg.tarball).size };
    });
  } finally {
    rmSync(destination, { recursive: true, force: true });
  }
}

function registryHas(name: string, version: string): boolean | undefined {
  let result: ReturnType<typeof runSync>;
  try {
    result = runSync("npm", ["view", `${name}@${version}`, "version", "--prefer-online"], { timeoutMs: 20_000 });
  } catch {
    return undefined; // the deadline passed: the registry is not reachable
  }
  if (result.code !== 0) return /E404|404 Not Found/.test(result.stderr) ? false : undefined;
  return result.stdout.trim() === version;
}

export async function dryRun(skipChecks: boolean): Promise<void> {
  if (skipChecks) console.log("(--skip-checks: lint, tests and spec:diff skipped)");
  else {
    step("checks: pnpm test (static checks, unit, contract and e2e tiers), pnpm test:matrix, pnpm spec:diff");
    sh("pnpm", ["test"]);
    sh("pnpm", ["test:matrix"]);
    sh("pnpm", ["spec:diff"]);
  }
  const packed = await buildPackAndLint();

  step("changelog: `changeset version` in a throwaway copy");
  const { releases, specs } = previewVersions();
  if (releases.length === 0) console.log("No pending changesets: `pnpm release --version` would change nothing.");
  for (const release of releases)
    console.log(`\n${release.name}: ${release.from} -> ${release.to}\n${release.changelog.replace(/^/gm, "  ")}`);
  for (const spec of specs) console.log(`${spec.spec}: info.version ${spec.from} -> ${spec.to}`);

  step("what would be published");
  if (releases.length) {
    console.log(
      "Pending changesets: run `pnpm release --version`, commit, then `pnpm release --publish`. It would publish:",
    );
    for (const release of releases) console.log(`  ${release.name}@${release.to}`);
  } else {
    console.log(
      "`pnpm release --publish` would run `pnpm publish -r --access public` with these tarballs (pnpm skips versions already on the registry):",
    );
    for (const pkg of packed) {
      const published = registryHas(pkg.name, pkg.version);
      const state =
        published === true
          ? "already on the registry: skipped"
          : published === false
            ? "new"
            : "registry not reachable: unknown";
      console.log(
        `  ${pkg.name}@${pkg.version}  ${pkg.files} files, ${(pkg.size / 1024).toFixed(1)} kB packed  (${state})`,
      );
    }
  }
  const problem = repositoryProblem();
  if (problem)
    console.log(`\n⚠ ${problem}. --publish refuses to publish until package.json "repository" matches origin.`);
  console.log("\nDry run: nothing was published, tagged or changed.");
}

export async function applyVersions(): Promise<void> {
  step("changeset version");
  sh(changesetBin, ["version"]);
  step("spec info.version <- package version");
  for (const spec of syncSpecVersions(repoRoot)) console.log(`${spec.spec}: ${spec.from} -> ${spec.to}`);
  step("pnpm gen (the clients send their version in x-client)");
  sh("pnpm", ["gen"]);
  console.log(
    "\nReview the changes (package.json versions, CHANGELOG.md, specs, generated client info), commit them, then run `pnpm release --publish`.",
  );
}

export async function publish(extra: string[]): Promise<void> {
  if (pendingBumps(repoRoot).size)
    throw new Error("Pending changesets: run `pnpm release --version`, review and commit first.");
  const dirty = capture("git", ["status", "--porcelain"]);
  if (dirty.out) throw new Error(`The working tree is not clean:\n${dirty.out}`);
  const drift = specVersions(repoRoot).filter((s) => s.infoVersion !== s.packageVersion);
  if (drift.length)
    throw new Error(`info.version differs from the package version in ${drift.map((s) => s.spec).join(", ")}`);
  const problem = repositoryProblem();
  if (problem) throw new Error(problem);
  step("checks");
  sh("pnpm", ["test"]);
  sh("pnpm", ["test:matrix"]);
  sh("pnpm", ["spec:diff"]);
  await buildPackAndLint();
  step("publish");
  sh("pnpm", ["publish", "-r", "--access", "public", ...extra]);
  step("tag");
  sh(changesetBin, ["tag"]);
  console.log("\nPublished and tagged. Push the tags: git push --follow-tags (spec:diff compares against them).");
}
