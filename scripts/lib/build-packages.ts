// Builds every publishable package into its dist/ folder (`pnpm build`, and `pnpm release` before it
// packs). A client package (and the runtime) gets:
//
//   dist/index.js      ESM, one file (esbuild; dependencies stay external)
//   dist/index.cjs     CommonJS, one file (esbuild), default imports of dependencies interop'd the
//                      way CommonJS consumers expect (`exports.default` of an `__esModule` module)
//   dist/**/*.d.ts     declarations (tsc), for the `import` condition
//   dist/**/*.d.cts    the same declarations with `./x.js` specifiers rewritten to `./x.cjs`, for the
//                      `require` condition, so TypeScript sees CommonJS types for the CommonJS file
//   dist/openapi.json  the client's bundled spec (client packages only), and dist/openapi.yaml
//   dist/drift.js ...  each other entry point of its `exports` (a client's /drift), ESM and CommonJS,
//                      carrying a copy of the workspace code it uses (inlined-entries.ts)
//
// An ESM-only package (no `main` in its publishConfig: the sandbox, a Node server and CLI that its
// users import or run with npx, and @cx-openapi/spec, its core) gets one ESM file per entry point of
// its `exports` and `bin` (the other workspace packages it imports stay external; shared code split
// into chunks) and .d.ts declarations of its exports (Node types allowed); the
// sandbox also gets the bundled spec of every API in dist/specs/, where its bin looks for them, and
// its inspector page (src/inspector/) in dist/inspector/, where its front reads it.
//
// The workspace itself never needs this: package.json `exports` point at src/*.ts, and pnpm swaps
// in the `publishConfig` fields (exports, main, module, types) when it packs or publishes.
import {
  copyFileSync,
  cpSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  statSync,
  writeFileSync,
} from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join, relative } from "node:path";
import { loadSpec } from "@cx-openapi/spec";
import { build as esbuild, type Plugin } from "esbuild";
import { loadApis, repoRoot } from "./apis.js";
import { isEsmOnly, jsTarget as target, publicPackages, type PublicPackage } from "./packages.js";
import { ensureBundles } from "./bundle.js";
import { buildSecondaryEntries, declarationRoots, inlineWorkspaceTypes } from "./inlined-entries.js";
import { run, tsc } from "./process.js";

/**
 * esbuild gives a default import of an external CommonJS module Node's semantics when the importing
 * file is ESM (our sources are, by `"type": "module"`): `default` becomes the whole `module.exports`.
 * openapi-fetch's CommonJS build sets `exports.default = createClient` with `__esModule`, so that
 * would hand us the exports object instead of the function. Routing every bare import through a
 * one-line ESM shim that esbuild does not treat as Node-flavoured gives the `__esModule` interop
 * that `require()` users (and TypeScript's `esModuleInterop`) expect.
 */
const commonJsInterop: Plugin = {
  name: "cjs-interop",
  setup(build) {
    build.onResolve({ filter: /^[^./]/ }, (args) =>
      args.namespace === "cjs-interop"
        ? { path: args.path, external: true }
        : { path: args.path, namespace: "cjs-interop", pluginData: args.resolveDir },
    );
    build.onLoad({ filter: /.*/, namespace: "cjs-interop" }, (args) => ({
      contents: `export * from ${JSON.stringify(args.path)};\nexport { default } from ${JSON.stringify(args.path)};\n`,
      loader: "js",
      resolveDir: args.pluginData as string,
    }));
  },
};

/** The TypeScript entry points of a package: its workspace `exports` and `bin` (src/*.ts). */
function entryPoints(pkg: PublicPackage): string[] {
  return [...Object.values(pkg.json.exports ?? {}), ...Object.values(pkg.json.bin ?? {})]
    .filter((file) => file.endsWith(".ts"))
    .map((file) => join(pkg.path, file));
}

/**
 * The workspace's packages stay external like any dependency: tsconfig.json maps their names to
 * their sources, which esbuild would otherwise bundle (a client would carry its own copy of the
 * runtime, the sandbox one of @cx-openapi/spec).
 */
const workspacePackages = ["@cx-openapi/*"];

async function buildJavaScript(pkg: PublicPackage): Promise<void> {
  if (isEsmOnly(pkg)) {
    await esbuild({
      entryPoints: entryPoints(pkg),
      outdir: join(pkg.path, "dist"),
      bundle: true,
      splitting: true,
      packages: "external",
      external: workspacePackages,
      platform: "node",
      format: "esm",
      target,
      logLevel: "warning",
      legalComments: "none",
    });
    return;
  }
  const common = {
    entryPoints: [join(pkg.path, "src/index.ts")],
    bundle: true,
    packages: "external" as const,
    external: workspacePackages,
    platform: "neutral" as const,
    target,
    logLevel: "warning" as const,
    legalComments: "none" as const,
  };
  await Promise.all([
    esbuild({ ...common, format: "esm", outfile: join(pkg.path, "dist/index.js") }),
    esbuild({ ...common, format: "cjs", outfile: join(pkg.path, "dist/index.cjs"), plugins: [commonJsInterop] }),
    buildSecondaryEntries(pkg),
  ]);
}

/**
 * One tsc run emits the declarations of a group of packages (workspace resolution, as in `tsc -p .`)
 * into a scratch folder; each package's share is then copied into its dist/ as .d.ts and (unless it
 * is ESM-only) .d.cts. The clients compile with only ES2022 and DOM, as in a browser; the ESM-only
 * Node packages with Node's types, in a run of their own.
 */
async function buildDeclarations(packages: PublicPackage[], node: boolean, typeCheck: boolean): Promise<void> {
  if (packages.length === 0) return;
  const scratch = mkdtempSync(join(tmpdir(), "cx-openapi-dts-"));
  try {
    const tsconfig = {
      extends: join(repoRoot, "tsconfig.base.json"),
      compilerOptions: {
        declaration: true,
        emitDeclarationOnly: true,
        noCheck: !typeCheck,
        noEmit: false,
        rootDir: join(repoRoot, "packages"),
        outDir: join(scratch, "out"),
        types: node ? ["node"] : [],
        // The scratch tsconfig is outside the repository: find @types/node where the workspace has it.
        typeRoots: [join(repoRoot, "node_modules/@types")],
      },
      files: packages.flatMap((pkg) =>
        node
          ? Object.values(pkg.json.exports ?? {}).map((file) => join(pkg.path, file))
          : [join(pkg.path, "src/index.ts"), ...declarationRoots(pkg)],
      ),
    };
    writeFileSync(join(scratch, "tsconfig.json"), JSON.stringify(tsconfig, null, 2));
    const emitted = await run(tsc.emit(), ["-p", join(scratch, "tsconfig.json")]);
    if (emitted.code !== 0) throw new Error(`tsc (declarations) failed:\n${emitted.output}`);
    for (const pkg of packages) {
      const from = join(scratch, "out", pkg.dir, "src");
      for (const file of walk(from).filter((f) => f.endsWith(".d.ts"))) {
        let text = readFileSync(file, "utf8");
        const leaked = /["'](\.\.\/)+(packages\/)?[\w-]+\/src\//.exec(text);
        if (leaked)
          throw new Error(
            `${relative(from, file)} refers into another package's sources (${leaked[0]}): export the type from that package`,
          );
        const target = join(pkg.path, "dist", relative(from, file));
        mkdirSync(dirname(target), { recursive: true });
        if (!node) text = inlineWorkspaceTypes(pkg, join(scratch, "out"), target, text);
        writeFileSync(target, text);
        if (!node) writeFileSync(target.replace(/\.d\.ts$/, ".d.cts"), toCommonJsDeclaration(text));
      }
    }
  } finally {
    rmSync(scratch, { recursive: true, force: true });
  }
}

/** `from "./client.js"` -> `from "./client.cjs"` (also `import("./x.js")`), so a .d.cts only imports .d.cts. */
export function toCommonJsDeclaration(text: string): string {
  return text.replace(/((?:from|import)\s*\(?\s*["'])(\.{1,2}\/[^"']+)\.js(["'])/g, "$1$2.cjs$3");
}

function walk(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    return statSync(path).isDirectory() ? walk(path) : [path];
  });
}

/**
 * The client's spec (the sandbox: every API's spec): the bundles of `pnpm bundle` (re-made if their
 * sources changed), copied into the package.
 */
function buildSpec(pkg: PublicPackage): void {
  if (pkg.dir === "sandbox") {
    mkdirSync(join(pkg.path, "dist/specs"), { recursive: true });
    for (const api of loadApis()) copyFileSync(api.bundleJson, join(pkg.path, "dist/specs", `${api.name}.json`));
    // The inspector's page, script and style, which the front reads beside its code.
    cpSync(join(pkg.path, "src/inspector"), join(pkg.path, "dist/inspector"), { recursive: true });
    return;
  }
  if (!pkg.api) return;
  const document = loadSpec(pkg.api.bundleJson) as { info?: { version?: string } };
  if (document.info?.version !== pkg.json.version) {
    throw new Error(
      `${pkg.json.name}: the spec's info.version is ${String(document.info?.version)} but the package is ${pkg.json.version}. ` +
        "Run `pnpm release --version` (or set info.version in the spec) so they match.",
    );
  }
  copyFileSync(pkg.api.bundleYaml, join(pkg.path, "dist/openapi.yaml"));
  copyFileSync(pkg.api.bundleJson, join(pkg.path, "dist/openapi.json"));
}

export interface BuildOptions {
  /**
   * Type-check while emitting the declarations (default true). The test run turns it off for its
   * build of the packages: its static tier has just type-checked the same sources (tsc -p .).
   */
  typeCheck?: boolean;
}

export async function buildAll({ typeCheck = true }: BuildOptions = {}): Promise<PublicPackage[]> {
  const started = Date.now();
  const packages = publicPackages();
  for (const pkg of packages) {
    rmSync(join(pkg.path, "dist"), { recursive: true, force: true });
    mkdirSync(join(pkg.path, "dist"), { recursive: true });
  }
  // Side by side: the two tsc runs (browser and Node packages) and esbuild.
  await Promise.all([
    buildDeclarations(
      packages.filter((pkg) => !isEsmOnly(pkg)),
      false,
      typeCheck,
    ),
    buildDeclarations(packages.filter(isEsmOnly), true, typeCheck),
    ...packages.map(buildJavaScript),
  ]);
  ensureBundles();
  for (const pkg of packages) buildSpec(pkg);
  for (const pkg of packages) {
    const files = walk(join(pkg.path, "dist")).map((f) => relative(pkg.path, f));
    console.log(
      `built ${pkg.json.name}@${pkg.json.version}: ${files.length} files in ${relative(repoRoot, join(pkg.path, "dist"))}/`,
    );
  }
  console.log(`build finished in ${((Date.now() - started) / 1000).toFixed(1)} s`);
  return packages;
}
