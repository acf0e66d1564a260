// pnpm build: builds every publishable package into its dist/ folder (scripts/lib/build-packages.ts
// says what each gets). The workspace itself never needs this: package.json `exports` point at
// src/*.ts, and pnpm swaps in the `publishConfig` fields when it packs or publishes.
//
// pnpm build --pack also writes the installable tarballs to dist/packages/ (`pnpm pack` of each
// package: publishConfig applied, `workspace:*` replaced by the real version).
import { rmSync } from "node:fs";
import { join, relative } from "node:path";
import { repoRoot } from "./lib/apis.js";
import { buildAll } from "./lib/build-packages.js";
import { cli } from "./lib/cli.js";
import { packAll } from "./lib/pack.js";

/** Where `pnpm build --pack` writes the tarballs. */
const tarballsDir = join(repoRoot, "dist/packages");

cli(import.meta.url, {
  usage: `Usage: pnpm build [--pack]

Builds every publishable package into its dist/ folder (ESM, CommonJS, declarations, and the
bundled spec of each client; the sandbox ESM only, with the specs of both APIs).

  --pack   also write installable tarballs of every package to dist/packages/
           (install them elsewhere with: npm install /path/to/dist/packages/*.tgz)`,
  options: { pack: { type: "boolean" } },
  async run(values) {
    await buildAll();
    if (!values.pack) return;
    rmSync(tarballsDir, { recursive: true, force: true });
    for (const pkg of await packAll(tarballsDir)) console.log(`packed ${relative(repoRoot, pkg.tarball)}`);
  },
});
