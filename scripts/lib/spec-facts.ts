// Facts `pnpm gen` reads off a bundled spec for the runtime: its enums and its personal fields.
import { isObject, type OpenApiDoc } from "@cx-openapi/spec";

export { collectPii, type PiiFact } from "@cx-openapi/spec";

export interface EnumFact {
  /** The exported constant's name, e.g. `consentTypeValues`. */
  name: string;
  /** Where the enum stands in the bundle, as a JSON pointer. */
  pointer: string;
  values: unknown[];
}

/** Every `enum` of the component schemas, named after its schema (and property, when inline). */
export function collectEnums(doc: OpenApiDoc): EnumFact[] {
  const facts: EnumFact[] = [];
  const visit = (schema: unknown, name: string, pointer: string) => {
    if (!isObject(schema)) return;
    if (Array.isArray(schema.enum))
      facts.push({ name: `${lowerFirst(name)}Values`, pointer: `${pointer}/enum`, values: schema.enum });
    for (const [key, child] of Object.entries(isObject(schema.properties) ? schema.properties : {})) {
      visit(child, `${name}${upperFirst(camel(key))}`, `${pointer}/properties/${key}`);
    }
    if (isObject(schema.items)) visit(schema.items, `${name}Item`, `${pointer}/items`);
    for (const keyword of ["allOf", "anyOf", "oneOf"]) {
      const members = schema[keyword];
      if (Array.isArray(members)) members.forEach((member, i) => visit(member, name, `${pointer}/${keyword}/${i}`));
    }
  };
  for (const [name, schema] of Object.entries(doc.components?.schemas ?? {}))
    visit(schema, name, `#/components/schemas/${name}`);
  return facts;
}

const lowerFirst = (text: string) => text.charAt(0).toLowerCase() + text.slice(1);
const upperFirst = (text: string) => text.charAt(0).toUpperCase() + text.slice(1);
const camel = (text: string) => text.replace(/[_-](\w)/g, (_, c: string) => c.toUpperCase());
