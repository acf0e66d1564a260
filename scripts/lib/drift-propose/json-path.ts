// A place in the document as an RFC 9535 normalized JSONPath (`$['paths']['/a/{id}']['get']`): the
// target of an overlay action. Every name is quoted, so a path template's `/`, `{` and `}` and a
// property named `*` or `..` select themselves and nothing else.

export function jsonPath(path: readonly (string | number)[]): string {
  return `$${path.map((key) => (typeof key === "number" ? `[${key}]` : `['${escapeName(key)}']`)).join("")}`;
}

/** The members of a list equal to a string: `[?(@ == 'email')]`. */
export function memberFilter(value: string): string {
  return `[?(@ == '${escapeName(value)}')]`;
}

function escapeName(name: string): string {
  return name.replace(/\\/g, "\\\\").replace(/'/g, "\\'");
}
