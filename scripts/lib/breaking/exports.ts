// The names a package exports, and what users lose between two versions of it:
// - the root types openapi-typescript generates from a spec (`Customer`, `OnboardCustomerRequest`,
//   ...), computed from the bundled document with the same options as `pnpm gen`;
// - the public exports of the package's src/index.ts, read syntactically (so it works on any git
//   revision without installing it), following `export * from "./local.js"`.
import { posix } from "node:path";
import openapiTS, { astToString } from "openapi-typescript";
import ts from "typescript";
import { rules, type Change } from "./rules.js";

export type ExportKind = "type" | "value" | "unknown";

export interface ExportedName {
  name: string;
  kind: ExportKind;
  /** The module (relative to the package) that declares or re-exports it. */
  from: string;
}

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

/**
 * Every name exported by `entry` (a path relative to the package, e.g. `src/index.ts`), reading
 * files through `read` (which returns undefined for a missing file).
 */
export function listExports(entry: string, read: (path: string) => string | undefined): Map<string, ExportedName> {
  const out = new Map<string, ExportedName>();
  const visiting = new Set<string>();

  const visit = (file: string, typeOnly: boolean) => {
    if (visiting.has(file)) return;
    visiting.add(file);
    const text = read(file);
    if (text === undefined) throw new Error(`Cannot read ${file}`);
    const source = ts.createSourceFile(file, text, ts.ScriptTarget.Latest, false, ts.ScriptKind.TS);
    const add = (name: string, kind: ExportKind) => {
      if (!out.has(name)) out.set(name, { name, kind: typeOnly ? "type" : kind, from: file });
    };
    const resolveLocal = (specifier: string): string | undefined => {
      if (!specifier.startsWith(".")) return undefined;
      const base = posix.join(posix.dirname(file), specifier).replace(/\.(m|c)?js$/, "");
      return [`${base}.ts`, `${base}.tsx`, `${base}/index.ts`].find((candidate) => read(candidate) !== undefined);
    };
    const exported = (node: ts.Node) =>
      ts.canHaveModifiers(node) && (ts.getModifiers(node) ?? []).some((m) => m.kind === ts.SyntaxKind.ExportKeyword);

    for (const statement of source.statements) {
      if (ts.isExportDeclaration(statement)) {
        const specifier =
          statement.moduleSpecifier && ts.isStringLiteral(statement.moduleSpecifier)
            ? statement.moduleSpecifier.text
            : undefined;
        if (!statement.exportClause) {
          // export * from "..."
          const local = specifier ? resolveLocal(specifier) : undefined;
          if (local) visit(local, typeOnly || statement.isTypeOnly);
          else if (specifier) add(`* from ${specifier}`, statement.isTypeOnly ? "type" : "unknown");
        } else if (ts.isNamespaceExport(statement.exportClause)) {
          add(statement.exportClause.name.text, statement.isTypeOnly ? "type" : "value");
        } else {
          for (const element of statement.exportClause.elements) {
            add(element.name.text, statement.isTypeOnly || element.isTypeOnly ? "type" : "unknown");
          }
        }
      } else if (ts.isExportAssignment(statement)) {
        add("default", "value");
      } else if (exported(statement)) {
        if (ts.isVariableStatement(statement)) {
          for (const declaration of statement.declarationList.declarations)
            if (ts.isIdentifier(declaration.name)) add(declaration.name.text, "value");
        } else if (ts.isInterfaceDeclaration(statement) || ts.isTypeAliasDeclaration(statement)) {
          add(statement.name.text, "type");
        } else if (
          (ts.isFunctionDeclaration(statement) ||
            ts.isClassDeclaration(statement) ||
            ts.isEnumDeclaration(statement)) &&
          statement.name
        ) {
          add(statement.name.text, "value");
        } else if (ts.isModuleDeclaration(statement)) {
          add(statement.name.getText(source), "value");
        }
      }
    }
  };
  visit(entry, false);
  return out;
}

function change(rule: "export-removed" | "export-kind-changed" | "export-added", message: string): Change {
  return { rule, severity: rules[rule].severity, message };
}

/** Names removed (breaking), turned type-only (breaking) or added (info). */
export function diffExports(
  packageName: string,
  before: Map<string, ExportedName>,
  after: Map<string, ExportedName>,
): Change[] {
  const changes: Change[] = [];
  for (const [name, old] of before) {
    const now = after.get(name);
    if (!now) changes.push(change("export-removed", `${packageName} no longer exports \`${name}\``));
    else if (old.kind === "value" && now.kind === "type")
      changes.push(change("export-kind-changed", `${packageName}'s \`${name}\` became type-only`));
  }
  for (const name of after.keys())
    if (!before.has(name)) changes.push(change("export-added", `${packageName} now exports \`${name}\``));
  return changes;
}

/** The same for the generated root types of the spec. */
export function diffTypeNames(packageName: string, before: Set<string>, after: Set<string>): Change[] {
  const changes: Change[] = [];
  for (const name of before)
    if (!after.has(name))
      changes.push(change("export-removed", `${packageName} no longer exports the generated type \`${name}\``));
  for (const name of after)
    if (!before.has(name))
      changes.push(change("export-added", `${packageName} now exports the generated type \`${name}\``));
  return changes;
}
