// Type-checks snippets with the repository's own tsconfig, in one TypeScript program, for tests
// that pin what a user sees: the name a hover shows, and the message a mistake gets.
import { createRequire } from "node:module";
import { dirname, join } from "node:path";
import type * as TypeScript from "typescript";
import { repoRoot } from "../repo.js";

export interface Checked {
  /** tsc's messages for the snippet, flattened, one per error. */
  messages: string[];
  /** The type of `const name = ...` in the snippet, as a hover prints it. */
  typeOf(name: string): string;
}

/** Snippets to check as modules of one folder (so their relative imports resolve from there). */
export interface SnippetSet {
  dir: string;
  snippets: Record<string, string>;
}

/** Loaded on first use: the compiler takes a while to load, and most tests never need it. */
const typescript = () => createRequire(import.meta.url)("typescript") as typeof TypeScript;

/** Where a snippet seems to be: in its set's folder, named after the set and the snippet. */
const snippetFile = (dir: string, set: string, name: string) => join(dir, `__snippet_${set}_${name}.ts`);

/** A compiler host that serves the snippets from memory and everything else from the disk. */
function snippetHost(ts: typeof TypeScript, options: TypeScript.CompilerOptions, files: Map<string, string>) {
  const host = ts.createCompilerHost(options);
  const read = host.readFile.bind(host);
  const exists = host.fileExists.bind(host);
  const getSource = host.getSourceFile.bind(host);
  host.readFile = (file) => files.get(file) ?? read(file);
  host.fileExists = (file) => files.has(file) || exists(file);
  host.getSourceFile = (file, language, ...rest) => {
    const code = files.get(file);
    return code === undefined ? getSource(file, language, ...rest) : ts.createSourceFile(file, code, language, true);
  };
  return host;
}

/**
 * Checks every set of snippets in one program (one compile for all of them, the costly part), and
 * returns each set's results under its name.
 */
export function checkSnippets<Sets extends Record<string, SnippetSet>>(
  sets: Sets,
): { [Name in keyof Sets]: Record<keyof Sets[Name]["snippets"], Checked> } {
  const ts = typescript();
  const config = ts.getParsedCommandLineOfConfigFile(
    join(repoRoot, "tsconfig.json"),
    {},
    { ...ts.sys, onUnRecoverableConfigFileDiagnostic: () => undefined },
  )!;
  const files = new Map(
    Object.entries(sets).flatMap(([set, { dir, snippets }]) =>
      Object.entries(snippets).map(([name, code]) => [snippetFile(dir, set, name), code] as const),
    ),
  );
  // Every snippet is a module of its own (README blocks may have no import), and may leave a value unused.
  const options = {
    ...config.options,
    moduleDetection: ts.ModuleDetectionKind.Force,
    noUnusedLocals: false,
    noUnusedParameters: false,
  };
  const program = ts.createProgram([...files.keys()], options, snippetHost(ts, options, files));
  const checker = program.getTypeChecker();
  const results = (set: string, { dir, snippets }: SnippetSet) =>
    Object.fromEntries(
      Object.keys(snippets).map((name) => [name, checked(ts, program, checker, snippetFile(dir, set, name))]),
    );
  return Object.fromEntries(Object.entries(sets).map(([set, snippets]) => [set, results(set, snippets)])) as never;
}

function checked(
  ts: typeof TypeScript,
  program: TypeScript.Program,
  checker: TypeScript.TypeChecker,
  file: string,
): Checked {
  const source = program.getSourceFile(file)!;
  const messages = ts
    .getPreEmitDiagnostics(program, source)
    .map((d) => ts.flattenDiagnosticMessageText(d.messageText, "\n"));
  return {
    messages,
    typeOf(variable) {
      let found: TypeScript.Node | undefined;
      const visit = (node: TypeScript.Node) => {
        if (ts.isVariableDeclaration(node) && node.name.getText(source) === variable) found = node.name;
        ts.forEachChild(node, visit);
      };
      visit(source);
      if (!found) throw new Error(`no const ${variable} in snippet ${file}`);
      return checker.typeToString(checker.getTypeAtLocation(found), undefined, ts.TypeFormatFlags.NoTruncation);
    },
  };
}

/** The folder of a test file, from its `import.meta.url`. */
export const testDir = (url: string) => dirname(new URL(url).pathname);
