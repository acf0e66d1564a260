// The import rules of `pnpm lint --structure`: dependency-cruiser with the real
// .dependency-cruiser.cjs over a small tree laid out like the repository, where each rule is broken
// once and the imports the rules allow are made too; then the folder graph, its cycles and the
// diagram's drift check on the same tree.
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { folderCycles, folderGraph, renderDiagram } from "../../lib/dependency-diagram.js";
import { type Cruise, cruise, formatViolation } from "../../lib/dependency-rules.js";
import { checkDiagram, checkImports, writeDiagram } from "../../lib/structure.js";

const root = mkdtempSync(join(tmpdir(), "cx-openapi dependency rules "));
afterAll(() => rmSync(root, { recursive: true, force: true }));

const tree: Record<string, string> = {
  "tsconfig.json": JSON.stringify({
    compilerOptions: {
      module: "NodeNext",
      moduleResolution: "NodeNext",
      paths: { "@cx-openapi/*": ["./packages/*/src/index.ts"] },
    },
  }),
  // What the rules allow: clients on the runtime, the sandbox on spec, its tests on a client, devkit
  // on the sandbox and spec, tests and scripts/test|bench and vitest.config.ts on devkit, scripts
  // on packages.
  "packages/runtime/src/index.ts": "export const runtime = 1;\n",
  "packages/relay-cdm/src/index.ts": 'export { runtime } from "@cx-openapi/runtime";\n',
  "packages/hiirelevate/src/index.ts":
    'import { runtime } from "@cx-openapi/runtime";\nexport type Other = typeof runtime;\n',
  "packages/spec/src/index.ts": "export const spec = {};\n",
  "packages/sandbox/src/index.ts": 'export const runtime = 2;\nexport { spec } from "@cx-openapi/spec";\n',
  "packages/devkit/src/index.ts":
    'export { runtime } from "@cx-openapi/sandbox";\nexport { spec } from "@cx-openapi/spec";\n',
  "packages/sandbox/test/sandbox.test.ts":
    'import { runtime } from "@cx-openapi/devkit";\nimport { runtime as client } from "@cx-openapi/relay-cdm";\nexport const x = runtime + client;\n',
  "scripts/test/gen.test.ts": 'import { runtime } from "@cx-openapi/devkit";\nexport const x = runtime;\n',
  "scripts/bench/calls.ts": 'import { runtime } from "@cx-openapi/devkit";\nexport const x = runtime;\n',
  "vitest.config.ts": 'import { runtime } from "./packages/devkit/src/index.js";\nexport default runtime;\n',
  "scripts/lib/helper.ts": 'export { spec } from "@cx-openapi/spec";\nexport const helper = 1;\n',
  // A client's drift entry on spec's drift part, which imports nothing outside its folder.
  "packages/relay-cdm/src/drift.ts": 'export { drift } from "../../spec/src/drift/index.js";\n',
  "packages/spec/src/drift/index.ts": 'export { shape } from "./shape.js";\nexport const drift = 1;\n',
  "packages/spec/src/drift/shape.ts": "export const shape = 1;\n",
  "scripts/gen.ts": 'import { helper } from "./lib/helper.js";\nexport const gen = helper;\n',
  // Each rule broken once, from a module nothing imports (so no cycle comes of it by chance).
  "packages/runtime/src/bad.ts": [
    'import { helper } from "../../../scripts/lib/helper.js";',
    'import type { runtime } from "@cx-openapi/sandbox";',
    'import { spec } from "@cx-openapi/spec";',
    "export const bad: typeof runtime = helper + Object.keys(spec).length;",
  ].join("\n"),
  "packages/relay-cdm/src/bad.ts":
    'import type { Other } from "@cx-openapi/hiirelevate";\nexport const bad: Other = 1;\n',
  "packages/hiirelevate/src/bad.ts": 'export { runtime } from "@cx-openapi/sandbox";\n',
  "packages/sandbox/src/bad.ts": 'export { runtime } from "@cx-openapi/relay-cdm";\n',
  "packages/spec/src/bad.ts": 'export { runtime } from "@cx-openapi/runtime";\n',
  "packages/spec/src/drift/bad.ts": 'export { spec } from "../index.js";\n',
  "packages/hiirelevate/src/drift.ts": 'export { spec } from "@cx-openapi/spec";\n',
  "packages/sandbox/test/helpers.ts": 'export { helper } from "../../../scripts/lib/helper.js";\n',
  "packages/runtime/test/items.ts": "export const items = 1;\n",
  "packages/relay-cdm/test/unit/bad.test.ts": 'export { items } from "../../../runtime/test/items.js";\n',
  "scripts/lint.ts": 'import { gen } from "./gen.js";\nexport const lint = gen;\n',
  "scripts/lib/uses-devkit.ts": 'export { runtime } from "@cx-openapi/devkit";\n',
  "scripts/lib/missing.ts": '// @ts-expect-error\nexport { nothing } from "@cx-openapi/nowhere";\n',
  "scripts/lib/by-path.ts": 'export { spec } from "../../packages/spec/src/index.js";\n',
  "scripts/lib/a.ts": 'import type { B } from "./b.js";\nexport type A = { b?: B };\nexport const a = 1;\n',
  "scripts/lib/b.ts": 'import { a } from "./a.js";\nexport type B = typeof a;\n',
};

/** Runs a lint step without its printout. */
function quietly<T>(step: () => T): T {
  const log = vi.spyOn(console, "log").mockImplementation(() => {});
  try {
    return step();
  } finally {
    log.mockRestore();
  }
}

let result: Cruise;
beforeAll(() => {
  for (const [path, text] of Object.entries(tree)) {
    mkdirSync(dirname(join(root, path)), { recursive: true });
    writeFileSync(join(root, path), text);
  }
  result = cruise(root);
}, 30_000);

describe("the import rules", () => {
  it("report each broken rule once, naming the importer and the imported, and nothing else", () => {
    expect(result.violations.map(formatViolation).sort()).toEqual([
      "client-drift-uses-only-spec-drift: packages/hiirelevate/src/drift.ts → packages/spec/src/index.ts",
      "client-imports-no-other-client: packages/relay-cdm/src/bad.ts → packages/hiirelevate/src/index.ts (type-only)",
      "client-imports-no-sandbox: packages/hiirelevate/src/bad.ts → packages/sandbox/src/index.ts",
      "commands-import-no-commands: scripts/lint.ts → scripts/gen.ts",
      "devkit-only-in-tests: scripts/lib/uses-devkit.ts → packages/devkit/src/index.ts",
      "no-cycle: scripts/lib/a.ts → scripts/lib/b.ts → scripts/lib/a.ts (type-only)",
      "packages-import-no-scripts: packages/runtime/src/bad.ts → scripts/lib/helper.ts",
      "packages-import-no-scripts: packages/sandbox/test/helpers.ts → scripts/lib/helper.ts",
      "runtime-imports-no-client-or-sandbox: packages/runtime/src/bad.ts → packages/sandbox/src/index.ts (type-only)",
      "sandbox-imports-no-client: packages/sandbox/src/bad.ts → packages/relay-cdm/src/index.ts",
      "scripts-use-packages-by-name: scripts/lib/by-path.ts → packages/spec/src/index.ts",
      "spec-drift-is-self-contained: packages/spec/src/drift/bad.ts → packages/spec/src/index.ts",
      "spec-imports-no-workspace-package: packages/spec/src/bad.ts → packages/runtime/src/index.ts",
      "spec-only-for-sandbox-devkit-scripts: packages/runtime/src/bad.ts → packages/spec/src/index.ts",
      "tests-import-no-other-package-tests: packages/relay-cdm/test/unit/bad.test.ts → packages/runtime/test/items.ts",
      "workspace-package-resolves: scripts/lib/missing.ts → @cx-openapi/nowhere",
    ]);
  });

  it("fail the lint step, folder cycles included", () => {
    const problems = quietly(() => checkImports(result, "0 s"));
    expect(problems).toContain("commands-import-no-commands: scripts/lint.ts → scripts/gen.ts");
    expect(problems).toContain("no-folder-cycle: packages/runtime/src → packages/spec/src → packages/runtime/src");
  });

  it("say why each rule exists", () => {
    expect(result.comments.get("commands-import-no-commands")).toMatch(/scripts\/lib/);
  });
});

describe("the folder graph", () => {
  it("has a node per folder, test folders apart, and an edge per folder pair that imports", () => {
    const graph = folderGraph(result.modules);
    expect(graph.nodes).toEqual([
      "packages/devkit/src",
      "packages/hiirelevate/src",
      "packages/relay-cdm/src",
      "packages/relay-cdm/test",
      "packages/runtime/src",
      "packages/runtime/test",
      "packages/sandbox/src",
      "packages/sandbox/test",
      "packages/spec/src",
      "scripts",
      "scripts/bench",
      "scripts/lib",
      "scripts/test",
      "vitest.config.ts",
    ]);
    expect(graph.edges).toContainEqual(["packages/sandbox/test", "packages/devkit/src"]);
    expect(graph.edges).toContainEqual(["packages/devkit/src", "packages/sandbox/src"]);
    expect(graph.edges).not.toContainEqual(["scripts/lib", "scripts/lib"]);
  });

  it("finds each cycle between folders once, even when no module cycle makes it", () => {
    const graph = {
      nodes: ["a", "b", "c", "d"],
      edges: [
        ["a", "b"],
        ["b", "c"],
        ["c", "a"],
        ["c", "d"],
      ] as [string, string][],
    };
    expect(folderCycles(graph)).toEqual([["a", "b", "c", "a"]]);
    // In the tree, runtime/src/bad.ts imports spec, and spec/src/bad.ts imports the runtime's index.
    const cycles = folderCycles(folderGraph(result.modules));
    expect(cycles).toContainEqual(["packages/runtime/src", "packages/spec/src", "packages/runtime/src"]);
  });

  it("keeps test folders apart: a sandbox test uses devkit, which uses the sandbox, and that is no cycle", () => {
    const cycles = folderCycles(folderGraph(result.modules));
    expect(cycles.flat()).not.toContain("packages/sandbox/test");
  });

  it("is written as a Mermaid graph, and the check fails until the file matches the imports", () => {
    expect(quietly(() => checkDiagram(result, root))).toEqual([
      "docs/architecture/dependencies.md is missing: run `pnpm lint --diagram`",
    ]);
    quietly(() => writeDiagram(root, result));
    expect(quietly(() => checkDiagram(result, root))).toEqual([]);
    const moved = { ...result, modules: result.modules.filter((module) => module.source !== "vitest.config.ts") };
    expect(quietly(() => checkDiagram(moved, root))).toEqual([
      "docs/architecture/dependencies.md does not match the imports: run `pnpm lint --diagram`",
    ]);
    const diagram = renderDiagram(folderGraph(result.modules));
    expect(diagram).toContain("```mermaid\nflowchart LR\n");
    expect(diagram).toContain('  subgraph group_packages_sandbox["packages/sandbox"]\n');
    expect(diagram).toContain("  packages_sandbox_test --> packages_devkit_src\n");
  });
});
