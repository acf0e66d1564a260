// The import rules of the hand-written TypeScript, checked by `pnpm lint --structure`
// (scripts/lib/dependency-rules.ts runs dependency-cruiser with this file and prints one line per
// violation). Paths are relative to the folder it runs in: the repository root.
//
//   runtime ← clients (relay-cdm, hiirelevate); spec ← sandbox. spec is a core package of its own,
//   the sandbox's tests use the clients, its published source does not. A client's drift entry
//   (src/drift.ts) alone uses spec's drift part, which has no dependency and is copied into it at build.
//   scripts use the packages, never the reverse; commands share code through scripts/lib only.
//   devkit is test machinery: only tests, vitest.config.ts and scripts/test|bench use it (and
//   scripts/drift-vendor.ts, which serves its deviating vendor); what the tests of two packages share
//   is in devkit (@cx-openapi/devkit/testing), never in a test folder.

/** The published clients; `clients` is a regex group, so `$1` names the importing client. */
const clientNames = "relay-cdm|hiirelevate";
const clients = `(${clientNames})`;
/** Where the test machinery may be used: test folders, test files, the vitest config, scripts/test and scripts/bench. */
const testSide = [
  "^packages/[^/]+/test/",
  "^scripts/test/",
  "^scripts/bench/",
  "^scripts/bench[.]ts$",
  "^vitest[.]config[.]ts$",
  "[.]test(-d)?[.]ts$",
];

/** @type {import("dependency-cruiser").IConfiguration} */
module.exports = {
  forbidden: [
    {
      name: "runtime-imports-no-client-or-sandbox",
      comment: "The runtime is the bottom layer: the clients build on it, not the reverse.",
      severity: "error",
      from: { path: "^packages/runtime/src/" },
      to: { path: `^packages/(${clientNames}|sandbox)/` },
    },
    {
      name: "client-imports-no-sandbox",
      comment: "A client is published on its own, on the runtime; the sandbox is no dependency of it.",
      severity: "error",
      from: { path: `^packages/${clients}/src/` },
      to: { path: "^packages/sandbox/" },
    },
    {
      name: "sandbox-imports-no-client",
      comment: "The published sandbox depends on @cx-openapi/spec, not on the clients; its tests may use them.",
      severity: "error",
      from: { path: "^packages/sandbox/src/" },
      to: { path: `^packages/${clients}/` },
    },
    {
      name: "client-imports-no-other-client",
      comment: "Each client stands alone on the runtime; what two clients share belongs in the runtime.",
      severity: "error",
      from: { path: `^packages/${clients}/src/` },
      to: { path: `^packages/${clients}/`, pathNot: "^packages/$1/" },
    },
    {
      name: "spec-imports-no-workspace-package",
      comment: "@cx-openapi/spec is a core package: it depends on no other package of the workspace.",
      severity: "error",
      from: { path: "^packages/spec/src/" },
      to: { path: "^packages/", pathNot: "^packages/spec/" },
    },
    {
      name: "spec-only-for-sandbox-devkit-scripts",
      comment: "The spec package is used by the sandbox, devkit, the scripts and the tests; the runtime and the clients do not ship it (a client's drift entry aside).",
      severity: "error",
      from: { pathNot: ["^packages/(spec|sandbox|devkit)/", "^scripts/", `^packages/${clients}/src/drift[.]ts$`, ...testSide] },
      to: { path: "^packages/spec/" },
    },
    {
      name: "client-drift-uses-only-spec-drift",
      comment: "A client's drift entry uses @cx-openapi/spec/drift and its API's validators only: the build copies them into the entry.",
      severity: "error",
      from: { path: `^packages/${clients}/src/drift[.]ts$` },
      to: { path: "^packages/spec/", pathNot: "^packages/spec/src/(drift/|generated/drift-)" },
    },
    {
      name: "spec-drift-is-self-contained",
      comment: "@cx-openapi/spec/drift runs anywhere and is copied into the clients' drift entries: it imports nothing outside its folder, no Node built-in either.",
      severity: "error",
      from: { path: "^packages/spec/src/drift/" },
      to: { pathNot: "^packages/spec/src/drift/" },
    },
    {
      name: "packages-import-no-scripts",
      comment: "The scripts use the packages, never the reverse: a package must work without the repository's tooling.",
      severity: "error",
      from: { path: "^packages/" },
      to: { path: "^scripts/" },
    },
    {
      name: "commands-import-no-commands",
      comment: "A command (scripts/*.ts) shares code with another through scripts/lib, never by importing it.",
      severity: "error",
      from: { path: "^scripts/[^/]+[.]ts$" },
      to: { path: "^scripts/[^/]+[.]ts$" },
    },
    {
      name: "devkit-only-in-tests",
      comment: "packages/devkit is test machinery: only tests, vitest.config.ts, scripts/test and scripts/bench use it (and `pnpm drift:vendor`, which serves the tests' deviating vendor for a rehearsal).",
      severity: "error",
      from: { pathNot: ["^packages/devkit/", "^scripts/drift-vendor[.]ts$", ...testSide] },
      to: { path: "^packages/devkit/" },
    },
    {
      name: "tests-import-no-other-package-tests",
      comment: "A helper the tests of two packages share lives in @cx-openapi/devkit/testing, not in one package's test folder.",
      severity: "error",
      from: { path: "^packages/([^/]+)/test/" },
      to: { path: "^packages/[^/]+/test/", pathNot: "^packages/$1/test/" },
    },
    {
      name: "no-cycle",
      comment: "Modules import each other in one direction only.",
      severity: "error",
      from: {},
      to: { circular: true },
    },
    {
      name: "scripts-use-packages-by-name",
      comment: "The scripts use a package as its users do, by its name and public entry points, never a file of its source by path.",
      severity: "error",
      from: { path: "^scripts/" },
      to: { path: "^packages/", dependencyTypesNot: ["aliased"] },
    },
    {
      name: "workspace-package-resolves",
      comment: "An @cx-openapi/... import must resolve to a workspace package's source, or the rules above cannot see it.",
      severity: "error",
      from: {},
      to: { path: "^@cx-openapi/", couldNotResolve: true },
    },
  ],
  options: {
    tsPreCompilationDeps: true,
    tsConfig: { fileName: "tsconfig.json" },
    doNotFollow: { path: "node_modules" },
    exclude: { path: ["(^|/)node_modules/", "(^|/)dist/", "/src/generated/", "/fixtures/", "[.]d[.]ts$"] },
    // Workspace names resolve to each package's src: tsconfig.json's `paths`, and package.json
    // `exports` (which point at src in the workspace) for subpaths such as @cx-openapi/devkit/testing.
    enhancedResolveOptions: {
      exportsFields: ["exports"],
      conditionNames: ["import", "require", "node", "default", "types"],
      mainFields: ["module", "main", "types"],
      extensions: [".ts", ".js", ".mjs", ".cjs", ".json"],
    },
    combinedDependencies: false,
    // Results kept in node_modules/.cache/dependency-cruiser, keyed by the files' contents and these
    // options: a run re-reads only what changed (half a second instead of two of CPU).
    cache: { strategy: "content" },
  },
};
