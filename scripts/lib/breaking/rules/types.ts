// Types and formats: what kind of value a schema holds. A type narrowed in a request, or widened in
// a response (null added, say), breaks; so does a format, contentMediaType or contentEncoding added
// or changed in a request. In a response, a format or content type changed or removed is a loosened
// constraint (a warning, constraints.ts): clients that parse by it may break.
import type { SchemaPair } from "../context.js";
import { defineRules } from "../rule.js";
import { covers, describeChange, show, showTypes, typesCover } from "../values.js";

export const typeRules = defineRules({
  "type-changed": {
    severity: "breaking",
    github: 7,
    summary: "A type changed incompatibly: narrowed in a request, widened (null added, say) in a response.",
  },
  "format-changed": {
    severity: "breaking",
    summary: "A request format, contentMediaType or contentEncoding was added or changed.",
  },
});

type Id = keyof typeof typeRules | "response-constraint-loosened";

/** Schema `false` on either side settles the pair: a request accepts nothing, a response may now hold a value. */
export function compareNever({ a, b, request, report, path }: SchemaPair<Id>): boolean {
  if (!a.never && !b.never) return false;
  if (request && b.never && !a.never) report("type-changed", path, "no value is accepted any more (schema `false`)");
  if (!request && a.never && !b.never)
    report("type-changed", path, "the field can now be present (was schema `false`)");
  return true;
}

export function compareTypes({ a, b, request, report, path }: SchemaPair<Id>): void {
  if (request ? typesCover(b.types, a.types) : typesCover(a.types, b.types)) return;
  const overlap = (x: Set<string>, y: Set<string>) =>
    [...x].some((t) => covers(y, t)) || [...y].some((t) => covers(x, t));
  const disjoint = a.types && b.types && !overlap(a.types, b.types);
  const how = disjoint ? "changed" : request ? "narrowed" : "widened";
  report("type-changed", path, `type ${how} from ${showTypes(a.types)} to ${showTypes(b.types)}`);
}

export function compareFormat({ a, b, request, report, path }: SchemaPair<Id>): void {
  if (a.format === b.format || (request ? b.format === undefined : a.format === undefined)) return;
  report(
    request ? "format-changed" : "response-constraint-loosened",
    path,
    describeChange("format", a.format, b.format, show),
  );
}

/** contentMediaType and contentEncoding, then contentSchema compared as a subschema. */
export function compareContent({ a, b, request, report, compare, path }: SchemaPair<Id>): void {
  for (const key of ["contentMediaType", "contentEncoding"] as const) {
    if (a[key] !== b[key] && (request ? b[key] !== undefined : a[key] !== undefined)) {
      report(
        request ? "format-changed" : "response-constraint-loosened",
        path,
        `${key} changed from ${show(a[key] ?? null)} to ${show(b[key] ?? null)}`,
      );
    }
  }
  if (a.contentSchema !== undefined || b.contentSchema !== undefined)
    compare(a.contentSchema ?? {}, b.contentSchema ?? {}, `${path}{contentSchema}`);
}
