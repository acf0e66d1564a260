// A client package's entry points beside src/index.ts (`@cx-openapi/relay-cdm/drift`), built by
// `pnpm build` so that they add no dependency: what they import from a workspace package the client
// does not depend on (@cx-openapi/spec/drift) is copied into them, the JavaScript bundled in and its
// declarations placed under dist/vendor/ with the import pointed there. Its own dependencies stay
// external; an entry must not import them (CommonJS interop is set up for src/index.ts only), so a
// build that would is refused.
import { copyFileSync, mkdirSync, readdirSync, readFileSync, statSync, writeFileSync } from "node:fs";
import { dirname, join, relative } from "node:path";
import { build as esbuild } from "esbuild";
import { jsTarget, publicPackages, type PublicPackage } from "./packages.js";

/** The client's entry points other than src/index.ts: its workspace `exports` (src/*.ts). */
export function secondaryEntries(pkg: PublicPackage): string[] {
  return Object.values(pkg.json.exports ?? {})
    .filter((file) => file.endsWith(".ts") && file !== "./src/index.ts")
    .map((file) => join(pkg.path, file));
}

/**
 * What tsc must compile for the client's declarations beside src/index.ts: its secondary entries, and
 * the workspace subpaths they copy (tsc emits no declaration for a file it reached through node_modules).
 */
export function declarationRoots(pkg: PublicPackage): string[] {
  const dependencies = new Set(Object.keys(pkg.json.dependencies ?? {}));
  const entries = secondaryEntries(pkg);
  const inlined = entries.flatMap((entry) =>
    [...readFileSync(entry, "utf8").matchAll(workspaceSubpath)].flatMap(([, , name, subpath]) => {
      if (dependencies.has(name!)) return [];
      const source = publicPackages().find((p) => p.json.name === name);
      const file = source?.json.exports?.[`./${subpath}`];
      return source && file ? [join(source.path, file)] : [];
    }),
  );
  return [...entries, ...new Set(inlined)];
}

/** Builds each secondary entry as one ESM and one CommonJS file, workspace imports bundled in. */
export async function buildSecondaryEntries(pkg: PublicPackage): Promise<void> {
  const dependencies = Object.keys(pkg.json.dependencies ?? {});
  const external = dependencies.flatMap((name) => [name, `${name}/*`]);
  const builds = secondaryEntries(pkg).flatMap((entry) =>
    (["esm", "cjs"] as const).map(async (format) => {
      const name = relative(join(pkg.path, "src"), entry).replace(/\.ts$/, "");
      const outfile = join(pkg.path, "dist", `${name}.${format === "esm" ? "js" : "cjs"}`);
      const result = await esbuild({
        entryPoints: [entry],
        outfile,
        bundle: true,
        external,
        platform: "neutral",
        format,
        target: jsTarget,
        metafile: true,
        logLevel: "warning",
        legalComments: "none",
      });
      const imported = Object.values(result.metafile.outputs).flatMap((output) => output.imports.map((i) => i.path));
      if (imported.length > 0)
        throw new Error(
          `${pkg.json.name}: ${name}.ts imports ${imported.join(", ")}; a secondary entry must import nothing`,
        );
    }),
  );
  await Promise.all(builds);
}

/** `from "@cx-openapi/spec/drift"` in a declaration: a workspace package's subpath. */
const workspaceSubpath = /((?:from|import)\s*\(?\s*["'])(@cx-openapi\/[\w-]+)\/([\w/-]+)(["'])/g;

/**
 * A declaration file of the client with every import of a workspace package it does not depend on
 * pointed at a copy of that subpath's declarations (dist/vendor/<package>/<subpath>/), which this
 * writes. `out` is the folder tsc emitted the declarations of every package into.
 */
export function inlineWorkspaceTypes(pkg: PublicPackage, out: string, target: string, text: string): string {
  const dependencies = new Set(Object.keys(pkg.json.dependencies ?? {}));
  return text.replace(workspaceSubpath, (whole, before: string, name: string, subpath: string, after: string) => {
    if (dependencies.has(name)) return whole;
    const source = publicPackages().find((p) => p.json.name === name);
    const file = source?.json.exports?.[`./${subpath}`];
    if (!source || !file?.endsWith("/index.ts"))
      throw new Error(
        `${relative(pkg.path, target)}: cannot copy the types of ${name}/${subpath} (no ./${subpath} export ending in /index.ts)`,
      );
    const folder = dirname(file.replace(/^\.\/src\//, ""));
    const vendored = join(pkg.path, "dist/vendor", source.dir, subpath);
    copyDeclarations(join(out, source.dir, "src", folder), vendored, `${name}/${subpath}`);
    const specifier = relative(dirname(target), join(vendored, "index.js")).split("\\").join("/");
    return `${before}${specifier.startsWith(".") ? specifier : `./${specifier}`}${after}`;
  });
}

/** Copies a folder's .d.ts files (and .d.cts twins), refusing one that imports anything outside it. */
function copyDeclarations(from: string, to: string, label: string): void {
  for (const name of readdirSync(from)) {
    if (statSync(join(from, name)).isDirectory() || !name.endsWith(".d.ts")) continue;
    const text = readFileSync(join(from, name), "utf8");
    const outside = /(?:from|import)\s*\(?\s*["'](?!\.\/)([^"']+)["']/.exec(text);
    if (outside) throw new Error(`${label}/${name} imports ${outside[1]}: only a self-contained folder can be copied`);
    mkdirSync(to, { recursive: true });
    copyFileSync(join(from, name), join(to, name));
    writeFileSync(
      join(to, name.replace(/\.d\.ts$/, ".d.cts")),
      text.replace(/(["']\.\/[^"']+)\.js(["'])/g, "$1.cjs$2"),
    );
  }
}
