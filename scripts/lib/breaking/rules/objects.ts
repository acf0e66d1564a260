// Objects and their properties: properties, required, additionalProperties, patternProperties,
// propertyNames, dependentRequired, dependentSchemas, unevaluatedProperties.
// - Removing a request property is breaking: typed clients that set it no longer compile (excess
//   property check), and a server that rejects unknown properties refuses it.
// - A readOnly property is not part of a request, a writeOnly one not part of a response: becoming
//   one is a removal there.
import { isObject, type OpenApiDoc } from "@cx-openapi/spec";
import type { SchemaPair } from "../context.js";
import { type Flat, flatten } from "../flat.js";
import { defineRules } from "../rule.js";

export const objectRules = defineRules({
  "request-required-added": {
    severity: "breaking",
    github: 5,
    summary: "A request field became required, or a required field was added.",
  },
  "response-property-removed": {
    severity: "breaking",
    github: 6,
    summary: "A response field was removed (or became writeOnly).",
  },
  "response-required-removed": { severity: "breaking", github: 8, summary: "A response field is no longer required." },
  "additional-properties-closed": {
    severity: "breaking",
    summary:
      "A request object no longer accepts additional properties (additionalProperties or unevaluatedProperties false).",
  },
  "request-property-removed": { severity: "breaking", summary: "A request field was removed (or became readOnly)." },
  "request-property-added": { severity: "info", summary: "An optional request field was added." },
  "response-property-added": { severity: "info", summary: "A response field was added." },
});

type Id = keyof typeof objectRules;
type Properties = Map<string, unknown>;

/** The properties a direction sees: not the readOnly ones in a request, nor the writeOnly ones in a response. */
function visible({ request }: SchemaPair<Id>, doc: OpenApiDoc, flat: Flat): Properties {
  const hidden = (schema: unknown) => {
    const property = flatten(doc, schema);
    return request ? !!property.readOnly : !!property.writeOnly;
  };
  return new Map([...flat.properties].filter(([, schema]) => !hidden(schema)));
}

export function compareProperties(pair: SchemaPair<Id>): void {
  const before = visible(pair, pair.before, pair.a);
  const after = visible(pair, pair.after, pair.b);
  compareEach(pair, before, after);
  compareRequired(pair, before, after);
  compareAdditionalProperties(pair);
}

/** Each property removed, compared, or added. */
function compareEach({ b, request, report, compare, path }: SchemaPair<Id>, before: Properties, after: Properties) {
  const child = (name: string) => `${path}.${name}`;
  for (const [name, schema] of before) {
    const next = after.get(name);
    if (next !== undefined) {
      compare(schema, next, child(name));
      continue;
    }
    const why = b.properties.has(name) ? (request ? "became readOnly" : "became writeOnly") : "was removed";
    report(request ? "request-property-removed" : "response-property-removed", child(name), `property ${why}`);
  }
  for (const name of after.keys()) {
    if (before.has(name)) continue;
    if (request && b.required.has(name)) report("request-required-added", child(name), "a new required property");
    else report(request ? "request-property-added" : "response-property-added", child(name), "property added");
  }
}

function compareRequired({ a, b, request, report, path }: SchemaPair<Id>, before: Properties, after: Properties) {
  const onBothSides = (name: string) => before.has(name) && after.has(name);
  if (request) {
    for (const name of b.required) {
      // Required but declared on neither side here (a dependentSchemas or then branch, say).
      const undeclared = !before.has(name) && !after.has(name);
      if (!a.required.has(name) && (onBothSides(name) || undeclared))
        report("request-required-added", `${path}.${name}`, "property became required");
    }
  } else {
    for (const name of a.required) {
      if (!b.required.has(name) && onBothSides(name))
        report("response-required-removed", `${path}.${name}`, "property is no longer required");
    }
  }
}

function compareAdditionalProperties({ a, b, request, report, compare, path }: SchemaPair<Id>): void {
  if (request && a.additionalProperties !== false && b.additionalProperties === false) {
    report(
      "additional-properties-closed",
      path,
      "additional properties are no longer accepted (additionalProperties: false)",
    );
  }
  if (isObject(a.additionalProperties) && isObject(b.additionalProperties))
    compare(a.additionalProperties, b.additionalProperties, `${path}.*`);
}

/** patternProperties, propertyNames, dependentRequired, dependentSchemas, unevaluatedProperties. */
export function compareObjectKeywords(pair: SchemaPair<Id>): void {
  const { a, b, compare, path } = pair;
  // A pattern on one side only: names matching it fall under additionalProperties on the other.
  for (const pattern of new Set([...a.patternProperties.keys(), ...b.patternProperties.keys()])) {
    compare(
      a.patternProperties.get(pattern) ?? a.additionalProperties ?? {},
      b.patternProperties.get(pattern) ?? b.additionalProperties ?? {},
      `${path}[/${pattern}/]`,
    );
  }
  if (a.propertyNames !== undefined || b.propertyNames !== undefined)
    compare(a.propertyNames ?? {}, b.propertyNames ?? {}, `${path}{propertyNames}`);
  compareDependentRequired(pair);
  for (const key of new Set([...a.dependentSchemas.keys(), ...b.dependentSchemas.keys()]))
    compare(a.dependentSchemas.get(key) ?? {}, b.dependentSchemas.get(key) ?? {}, `${path}{when ${key}}`);
  compareUnevaluatedProperties(pair);
}

function compareDependentRequired({ a, b, request, report, path }: SchemaPair<Id>): void {
  const [from, to] = request ? [a, b] : [b, a];
  for (const [key, names] of to.dependentRequired) {
    const more = [...names].filter((name) => !from.dependentRequired.get(key)?.has(name));
    if (!more.length) continue;
    if (request)
      report(
        "request-required-added",
        `${path}.${key}`,
        `when ${key} is sent, ${more.join(", ")} must be sent too (dependentRequired)`,
      );
    else
      report(
        "response-required-removed",
        `${path}.${key}`,
        `${more.join(", ")} no longer always come with ${key} (dependentRequired)`,
      );
  }
}

function compareUnevaluatedProperties({ a, b, request, report, compare, path }: SchemaPair<Id>): void {
  if (request && a.unevaluatedProperties !== false && b.unevaluatedProperties === false) {
    report(
      "additional-properties-closed",
      path,
      "unevaluated properties are no longer accepted (unevaluatedProperties: false)",
    );
  } else if (isObject(a.unevaluatedProperties) || isObject(b.unevaluatedProperties)) {
    compare(a.unevaluatedProperties ?? {}, b.unevaluatedProperties ?? {}, `${path}.*`);
  }
}
