// The names a package exports, and what users lose between two versions of it:
// - the root types openapi-typescript generates from a spec (`Customer`, `OnboardCustomerRequest`,
//   ...), computed from the bundled document with the same options as `pnpm gen`;
// - the public exports of the package's src/index.ts, read syntactically (so it works on any git
//   revision without installing it), following `export * from "./local.js"`.
import { posix } from "node:path";
import openapiTS, { astToString } from "openapi-typescript";
import ts from "typescript";
import type { ExportedName, ExportKind } from "./rules/exports.js";

/** The type names `pnpm gen` produces from a bundled document (schema.ts's exports). */
export async function generatedTypeNames(document: object): Promise<Set<string>> {
  const ast = await openapiTS(structuredClone(document) as Parameters<typeof openapiTS>[0], {
    rootTypes: true,
    rootTypesNoSchemaPrefix: true,
    defaultNonNullable: false,
    silent: true,
  });
  return new Set([...astToString(ast).matchAll(/^export (?:type|interface) ([\w$]+)/gm)].map((m) => m[1] as string));
}

type Add = (name: string, kind: ExportKind) => void;
/** Follows `export * from specifier` into a local module; false when it is not one. */
type Follow = (specifier: string, typeOnly: boolean) => boolean;

/**
 * Every name exported by `entry` (a path relative to the package, e.g. `src/index.ts`), reading
 * files through `read` (which returns undefined for a missing file).
 */
export function listExports(entry: string, read: (path: string) => string | undefined): Map<string, ExportedName> {
  const out = new Map<string, ExportedName>();
  const visiting = new Set<string>();
  const visit = (file: string, typeOnly: boolean): void => {
    if (visiting.has(file)) return;
    visiting.add(file);
    const text = read(file);
    if (text === undefined) throw new Error(`Cannot read ${file}`);
    const source = ts.createSourceFile(file, text, ts.ScriptTarget.Latest, false, ts.ScriptKind.TS);
    const add: Add = (name, kind) => {
      if (!out.has(name)) out.set(name, { name, kind: typeOnly ? "type" : kind, from: file });
    };
    const follow: Follow = (specifier, starTypeOnly) => {
      const local = resolveLocal(file, specifier, read);
      if (local) visit(local, typeOnly || starTypeOnly);
      return local !== undefined;
    };
    for (const statement of source.statements) addStatement(statement, source, add, follow);
  };
  visit(entry, false);
  return out;
}

/** The module a relative specifier names (`./x.js` is `./x.ts`), if it exists; a package's: undefined. */
function resolveLocal(file: string, specifier: string, read: (path: string) => string | undefined) {
  if (!specifier.startsWith(".")) return undefined;
  const base = posix.join(posix.dirname(file), specifier).replace(/\.(m|c)?js$/, "");
  return [`${base}.ts`, `${base}.tsx`, `${base}/index.ts`].find((candidate) => read(candidate) !== undefined);
}

const isExported = (node: ts.Node) =>
  ts.canHaveModifiers(node) && (ts.getModifiers(node) ?? []).some((m) => m.kind === ts.SyntaxKind.ExportKeyword);

/** The names one top-level statement exports. */
function addStatement(statement: ts.Statement, source: ts.SourceFile, add: Add, follow: Follow): void {
  if (ts.isExportDeclaration(statement)) addExportDeclaration(statement, add, follow);
  else if (ts.isExportAssignment(statement)) add("default", "value");
  else if (isExported(statement)) addDeclaration(statement, source, add);
}

/** `export { a, type B }`, `export * as ns from`, `export * from` (followed into local modules). */
function addExportDeclaration(statement: ts.ExportDeclaration, add: Add, follow: Follow): void {
  const specifier =
    statement.moduleSpecifier && ts.isStringLiteral(statement.moduleSpecifier)
      ? statement.moduleSpecifier.text
      : undefined;
  if (!statement.exportClause) {
    if (specifier && !follow(specifier, statement.isTypeOnly))
      add(`* from ${specifier}`, statement.isTypeOnly ? "type" : "unknown");
  } else if (ts.isNamespaceExport(statement.exportClause)) {
    add(statement.exportClause.name.text, statement.isTypeOnly ? "type" : "value");
  } else {
    for (const element of statement.exportClause.elements)
      add(element.name.text, statement.isTypeOnly || element.isTypeOnly ? "type" : "unknown");
  }
}

/** `export const`, `export interface`, `export function`, ... */
function addDeclaration(statement: ts.Statement, source: ts.SourceFile, add: Add): void {
  if (ts.isVariableStatement(statement)) {
    for (const declaration of statement.declarationList.declarations)
      if (ts.isIdentifier(declaration.name)) add(declaration.name.text, "value");
  } else if (ts.isInterfaceDeclaration(statement) || ts.isTypeAliasDeclaration(statement)) {
    add(statement.name.text, "type");
  } else if (
    (ts.isFunctionDeclaration(statement) || ts.isClassDeclaration(statement) || ts.isEnumDeclaration(statement)) &&
    statement.name
  ) {
    add(statement.name.text, "value");
  } else if (ts.isModuleDeclaration(statement)) {
    add(statement.name.getText(source), "value");
  }
}

export { diffExports, diffTypeNames, type ExportedName, type ExportKind } from "./rules/exports.js";
