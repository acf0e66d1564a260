// The personal data a spec marks: property and path-parameter names tagged `x-pii`. `pnpm gen`
// writes them for the clients' redaction; the sandbox masks them in its request journal.
import { isObject, listOperations, schemaParts, type OpenApiDoc, type Schema } from "./openapi.js";

export interface PiiFact {
  /** JSON property names whose values are personal data, in any body. */
  properties: string[];
  /** Path parameters whose values are personal data. */
  pathParameters: string[];
}

/** The property and path-parameter names tagged `x-pii` (directly, through `$ref`s or on array items). */
export function collectPii(doc: OpenApiDoc): PiiFact {
  const properties = new Set<string>();
  const seen = new Set<unknown>();
  const visit = (schema: Schema | undefined) => {
    for (const part of schemaParts(doc, schema)) {
      if (seen.has(part)) continue;
      seen.add(part);
      for (const [key, child] of Object.entries(isObject(part.properties) ? part.properties : {})) {
        if (isPersonal(doc, child as Schema)) properties.add(key);
        visit(child as Schema);
      }
      for (const keyword of ["items", "additionalProperties"])
        if (isObject(part[keyword])) visit(part[keyword] as Schema);
      for (const keyword of ["anyOf", "oneOf"]) {
        if (Array.isArray(part[keyword])) for (const member of part[keyword] as Schema[]) visit(member);
      }
      if (isObject(part.patternProperties))
        for (const member of Object.values(part.patternProperties)) visit(member as Schema);
    }
  };
  for (const schema of Object.values(doc.components?.schemas ?? {})) visit(schema as Schema);
  const pathParameters = new Set<string>();
  for (const operation of listOperations(doc)) {
    for (const parameter of operation.parameters) {
      if (parameter.in === "path" && (parameter["x-pii"] !== undefined || isPersonal(doc, parameter.schema)))
        pathParameters.add(parameter.name);
    }
  }
  return { properties: [...properties].sort(), pathParameters: [...pathParameters].sort() };
}

/** Whether a schema, what it references, or its array items carry `x-pii`. */
function isPersonal(doc: OpenApiDoc, schema: Schema | undefined): boolean {
  return schemaParts(doc, schema).some(
    (part) => part["x-pii"] !== undefined || (isObject(part.items) && isPersonal(doc, part.items as Schema)),
  );
}
