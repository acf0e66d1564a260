// Component schemas: the named types the clients generate (GitHub rule 9).
import type { OpenApiDoc } from "@cx-openapi/spec";
import type { Report } from "../context.js";
import { defineRules } from "../rule.js";

export const componentRules = defineRules({
  "schema-removed": { severity: "breaking", github: 9, summary: "A component schema (a generated type) was removed." },
  "schema-added": { severity: "info", summary: "A component schema was added." },
});

type Id = keyof typeof componentRules;
type Obj = Record<string, unknown>;

const componentSchemas = (doc: OpenApiDoc) => ((doc.components as Obj | undefined)?.schemas as Obj | undefined) ?? {};

export function compareComponentSchemas(before: OpenApiDoc, after: OpenApiDoc, report: Report<Id>): void {
  const [beforeSchemas, afterSchemas] = [componentSchemas(before), componentSchemas(after)];
  for (const name of Object.keys(beforeSchemas)) {
    if (!(name in afterSchemas))
      report("schema-removed", {}, `components.schemas.${name} was removed (and its generated type \`${name}\`)`);
  }
  for (const name of Object.keys(afterSchemas))
    if (!(name in beforeSchemas)) report("schema-added", {}, `components.schemas.${name} was added`);
}
