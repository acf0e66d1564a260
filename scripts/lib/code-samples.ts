// The `x-codeSamples` of the bundled specs, and a type-check of them against the real clients.
import { join } from "node:path";
import ts from "typescript";
import { repoRoot } from "./apis.js";

export { operationSamples, type CodeSample } from "./docs-document.js";

/**
 * The compiler options samples are checked with: the project's strictness, ES2022 modules (so a
 * sample may use top-level await), and `@cx-openapi/*` resolved to the workspace packages' sources,
 * so the check always runs against the current client types.
 */
export const sampleCompilerOptions: ts.CompilerOptions = {
  strict: true,
  exactOptionalPropertyTypes: true,
  noUncheckedIndexedAccess: true,
  noImplicitOverride: true,
  noFallthroughCasesInSwitch: true,
  target: ts.ScriptTarget.ES2022,
  module: ts.ModuleKind.ES2022,
  moduleResolution: ts.ModuleResolutionKind.Bundler,
  moduleDetection: ts.ModuleDetectionKind.Force,
  lib: ["lib.es2022.d.ts", "lib.dom.d.ts", "lib.dom.iterable.d.ts"],
  types: ["node"],
  baseUrl: repoRoot,
  paths: { "@cx-openapi/*": ["packages/*/src/index.ts"] },
  isolatedModules: true,
  verbatimModuleSyntax: true,
  esModuleInterop: true,
  skipLibCheck: true,
  noEmit: true,
};

export interface SampleProblem {
  file: string;
  messages: string[];
}

/**
 * Type-checks each source as its own module file. Returns the problems per file; a file that is
 * not in the result compiled cleanly. Files live in memory, beside the repository root.
 */
export function typeCheckSamples(sources: ReadonlyMap<string, string>): {
  problems: SampleProblem[];
  files: Map<string, string>;
} {
  const dir = join(repoRoot, "scripts/test/.code-samples");
  const files = new Map([...sources].map(([name, source]) => [join(dir, `${name}.ts`), source]));
  const host = ts.createCompilerHost(sampleCompilerOptions, true);
  const getSourceFile = host.getSourceFile.bind(host);
  host.getSourceFile = (fileName, languageVersion, onError, shouldCreate) => {
    const source = files.get(fileName);
    return source === undefined
      ? getSourceFile(fileName, languageVersion, onError, shouldCreate)
      : ts.createSourceFile(fileName, source, languageVersion, true);
  };
  const fileExists = host.fileExists.bind(host);
  host.fileExists = (fileName) => files.has(fileName) || fileExists(fileName);
  const readFile = host.readFile.bind(host);
  host.readFile = (fileName) => files.get(fileName) ?? readFile(fileName);
  host.getCurrentDirectory = () => repoRoot;

  const program = ts.createProgram({ rootNames: [...files.keys()], options: sampleCompilerOptions, host });
  const format = (d: ts.Diagnostic) => {
    const text = ts.flattenDiagnosticMessageText(d.messageText, "\n");
    if (!d.file || d.start === undefined) return `TS${d.code}: ${text}`;
    const { line, character } = d.file.getLineAndCharacterOfPosition(d.start);
    const code = d.file.text.split("\n")[line]?.trim() ?? "";
    return `line ${line + 1}:${character + 1} TS${d.code}: ${text}\n    ${code}`;
  };
  const global = [...program.getOptionsDiagnostics(), ...program.getGlobalDiagnostics()];
  if (global.length) throw new Error(`The sample compiler setup is broken:\n${global.map(format).join("\n")}`);
  const problems: SampleProblem[] = [];
  for (const file of files.keys()) {
    const sourceFile = program.getSourceFile(file);
    if (!sourceFile) throw new Error(`${file} was not compiled`);
    const diagnostics = [...program.getSyntacticDiagnostics(sourceFile), ...program.getSemanticDiagnostics(sourceFile)];
    if (diagnostics.length) problems.push({ file: file.slice(dir.length + 1), messages: diagnostics.map(format) });
  }
  return { problems, files };
}
