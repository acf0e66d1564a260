// Walks over JSON values and schemas: the one traversal the validator, the breaking-change checker
// and the contract tests share. Two structures are walked:
// - a schema tree, by the keywords that hold subschemas (keywords.ts), `$ref`s not followed: each
//   schema is met where it is written, with its JSON pointer;
// - any JSON value, every object and array once (a node that YAML aliases share is met once).
import { subschemaKeywords } from "./keywords.js";
import { isObject } from "./openapi.js";

/** One subschema a schema holds: its keyword, and its index or name inside a list or a map. */
export interface Subschema {
  keyword: string;
  key?: number | string;
  schema: unknown;
}

/**
 * The subschemas a schema holds directly, in the order its keywords are written. A list or a map
 * that is not one (a malformed schema) holds none.
 */
export function subschemasOf(schema: Record<string, unknown>): Subschema[] {
  const found: Subschema[] = [];
  for (const [keyword, value] of Object.entries(schema)) {
    if (subschemaKeywords.schema.has(keyword)) found.push({ keyword, schema: value });
    else if (subschemaKeywords.list.has(keyword) && Array.isArray(value))
      value.forEach((item, key) => found.push({ keyword, key, schema: item }));
    else if (subschemaKeywords.map.has(keyword) && isObject(value))
      for (const [key, item] of Object.entries(value)) found.push({ keyword, key, schema: item });
  }
  return found;
}

/** A JSON pointer token: `~` and `/` escaped. */
export function escapePointer(token: string): string {
  return token.replace(/~/g, "~0").replace(/\//g, "~1");
}

/**
 * Visits a schema and every schema below it, depth first, each with its JSON pointer (`pointer` is
 * the schema's own). Booleans and other non-objects are skipped; `$ref`s are not followed.
 */
export function walkSchema(
  schema: unknown,
  visit: (schema: Record<string, unknown>, pointer: string) => void,
  pointer = "#",
): void {
  if (!isObject(schema)) return;
  visit(schema, pointer);
  for (const { keyword, key, schema: sub } of subschemasOf(schema)) {
    const at = key === undefined ? `${pointer}/${keyword}` : `${pointer}/${keyword}/${escapePointer(String(key))}`;
    walkSchema(sub, visit, at);
  }
}

/**
 * Visits every object and array of a JSON value once, depth first, parents before children and
 * children in order. Iterative: a deeply nested value cannot exhaust the stack.
 */
export function forEachNode(value: unknown, visit: (node: object) => void): void {
  const seen = new Set<object>();
  const stack: unknown[] = [value];
  while (stack.length) {
    const node = stack.pop();
    if (typeof node !== "object" || node === null || seen.has(node)) continue;
    seen.add(node);
    visit(node);
    const children = Array.isArray(node) ? node : Object.values(node);
    for (let i = children.length - 1; i >= 0; i--) stack.push(children[i]);
  }
}
