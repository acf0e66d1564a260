// openapi-typescript writes each schema inside `components["schemas"]` and exports a root alias
// that points into it (`export type Customer = components["schemas"]["Customer"]`). Editors then
// show the expanded structure wherever a schema is used. Declaring the schema under its name and
// pointing `components["schemas"]` at the name instead makes hovers and tsc's messages say
// `Customer`. The types are the same; only where they are declared changes.
import ts from "typescript";

const nameOf = (name: ts.PropertyName): string | undefined =>
  ts.isIdentifier(name) || ts.isStringLiteral(name) ? name.text : undefined;
/** `export type X = components['schemas']['Name']` (one identifier node, as openapi-typescript writes it): the schema's name. */
function schemaOfRootAlias(node: ts.Node): string | undefined {
  if (!ts.isTypeAliasDeclaration(node) || !ts.isTypeReferenceNode(node.type) || !ts.isIdentifier(node.type.typeName))
    return undefined;
  const match = /^components\[(["'])schemas\1\]\[(["'])(.+)\2\]$/.exec(node.type.typeName.text);
  return match?.[3];
}

/** The nodes openapi-typescript returned (with `rootTypes: true`), each schema declared under its root name. */
export function nameSchemas(nodes: readonly ts.Node[]): ts.Node[] {
  const aliasOf = new Map<string, string>();
  for (const node of nodes) {
    const schema = schemaOfRootAlias(node);
    if (schema !== undefined) aliasOf.set(schema, (node as ts.TypeAliasDeclaration).name.text);
  }
  const declared: ts.TypeAliasDeclaration[] = [];
  const out = nodes.map((node) =>
    ts.isInterfaceDeclaration(node) && node.name.text === "components"
      ? namedComponents(node, aliasOf, declared)
      : node,
  );
  const first = out.findIndex((node) => schemaOfRootAlias(node) !== undefined);
  const rest = out.filter((node) => schemaOfRootAlias(node) === undefined);
  rest.splice(first === -1 ? rest.length : first, 0, ...declared);
  return rest;
}

/** `components` with each schema of `schemas` replaced by a reference to its alias, pushed to `declared`. */
function namedComponents(
  node: ts.InterfaceDeclaration,
  aliasOf: ReadonlyMap<string, string>,
  declared: ts.TypeAliasDeclaration[],
): ts.InterfaceDeclaration {
  const members = node.members.map((member) => {
    if (!ts.isPropertySignature(member) || nameOf(member.name) !== "schemas" || !member.type) return member;
    if (!ts.isTypeLiteralNode(member.type)) return member;
    const schemas = member.type.members.map((schema) => namedSchema(schema, aliasOf, declared));
    return ts.factory.updatePropertySignature(
      member,
      member.modifiers,
      member.name,
      member.questionToken,
      ts.factory.createTypeLiteralNode(schemas),
    );
  });
  return ts.factory.updateInterfaceDeclaration(
    node,
    node.modifiers,
    node.name,
    node.typeParameters,
    node.heritageClauses,
    members,
  );
}

/** One schema of `components["schemas"]`: declared as `export type <Alias>`, and referenced by name. */
function namedSchema(
  schema: ts.TypeElement,
  aliasOf: ReadonlyMap<string, string>,
  declared: ts.TypeAliasDeclaration[],
): ts.TypeElement {
  if (!ts.isPropertySignature(schema) || !schema.type) return schema;
  const alias = aliasOf.get(nameOf(schema.name) ?? "");
  if (!alias) return schema;
  const exported = [ts.factory.createModifier(ts.SyntaxKind.ExportKeyword)];
  const declaration = ts.factory.createTypeAliasDeclaration(exported, alias, undefined, schema.type);
  for (const comment of ts.getSyntheticLeadingComments(schema) ?? [])
    ts.addSyntheticLeadingComment(declaration, comment.kind, comment.text, comment.hasTrailingNewLine);
  declared.push(declaration);
  const reference = ts.factory.createTypeReferenceNode(alias);
  return ts.factory.updatePropertySignature(schema, schema.modifiers, schema.name, schema.questionToken, reference);
}
