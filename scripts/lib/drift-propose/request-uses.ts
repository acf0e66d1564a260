// Which requests a component schema is part of. The spec is strict on what we send and tolerant on
// what comes back, and a request and a response may share a schema (`CustomerAttributes`): a
// widening of a shared schema would loosen a request too, so the action says so, and the review
// splits the schema (openapi/README.md, "Strict on what we send") before applying it.
import { forEachNode, isObject, listOperations, type OpenApiDoc } from "@cx-openapi/spec";

/** For each component schema a request body or parameter reaches, the operations whose requests do. */
export function requestUses(doc: OpenApiDoc): Map<string, string[]> {
  const uses = new Map<string, string[]>();
  const schemas = (doc.components?.schemas ?? {}) as Record<string, unknown>;
  for (const operation of listOperations(doc)) {
    const roots = [
      ...Object.values(operation.requestBody?.content ?? {}).map((media) => media.schema),
      ...operation.parameters.map((parameter) => parameter.schema),
    ];
    for (const name of reachable(schemas, roots)) uses.set(name, [...(uses.get(name) ?? []), operation.operationId]);
  }
  return uses;
}

/** The component schemas the roots refer to, directly or through one another. */
function reachable(schemas: Record<string, unknown>, roots: unknown[]): Set<string> {
  const found = new Set<string>();
  const queue = [...roots];
  while (queue.length > 0) {
    forEachNode(queue.pop(), (node) => {
      const ref = (node as { $ref?: unknown }).$ref;
      const name = typeof ref === "string" ? /^#\/components\/schemas\/([^/]+)$/.exec(ref)?.[1] : undefined;
      if (name === undefined || found.has(name)) return;
      found.add(name);
      if (isObject(schemas[name])) queue.push(schemas[name]);
    });
  }
  return found;
}
