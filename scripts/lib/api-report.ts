// The public API of each published package, as a report committed beside it
// (packages/<dir>/api-report.md): for each entry point of its package.json `exports`, every exported
// name with its declaration as the published .d.ts states it, sorted by name, then the declarations
// those use but the package does not export. Re-exports name the package they come from; what
// `pnpm gen` writes (src/generated/: schema types, enums, servers, the API registry) is listed by
// name only, since it follows the specs, which `pnpm spec:diff` compares. `pnpm api:report` writes
// the reports; `--check` fails when one differs from the code, so a changed signature shows in
// review beside the change that made it.
import { existsSync, readFileSync } from "node:fs";
import { dirname, join, relative, sep } from "node:path";
import ts from "typescript";
import { declarations, declaredKey, type Declarations, type Declared } from "./api-declarations.js";
import { isEsmOnly, publicPackages, type PublicPackage } from "./packages.js";

export const reportFile = "api-report.md";
export const updateCommand = "pnpm api:report";

interface Entry {
  /** How users import it: the package name and the subpath, e.g. `@cx-openapi/sandbox/msw`. */
  specifier: string;
  file: string;
}

/** The TypeScript entry points of a package's workspace `exports`, the root entry first. */
function entryPoints(pkg: PublicPackage): Entry[] {
  return Object.entries(pkg.json.exports ?? {})
    .filter(([, file]) => file.endsWith(".ts"))
    .sort(([a], [b]) => (a === "." ? -1 : b === "." ? 1 : a < b ? -1 : 1))
    .map(([subpath, file]) => ({ specifier: `${pkg.json.name}${subpath.slice(1)}`, file: join(pkg.path, file) }));
}

/** tsconfig.json's options where the root has one (the workspace `paths`), set to emit declarations only. */
function compilerOptions(root: string): ts.CompilerOptions {
  const configFile = join(root, "tsconfig.json");
  const base: ts.CompilerOptions = existsSync(configFile)
    ? ts.parseJsonConfigFileContent(ts.readConfigFile(configFile, ts.sys.readFile).config, ts.sys, root).options
    : { target: ts.ScriptTarget.ES2022, lib: ["lib.es2022.d.ts"], module: ts.ModuleKind.NodeNext, strict: true };
  // Emitting declarations needs no full type check: tsc -p . does that.
  return { ...base, noEmit: false, declaration: true, emitDeclarationOnly: true, declarationMap: false, noCheck: true };
}

type Origin = { kind: "own" } | { kind: "generated" } | { kind: "package"; name: string };

/** Where a declaration lives: this package, the code `pnpm gen` writes into it, or another package. */
function originOf(pkg: PublicPackage, root: string, fileName: string): Origin {
  const inModules = /.*node_modules\/((?:@[^/]+\/)?[^/]+)\//.exec(fileName);
  if (inModules) return { kind: "package", name: inModules[1]! };
  const path = relative(root, fileName).split(sep).join("/");
  const dir = /^packages\/([^/]+)\//.exec(path)?.[1];
  if (dir !== undefined && dir !== pkg.dir) {
    const manifest = join(root, "packages", dir, "package.json");
    return { kind: "package", name: (JSON.parse(readFileSync(manifest, "utf8")) as { name: string }).name };
  }
  return /\/src\/generated\//.test(path) ? { kind: "generated" } : { kind: "own" };
}

interface Section {
  reexports: Map<string, string[]>;
  generated: string[];
  /** Names whose declaration an earlier entry point of the package prints. */
  earlier: string[];
  own: Declared[];
  /** Exported name by declaration, where the two differ. */
  aliases: Map<string, string>;
}

interface ReportContext {
  program: ts.Program;
  pkg: PublicPackage;
  root: string;
  decls: Declarations;
  /** The declarations the report shows so far, printed or listed by name. */
  printed: Set<string>;
}

/** One entry point's exports, by name, sorted into what its section prints. */
function describeEntry(context: ReportContext, entry: Entry): Section {
  const { program, pkg, root } = context;
  const checker = program.getTypeChecker();
  const source = program.getSourceFile(entry.file);
  const moduleSymbol = source && checker.getSymbolAtLocation(source);
  if (!moduleSymbol) throw new Error(`${pkg.json.name}: cannot read the entry point ${relative(root, entry.file)}`);
  const section: Section = { reexports: new Map(), generated: [], earlier: [], own: [], aliases: new Map() };
  for (const exported of checker.getExportsOfModule(moduleSymbol).sort((a, b) => (a.name < b.name ? -1 : 1))) {
    const target = exported.flags & ts.SymbolFlags.Alias ? checker.getAliasedSymbol(exported) : exported;
    const declaration = target.declarations?.[0];
    if (!declaration) throw new Error(`${pkg.json.name}: \`${exported.name}\` resolves to no declaration`);
    const origin = originOf(pkg, root, declaration.getSourceFile().fileName);
    const declared = { source: declaration.getSourceFile(), name: target.name };
    const label = `${target.flags & ts.SymbolFlags.Value ? "" : "type "}${exported.name}`;
    const key = declaredKey(declared);
    if (context.printed.has(key)) section.earlier.push(exported.name);
    else if (origin.kind === "package")
      section.reexports.set(origin.name, [...(section.reexports.get(origin.name) ?? []), label]);
    else if (origin.kind === "generated") section.generated.push(label);
    else {
      section.own.push(declared);
      if (exported.name !== target.name) section.aliases.set(key, exported.name);
    }
    context.printed.add(key);
  }
  return section;
}

/** The declarations the section's own ones use, transitively, that the report does not print yet. */
function unexportedUses(context: ReportContext, own: Declared[]): Declared[] {
  const found: Declared[] = [];
  const queue = [...own];
  for (let next = queue.shift(); next; next = queue.shift()) {
    for (const used of context.decls.references(next)) {
      const key = declaredKey(used);
      if (context.printed.has(key)) continue;
      if (originOf(context.pkg, context.root, used.source.fileName).kind !== "own") continue;
      context.printed.add(key);
      found.push(used);
      queue.push(used);
    }
  }
  return found.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
}

function printed(context: ReportContext, declared: Declared, alias?: string): string {
  const text = context.decls.print(declared);
  if (text === undefined)
    throw new Error(`${context.pkg.json.name}: no declaration of \`${declared.name}\` in its .d.ts`);
  return alias === undefined ? text : `// exported as ${alias}\n${text}`;
}

/** `lead` and `names` wrapped at 100 columns, continuation lines starting with `indent`. */
function wrapped(lead: string, names: string[], tail: string, indent = "    "): string {
  const lines = [lead];
  for (const [i, name] of names.entries()) {
    const word = `${name}${i < names.length - 1 ? "," : ` ${tail}`.trimEnd()}`;
    const last = lines.length - 1;
    if (`${lines[last]} ${word}`.length > 100) lines.push(`${indent}${word}`);
    else lines[last] = `${lines[last]} ${word}`;
  }
  return lines.join("\n");
}

function renderSection(context: ReportContext, entry: Entry, first: Entry): string {
  const section = describeEntry(context, entry);
  const blocks: string[] = [];
  for (const [from, names] of [...section.reexports].sort(([a], [b]) => (a < b ? -1 : 1)))
    blocks.push(wrapped("export {", names, `} from "${from}";`));
  if (section.generated.length > 0)
    blocks.push(
      "// Written by `pnpm gen` from the specs and redocly.yaml (src/generated/), so listed by name only.\n" +
        wrapped("export {", section.generated, "};"),
    );
  if (section.earlier.length > 0)
    blocks.push(wrapped(`// Declared under ${first.specifier} above:`, section.earlier, "", "//   "));
  blocks.push(...section.own.map((d) => printed(context, d, section.aliases.get(declaredKey(d)))));
  const unexported = unexportedUses(context, section.own);
  if (unexported.length > 0) {
    blocks.push("// ─── Not exported, but used by the declarations above ───");
    blocks.push(...unexported.map((d) => printed(context, d)));
  }
  return `## \`${entry.specifier}\`\n\n\`\`\`ts\n${blocks.join("\n\n").replace(/ +$/gm, "")}\n\`\`\`\n`;
}

function renderReport(context: ReportContext): string {
  const entries = entryPoints(context.pkg);
  const sections = entries.map((entry) => renderSection(context, entry, entries[0]!));
  return `# ${context.pkg.json.name}: public API

Generated by \`${updateCommand}\` from the entry points in package.json \`exports\`; do not edit it.
\`${updateCommand} --check\` (CI) fails when it no longer matches the code. Each export is shown as the
published \`.d.ts\` declares it, without comments or private members, sorted by name; then the
declarations those use that the package does not export.

${sections.join("\n")}`;
}

/** The declaration files installed (TypeScript's libs, @types): parsed once per process. */
const installedFiles = new Map<string, ts.SourceFile | undefined>();

/**
 * One program per kind of package, as `pnpm build` emits their declarations: the clients without
 * Node's types (they run in browsers too), the ESM-only Node packages with them. The two programs
 * share the source files they both read (lib.dom.d.ts and the like), parsed once.
 */
function programs(root: string, packages: PublicPackage[]): Map<PublicPackage, ts.Program> {
  const parsed = installedFiles;
  const ownFiles = new Map<string, ts.SourceFile | undefined>();
  const byProgram = new Map<PublicPackage, ts.Program>();
  for (const node of [false, true]) {
    const group = packages.filter((pkg) => isEsmOnly(pkg) === node);
    if (group.length === 0) continue;
    const options = { ...compilerOptions(root), types: node ? ["node"] : [] };
    const host = ts.createCompilerHost(options);
    const read = host.getSourceFile;
    host.getSourceFile = (file, ...rest) => {
      // The packages' own files are read afresh for each report; what is installed does not change.
      const cache = file.includes("/node_modules/") ? parsed : ownFiles;
      if (!cache.has(file)) cache.set(file, read.call(host, file, ...rest));
      return cache.get(file);
    };
    const rootNames = group.flatMap((pkg) => entryPoints(pkg).map((entry) => entry.file));
    const program = ts.createProgram({ rootNames, options, host });
    for (const pkg of group) byProgram.set(pkg, program);
  }
  return byProgram;
}

/** The report of every published package under `root`, by the report's path. */
export function apiReports(root: string): Map<string, string> {
  const reports = new Map<string, string>();
  const emitters = new Map<ts.Program, Declarations>();
  for (const [pkg, program] of programs(root, publicPackages(root))) {
    if (!emitters.has(program)) emitters.set(program, declarations(program));
    const context = { program, pkg, root, decls: emitters.get(program)!, printed: new Set<string>() };
    reports.set(join(pkg.path, reportFile), renderReport(context));
  }
  return reports;
}

export interface StaleReport {
  packageName: string;
  /** The report's path, relative to the root. */
  file: string;
  /** Lines only the committed report has (`-`), then lines only the code gives (`+`); at most 12. */
  diff: string[];
}

/** The reports that differ from what the code gives now, a missing one included. */
export function staleReports(root: string): StaleReport[] {
  const stale: StaleReport[] = [];
  for (const [file, expected] of apiReports(root)) {
    const committed = existsSync(file) ? readFileSync(file, "utf8") : "";
    if (committed === expected) continue;
    const name = (JSON.parse(readFileSync(join(dirname(file), "package.json"), "utf8")) as { name: string }).name;
    stale.push({ packageName: name, file: relative(root, file), diff: lineDiff(committed, expected) });
  }
  return stale;
}

/** The lines removed and the lines added, each in order: enough to see what moved. */
function lineDiff(before: string, after: string): string[] {
  const was = new Set(before.split("\n"));
  const now = new Set(after.split("\n"));
  const removed = [...was].filter((line) => !now.has(line)).map((line) => `- ${line}`);
  const added = [...now].filter((line) => !was.has(line)).map((line) => `+ ${line}`);
  return [...removed, ...added].slice(0, 12);
}

/** The failure for a stale report: the package, the file, the command that updates it, the lines. */
export function staleMessage(report: StaleReport): string {
  return [
    `${report.packageName}: ${report.file} does not match the package's exports; run \`${updateCommand}\` to update it`,
    ...report.diff.map((line) => `    ${line}`),
  ].join("\n");
}
