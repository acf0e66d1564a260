// What every widening rule is given: the document, one deviation (all evidence added up), its
// operation's place, and its response's body schema (undefined when the response declares none).
import type { OpenApiDoc } from "@cx-openapi/spec";
import type { DeviationRecord } from "@cx-openapi/spec/drift";
import { locatePointer, type Located } from "../locate.js";
import type { RuleOutcome } from "../intent.js";
import type { OperationPlace } from "../response.js";

export interface RuleInput {
  doc: OpenApiDoc;
  record: DeviationRecord;
  place: OperationPlace;
  body: Located | undefined;
}

export type WideningRule = (input: RuleInput) => RuleOutcome;

/** The schema the record's pointer reaches, or a review item saying the spec declares no such place. */
export function pointedAt(input: RuleInput, pointer = input.record.pointer): Located | RuleOutcome {
  const at = input.body && locatePointer(input.doc, input.body, pointer);
  return at ?? { review: `the spec declares no schema at ${pointer || "the body"} of this response` };
}

export function isLocated(value: Located | RuleOutcome): value is Located {
  return "path" in value;
}

/** How a place reads in a message: `Customer.first_name`, `GET /a/{id} 200 body.items[]`. */
export function placeName(at: Located): string {
  const [first, second, third, ...rest] = at.path;
  if (first === "components" && second === "schemas") return `${third}${schemaSteps(rest)}`;
  if (first === "paths") {
    const [, status, , , , ...inBody] = rest;
    return `${String(third).toUpperCase()} ${second} ${status} body${schemaSteps(inBody)}`;
  }
  return at.path.join("/");
}

/** Schema keywords as a field path: `properties/a/items` reads `.a[]`. */
function schemaSteps(path: (string | number)[]): string {
  let text = "";
  for (let i = 0; i < path.length; i++) {
    const key = path[i];
    if (key === "properties") text += `.${path[++i]}`;
    else if (key === "items") text += "[]";
    else if (key === "additionalProperties") text += ".{key}";
    else text += `/${key}`;
  }
  return text;
}
