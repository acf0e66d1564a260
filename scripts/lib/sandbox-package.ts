// Builds @cx-openapi/sandbox's dist/ for packing: the library, the MSW handlers and the cx-sandbox
// bin (esbuild, ESM for Node; dependencies stay external), and the bundled specs it serves
// (dist/specs/<api>.json, where the bin looks for them). The package's own gate outside this
// repository is its validator (Prism is an optional peer).
import { copyFileSync, mkdirSync, rmSync } from "node:fs";
import { join } from "node:path";
import { build } from "esbuild";
import { loadApis, repoRoot } from "./apis.js";
import { bundleAll } from "./bundle.js";

export const sandboxDir = join(repoRoot, "packages/sandbox");

export async function buildSandboxPackage(): Promise<void> {
  const dist = join(sandboxDir, "dist");
  rmSync(dist, { recursive: true, force: true });
  mkdirSync(join(dist, "specs"), { recursive: true });
  await build({
    entryPoints: ["index", "msw", "bin"].map((name) => join(sandboxDir, "src", `${name}.ts`)),
    outdir: dist,
    bundle: true,
    splitting: true,
    packages: "external",
    platform: "node",
    format: "esm",
    target: "es2022",
    logLevel: "warning",
    legalComments: "none",
  });
  bundleAll();
  for (const api of loadApis()) copyFileSync(api.bundleJson, join(dist, "specs", `${api.name}.json`));
}
