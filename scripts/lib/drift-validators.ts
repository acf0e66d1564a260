// The drift module `pnpm gen` writes for each API into @cx-openapi/spec (src/generated/drift-<api>.ts):
// its drift table with response validators precompiled by Ajv's standalone code, so that the
// clients' drift reporters validate without eval or new Function (a strict Content-Security-Policy
// allows them). Ajv's two run-time helpers the code needs (string length, formats) are bundled in
// from their ES module sources: the module imports nothing, and holds no `require`.
import { join, relative } from "node:path";
import { driftSources, type OpenApiDoc } from "@cx-openapi/spec";
import { build, type Plugin } from "esbuild";
import { repoRoot, type Api } from "./apis.js";
import { jsTarget } from "./packages.js";

/** What Ajv's standalone code requires, and the ES module import that replaces it. */
const runtimeHelpers = [
  {
    required: 'require("ajv/dist/runtime/ucs2length").default',
    name: "ucs2length",
    from: 'import ucs2length from "ajv/lib/runtime/ucs2length.ts";',
  },
  {
    required: 'require("ajv-formats/dist/formats").fullFormats',
    name: "fullFormats",
    from: 'import { fullFormats } from "ajv-formats/src/formats.ts";',
  },
];

/** Standalone code with its `require`s replaced by imports of the helpers' ES module sources. */
export function withImports(code: string, label: string): string {
  let out = code;
  const imports: string[] = [];
  for (const helper of runtimeHelpers) {
    if (!out.includes(helper.required)) continue;
    out = out.replaceAll(helper.required, helper.name);
    imports.push(helper.from);
  }
  const left = /require\([^)]*\)/.exec(out);
  if (left)
    throw new Error(
      `${label}: Ajv's standalone code needs ${left[0]}, which scripts/lib/drift-validators.ts does not bundle`,
    );
  return `${imports.join("\n")}\n${out}`;
}

/** Serves the two standalone modules (first-error and all-errors validators) to esbuild. */
function standaloneModules(modules: Record<string, string>, resolveDir: string): Plugin {
  return {
    name: "drift-standalone",
    setup(b) {
      b.onResolve({ filter: /^drift-standalone:/ }, (args) => ({ path: args.path, namespace: "drift-standalone" }));
      b.onLoad({ filter: /.*/, namespace: "drift-standalone" }, (args) => ({
        contents: modules[args.path]!,
        loader: "js",
        resolveDir,
      }));
    },
  };
}

/** The generated module's text: banner, the bundled validators, then the typed table that holds them. */
export async function driftModule(api: Api, document: OpenApiDoc, banner: string): Promise<string> {
  const { table, firstError, allErrors } = driftSources(document, api.name);
  const count = (firstError.match(/^export const v\d+ /gm) ?? []).length;
  const pairs = Array.from({ length: count }, (_, i) => `[first.v${i}, all.v${i}]`).join(", ");
  const label = relative(repoRoot, api.bundleJson);
  const resolveDir = join(repoRoot, "packages/spec");
  const result = await build({
    stdin: {
      contents: `import * as first from "drift-standalone:first";\nimport * as all from "drift-standalone:all";\nexport const validators = [${pairs}];\n`,
      resolveDir,
      sourcefile: `drift-${api.name}.js`,
      loader: "js",
    },
    plugins: [
      standaloneModules(
        {
          "drift-standalone:first": withImports(firstError, label),
          "drift-standalone:all": withImports(allErrors, label),
        },
        resolveDir,
      ),
    ],
    absWorkingDir: repoRoot,
    bundle: true,
    format: "esm",
    platform: "neutral",
    target: jsTarget,
    write: false,
    legalComments: "none",
    charset: "utf8",
    logLevel: "silent",
  });
  const bundled = result.outputFiles[0]!.text;
  const tail = /\nexport \{\n {2}validators\n\};\n$/;
  if (!tail.test(bundled)) throw new Error(`${label}: esbuild's drift bundle does not end with the validators' export`);
  // A note for Ajv's own code generator, of no use once bundled (and a `require` in the text); and
  // esbuild's comments naming each input's path, which depend on how node_modules is laid out.
  const validators = bundled
    .replace(tail, "\n")
    .replace(/^ucs2length\.code = .*\n/m, "")
    .replace(/^\/\/ (node_modules\/|drift-standalone:|packages\/).*\n/gm, "");
  return `${banner}${tableModule(table, validators)}`;
}

function tableModule(table: Awaited<ReturnType<typeof driftSources>>["table"], validators: string): string {
  const { name, specVersion, operations, names, piiProperties } = table;
  const list = (items: readonly unknown[]) =>
    `[\n${items.map((item) => `    ${JSON.stringify(item)},`).join("\n")}\n  ]`;
  return [
    "// @ts-nocheck: Ajv's standalone code, bundled with the two helpers it uses; the table at the end is typed.",
    'import type { DriftApi } from "../drift/types.js";',
    "",
    validators.trimEnd(),
    "",
    "/** The API's responses and their precompiled validators, for drift checking (@cx-openapi/spec/drift). */",
    "export const driftApi: DriftApi = {",
    `  name: ${JSON.stringify(name)},`,
    `  specVersion: ${JSON.stringify(specVersion)},`,
    `  operations: ${list(operations)},`,
    "  validators,",
    `  names: ${JSON.stringify(names)},`,
    `  piiProperties: ${JSON.stringify(piiProperties)},`,
    "};",
    "",
  ].join("\n");
}
