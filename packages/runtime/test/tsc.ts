// Type-checks snippets with the repository's own tsconfig, in one TypeScript program, for tests
// that pin what a user sees: the name a hover shows, and the message a mistake gets.
import { dirname, join, resolve } from "node:path";
import ts from "typescript";

const root = resolve(import.meta.dirname, "../../..");

export interface Checked {
  /** tsc's messages for the snippet, flattened, one per error. */
  messages: string[];
  /** The type of `const name = ...` in the snippet, as a hover prints it. */
  typeOf(name: string): string;
}

/** Checks each snippet as a module in `dir` (so its relative imports resolve from there). */
export function check(dir: string, snippets: Record<string, string>): Record<string, Checked> {
  const config = ts.getParsedCommandLineOfConfigFile(
    join(root, "tsconfig.json"),
    {},
    { ...ts.sys, onUnRecoverableConfigFileDiagnostic: () => undefined },
  )!;
  const files = new Map(Object.entries(snippets).map(([name, code]) => [join(dir, `__snippet_${name}.ts`), code]));
  const host = ts.createCompilerHost(config.options);
  const read = host.readFile.bind(host);
  const exists = host.fileExists.bind(host);
  host.readFile = (file) => files.get(file) ?? read(file);
  host.fileExists = (file) => files.has(file) || exists(file);
  const getSource = host.getSourceFile.bind(host);
  host.getSourceFile = (file, language, ...rest) => {
    const code = files.get(file);
    return code === undefined ? getSource(file, language, ...rest) : ts.createSourceFile(file, code, language, true);
  };
  const program = ts.createProgram([...files.keys()], { ...config.options, noUnusedLocals: false }, host);
  const checker = program.getTypeChecker();
  const out: Record<string, Checked> = {};
  for (const [name] of Object.entries(snippets)) {
    const file = join(dir, `__snippet_${name}.ts`);
    const source = program.getSourceFile(file)!;
    const messages = ts
      .getPreEmitDiagnostics(program, source)
      .map((d) => ts.flattenDiagnosticMessageText(d.messageText, "\n"));
    out[name] = {
      messages,
      typeOf(variable) {
        let found: ts.Node | undefined;
        const visit = (node: ts.Node) => {
          if (ts.isVariableDeclaration(node) && node.name.getText(source) === variable) found = node.name;
          ts.forEachChild(node, visit);
        };
        visit(source);
        if (!found) throw new Error(`no const ${variable} in snippet ${name}`);
        return checker.typeToString(checker.getTypeAtLocation(found), undefined, ts.TypeFormatFlags.NoTruncation);
      },
    };
  }
  return out;
}

export const testDir = (url: string) => dirname(new URL(url).pathname);
