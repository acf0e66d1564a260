// Annotations and defaults, and the keywords the checker does not model.
// - A body field's default added, removed or changed is a warning: the server assumes something else
//   when it is left out. (A parameter's own default is breaking: parameters.ts.)
// - Fail closed: a change to a schema keyword the checker does not model (`$dynamicRef`, `xml`,
//   `$id`, ...; keywords.ts lists the modelled ones) is `schema-keyword-changed`, breaking in a
//   request and a warning in a response. Annotations (title, description, examples...) are ignored.
import type { SchemaPair } from "../context.js";
import { defineRules } from "../rule.js";
import { describeChange, same, show } from "../values.js";

export const annotationRules = defineRules({
  "schema-keyword-changed": {
    severity: "breaking",
    summary: "A request schema keyword the checker does not model changed (fail closed: it may break).",
  },
  "default-changed": {
    severity: "warning",
    summary:
      "A request field's default was added, removed or changed: the server assumes something else when it is left out.",
  },
  "response-schema-keyword-changed": {
    severity: "warning",
    summary: "A response schema keyword the checker does not model changed (fail closed: it may break).",
  },
});

type Id = keyof typeof annotationRules;

export function compareDefault({ a, b, request, loc, report, path }: SchemaPair<Id>): void {
  // A parameter's own default is parameters.ts's parameter-default-changed.
  const parameterItself = path === "" && / parameter /.test(loc.where ?? "");
  if (!request || parameterItself || (!a.hasDefault && !b.hasDefault) || same(a.default, b.default)) return;
  report(
    "default-changed",
    path,
    describeChange("default", a.hasDefault ? a.default : undefined, b.hasDefault ? b.default : undefined, show),
  );
}

/** Every keyword not modelled, compared as canonical text: any change is reported. */
export function compareUnmodelled({ a, b, request, before, after, report, canonical, path }: SchemaPair<Id>): void {
  const values = (doc: typeof before, list: unknown[] | undefined) =>
    (list ?? [])
      .map((value) => canonical(doc, value))
      .sort()
      .join(" & ");
  for (const key of new Set([...a.other.keys(), ...b.other.keys()])) {
    const [x, y] = [values(before, a.other.get(key)), values(after, b.other.get(key))];
    if (x === y) continue;
    report(
      request ? "schema-keyword-changed" : "response-schema-keyword-changed",
      path,
      `${key} changed from ${x || "(absent)"} to ${y || "(absent)"}: not modelled by the checker, so reported`,
    );
  }
}
