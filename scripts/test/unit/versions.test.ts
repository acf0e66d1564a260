// Versioning: each spec's info.version follows its client package's version (Changesets bumps the
// package; `pnpm release --version` carries the version into the spec), and the vendor's API
// version is kept in info.x-api-version.
import { cpSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { repoRoot } from "../../lib/apis.js";
import { publicPackages } from "../../lib/packages.js";
import { specVersions, syncSpecVersions } from "../../lib/spec-version.js";
import { previewVersions } from "../../lib/release.js";

/** A copy of the files versioning reads and writes, without the changesets pending in the checkout. */
function copyRepo(): string {
  const root = mkdtempSync(join(tmpdir(), "cx-openapi-versions-"));
  for (const file of ["package.json", "pnpm-workspace.yaml", "redocly.yaml", ".changeset"])
    cpSync(join(repoRoot, file), join(root, file), { recursive: true });
  for (const pending of readdirSync(join(root, ".changeset")).filter(
    (name) => name.endsWith(".md") && name !== "README.md",
  ))
    rmSync(join(root, ".changeset", pending));
  for (const pkg of [...publicPackages(), { dir: "devkit" }]) {
    mkdirSync(join(root, "packages", pkg.dir), { recursive: true });
    cpSync(join(repoRoot, "packages", pkg.dir, "package.json"), join(root, "packages", pkg.dir, "package.json"));
  }
  for (const spec of specVersions(repoRoot)) {
    mkdirSync(join(root, spec.spec, ".."), { recursive: true });
    cpSync(join(repoRoot, spec.spec), join(root, spec.spec));
  }
  return root;
}

const copies: string[] = [];
afterEach(() => {
  for (const dir of copies.splice(0)) rmSync(dir, { recursive: true, force: true });
});

describe("spec and package versions", () => {
  it.each(specVersions(repoRoot))(
    "$spec: info.version is $packageName's version, the vendor's in x-api-version",
    (entry) => {
      expect(entry.infoVersion).toBe(entry.packageVersion);
      expect(entry.apiVersion, "info.x-api-version").toMatch(/^\d+(\.\d+)*$/);
    },
  );

  it("keeps the vendors' API versions", () => {
    expect(Object.fromEntries(specVersions(repoRoot).map((e) => [e.api, e.apiVersion]))).toEqual({
      "relay-cdm": "3.0.0",
      hiirelevate: "1.0",
    });
  });

  it("Changesets: base branch main, public access, the private devkit ignored", () => {
    const config = JSON.parse(readFileSync(join(repoRoot, ".changeset/config.json"), "utf8")) as Record<
      string,
      unknown
    >;
    expect(config).toMatchObject({
      baseBranch: "main",
      access: "public",
      ignore: ["@cx-openapi/devkit"],
      commit: false,
    });
  });

  it("syncSpecVersions rewrites only the info.version line", () => {
    const root = copyRepo();
    copies.push(root);
    const pkgFile = join(root, "packages/relay-cdm/package.json");
    writeFileSync(pkgFile, readFileSync(pkgFile, "utf8").replace(/"version": "[^"]+"/, '"version": "9.8.7"'));
    const spec = specVersions(root).find((e) => e.api === "relay-cdm")!;
    const before = readFileSync(join(root, spec.spec), "utf8").split("\n");
    expect(syncSpecVersions(root)).toEqual([{ spec: spec.spec, from: spec.infoVersion, to: "9.8.7" }]);
    const after = readFileSync(join(root, spec.spec), "utf8").split("\n");
    expect(after.length).toBe(before.length);
    expect(after.filter((line, i) => line !== before[i])).toEqual(["  version: 9.8.7"]);
  });

  it("a pending changeset previews as a version, a changelog entry and the spec's info.version", () => {
    const root = copyRepo();
    copies.push(root);
    writeFileSync(
      join(root, ".changeset/new-field.md"),
      '---\n"@cx-openapi/relay-cdm": minor\n---\n\nCustomers have a preferred language.\n',
    );
    const { releases, specs } = previewVersions(root);
    const relay = publicPackages().find((p) => p.dir === "relay-cdm")!.json.version;
    const [major, minor] = relay.split(".").map(Number);
    const next = `${major}.${minor! + 1}.0`;
    // The sandbox ships the client's types instead of depending on it: the client alone is released.
    expect(releases).toEqual([
      {
        name: "@cx-openapi/relay-cdm",
        from: relay,
        to: next,
        changelog: expect.stringContaining("Customers have a preferred language."),
      },
    ]);
    expect(releases[0]!.changelog).toMatch(new RegExp(`^## ${next.replace(/\./g, "\\.")}\\n\\n### Minor Changes`));
    expect(specs).toEqual([{ spec: "openapi/relay-cdm/openapi.yaml", from: relay, to: next }]);
    // The preview worked on a throwaway copy: the copied checkout itself is unchanged.
    expect(JSON.parse(readFileSync(join(root, "packages/relay-cdm/package.json"), "utf8")).version).toBe(relay);
  });
});
