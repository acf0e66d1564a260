// The declarations of a package's exports as its published .d.ts states them: tsc's declaration emit
// of each source file (in memory, no type check), parsed, and each export's statements printed
// without comments, `export`/`declare` or private class members. It also follows the names those
// declarations use that the package does not export (a helper type in a signature), so a change
// to one shows too.
import ts from "typescript";

/** A declaration found in an emitted .d.ts: the source file it comes from and its local name. */
export interface Declared {
  source: ts.SourceFile;
  name: string;
}

export const declaredKey = (declared: Declared) => `${declared.source.fileName}#${declared.name}`;

const printer = ts.createPrinter({ removeComments: true, newLine: ts.NewLineKind.LineFeed });
const dropped = new Set([ts.SyntaxKind.ExportKeyword, ts.SyntaxKind.DeclareKeyword, ts.SyntaxKind.DefaultKeyword]);

export interface Declarations {
  /** The printed statements declaring `declared.name`, or undefined when its .d.ts has none. */
  print(declared: Declared): string | undefined;
  /** The declarations of this program that the printed statements of `declared` refer to. */
  references(declared: Declared): Declared[];
}

export function declarations(program: ts.Program): Declarations {
  const emitted = new Map<string, ts.SourceFile>();
  const dtsOf = (source: ts.SourceFile): ts.SourceFile => {
    let dts = emitted.get(source.fileName);
    if (dts) return dts;
    let text = "";
    const keep = (name: string, data: string) => {
      if (name.endsWith(".d.ts")) text = data;
    };
    program.emit(source, keep, undefined, true);
    dts = ts.createSourceFile(`${source.fileName}.d.ts`, text, ts.ScriptTarget.Latest, true);
    emitted.set(source.fileName, dts);
    return dts;
  };
  const statementsOf = (declared: Declared) => statementsNamed(dtsOf(declared.source), declared.name);
  return {
    print(declared) {
      const dts = dtsOf(declared.source);
      const statements = statementsOf(declared);
      if (statements.length === 0) return undefined;
      return statements.map((s) => printer.printNode(ts.EmitHint.Unspecified, publicShape(s), dts)).join("\n");
    },
    references(declared) {
      const names = new Set(statementsOf(declared).flatMap((s) => [...namesUsed(publicShape(s))]));
      return [...names].flatMap((name) => resolveName(program, dtsOf, declared.source, name) ?? []);
    },
  };
}

/** The statements of a .d.ts that declare `name` (overloads and merged declarations included). */
function statementsNamed(dts: ts.SourceFile, name: string): ts.Statement[] {
  return dts.statements.flatMap((statement): ts.Statement[] => {
    if (ts.isVariableStatement(statement)) {
      const found = statement.declarationList.declarations.filter(
        (d) => ts.isIdentifier(d.name) && d.name.text === name,
      );
      if (found.length === 0) return [];
      const list = ts.factory.updateVariableDeclarationList(statement.declarationList, found);
      return [ts.factory.updateVariableStatement(statement, statement.modifiers, list)];
    }
    const named = statement as ts.Statement & { name?: ts.Node };
    return named.name && ts.isIdentifier(named.name) && named.name.text === name ? [statement] : [];
  });
}

/** A declaration without `export`/`declare`, and a class without its private members. */
function publicShape(node: ts.Statement): ts.Statement {
  if (!ts.canHaveModifiers(node)) return node;
  const modifiers = (ts.getModifiers(node) ?? []).filter((m) => !dropped.has(m.kind));
  const bare = ts.factory.replaceModifiers(node, modifiers) as ts.Statement;
  if (!ts.isClassDeclaration(bare)) return bare;
  const visible = bare.members.filter(
    (member) =>
      !(member.name && ts.isPrivateIdentifier(member.name)) &&
      !(ts.getCombinedModifierFlags(member as ts.Declaration) & ts.ModifierFlags.Private),
  );
  return ts.factory.updateClassDeclaration(
    bare,
    bare.modifiers,
    bare.name,
    bare.typeParameters,
    bare.heritageClauses,
    visible,
  );
}

const leftmost = (name: ts.EntityName | ts.Expression): string | undefined =>
  ts.isIdentifier(name)
    ? name.text
    : ts.isQualifiedName(name)
      ? leftmost(name.left)
      : ts.isPropertyAccessExpression(name)
        ? leftmost(name.expression)
        : undefined;

/** The names a declaration refers to: type references, `extends` bases, `typeof x`, `[key]` members. */
function namesUsed(node: ts.Node): Set<string> {
  const names = new Set<string>();
  const visit = (child: ts.Node) => {
    let name: string | undefined;
    if (ts.isTypeReferenceNode(child)) name = leftmost(child.typeName);
    else if (ts.isExpressionWithTypeArguments(child) || ts.isComputedPropertyName(child))
      name = leftmost(child.expression);
    else if (ts.isTypeQueryNode(child)) name = leftmost(child.exprName);
    else if (ts.isImportTypeNode(child)) name = importTypeName(child);
    if (name) names.add(name);
    ts.forEachChild(child, visit);
  };
  visit(node);
  return names;
}

/** `import("./types.js").X` as `./types.js#X`, so resolveName follows the specifier. */
function importTypeName(node: ts.ImportTypeNode): string | undefined {
  const argument = ts.isLiteralTypeNode(node.argument) ? node.argument.literal : undefined;
  if (!argument || !ts.isStringLiteral(argument) || !node.qualifier) return undefined;
  return `${argument.text}#${leftmost(node.qualifier)}`;
}

/**
 * Where `name`, as used in the .d.ts of `source`, is declared: a statement of that .d.ts, or the
 * module a relative import brings it from. Names from other packages resolve to nothing: their
 * package's report has them.
 */
function resolveName(
  program: ts.Program,
  dtsOf: (source: ts.SourceFile) => ts.SourceFile,
  source: ts.SourceFile,
  name: string,
  depth = 0,
): Declared | undefined {
  if (depth > 8) return undefined;
  const [specifier, imported] = name.includes("#") ? (name.split("#") as [string, string]) : [undefined, name];
  if (specifier !== undefined) return followImport(program, dtsOf, source, specifier, imported, depth);
  const dts = dtsOf(source);
  if (statementsNamed(dts, name).length > 0) return { source, name };
  for (const statement of dts.statements) {
    if (!ts.isImportDeclaration(statement) || !ts.isStringLiteral(statement.moduleSpecifier)) continue;
    const bindings = statement.importClause?.namedBindings;
    if (!bindings || !ts.isNamedImports(bindings)) continue;
    const element = bindings.elements.find((e) => e.name.text === name);
    if (element)
      return followImport(
        program,
        dtsOf,
        source,
        statement.moduleSpecifier.text,
        (element.propertyName ?? element.name).text,
        depth,
      );
  }
  return undefined;
}

function followImport(
  program: ts.Program,
  dtsOf: (source: ts.SourceFile) => ts.SourceFile,
  source: ts.SourceFile,
  specifier: string,
  name: string,
  depth: number,
): Declared | undefined {
  if (!specifier.startsWith(".")) return undefined;
  const resolved = ts.resolveModuleName(specifier, source.fileName, program.getCompilerOptions(), ts.sys);
  const target = resolved.resolvedModule && program.getSourceFile(resolved.resolvedModule.resolvedFileName);
  return target && !target.isDeclarationFile ? resolveName(program, dtsOf, target, name, depth + 1) : undefined;
}
