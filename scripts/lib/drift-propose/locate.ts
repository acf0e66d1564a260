// Where in a bundled spec a deviation lies: the schema a response's body pointer reaches, as a path
// into the document (so an overlay action can target it), following `$ref`s to the component they
// name and `allOf` members to the part that declares a property. A pointer is a drift pointer:
// array items are `*`, keys the spec does not declare `{key}`.
import { isObject, resolvePointer, type OpenApiDoc } from "@cx-openapi/spec";

/** A place in the document: its path from the root, and the schema object there. */
export interface Located {
  path: (string | number)[];
  schema: Record<string, unknown>;
}

/** The path of a local `$ref` (`#/components/schemas/Customer`). */
export function refPath(ref: string): string[] {
  if (!ref.startsWith("#/")) throw new Error(`only local $refs are followed; got ${ref}`);
  return ref
    .slice(2)
    .split("/")
    .map((raw) => decodeURIComponent(raw).replace(/~1/g, "/").replace(/~0/g, "~"));
}

/** A place's own schema, what its `$ref` names and its `allOf` members, recursively, each with its path. */
export function partsOf(doc: OpenApiDoc, at: Located, seen: ReadonlySet<string> = new Set()): Located[] {
  const parts: Located[] = [at];
  const { $ref, allOf } = at.schema;
  if (typeof $ref === "string" && !seen.has($ref)) {
    const target = resolvePointer(doc, $ref);
    if (isObject(target))
      parts.push(...partsOf(doc, { path: refPath($ref), schema: target }, new Set([...seen, $ref])));
  }
  if (Array.isArray(allOf))
    allOf.forEach((member, i) => {
      if (isObject(member)) parts.push(...partsOf(doc, { path: [...at.path, "allOf", i], schema: member }, seen));
    });
  return parts;
}

/** The members of `oneOf` / `anyOf` among the parts: a property may be declared by one of them. */
function alternativesOf(doc: OpenApiDoc, parts: Located[]): Located[] {
  return parts.flatMap((part) =>
    (["oneOf", "anyOf"] as const).flatMap((keyword) => {
      const members = part.schema[keyword];
      if (!Array.isArray(members)) return [];
      return members.flatMap((member, i) =>
        isObject(member) ? partsOf(doc, { path: [...part.path, keyword, i], schema: member }) : [],
      );
    }),
  );
}

/** One step of a pointer from a place: `*` into items, `{key}` into additional properties, else a property. */
function step(doc: OpenApiDoc, at: Located, token: string): Located | undefined {
  const parts = partsOf(doc, at);
  const candidates = [...parts, ...alternativesOf(doc, parts)];
  const child = (keyword: string, ...keys: string[]) => {
    for (const part of candidates) {
      let node: unknown = part.schema[keyword];
      for (const key of keys) node = isObject(node) ? node[key] : undefined;
      if (isObject(node)) return { path: [...part.path, keyword, ...keys], schema: node };
    }
    return undefined;
  };
  if (token === "*") return child("items");
  if (token !== "{key}") {
    const property = child("properties", token);
    if (property) return property;
  }
  return child("additionalProperties");
}

/** Splits a drift pointer into its tokens, unescaped. */
export function pointerTokens(pointer: string): string[] {
  if (pointer === "") return [];
  return pointer
    .split("/")
    .slice(1)
    .map((token) => token.replace(/~1/g, "/").replace(/~0/g, "~"));
}

/** The schema a pointer reaches from a body schema, or undefined when the spec declares no such place. */
export function locatePointer(doc: OpenApiDoc, body: Located, pointer: string): Located | undefined {
  let at: Located | undefined = body;
  for (const token of pointerTokens(pointer)) {
    if (!at) return undefined;
    at = step(doc, at, token);
  }
  return at;
}

/** The first part of a place that has a keyword (and passes `test`, if given). */
export function partWith(
  doc: OpenApiDoc,
  at: Located,
  keyword: string,
  test: (value: unknown, part: Located) => boolean = () => true,
): Located | undefined {
  return partsOf(doc, at).find((part) => part.schema[keyword] !== undefined && test(part.schema[keyword], part));
}
