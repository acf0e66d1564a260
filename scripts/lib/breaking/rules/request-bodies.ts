// Request bodies: required or not, their media types (matched as media-types.ts says: parameters and
// case ignored, the JSON family, wildcards), and each one's schema compared as a request.
import { deref } from "@cx-openapi/spec";
import type { OperationPair } from "../context.js";
import { matchContent } from "../media-types.js";
import { defineRules } from "../rule.js";

export const requestBodyRules = defineRules({
  "request-body-became-required": {
    severity: "breaking",
    github: 4,
    summary: "A request body became required, or a required one was added.",
  },
  "request-body-removed": { severity: "breaking", summary: "A request body was removed." },
  "request-media-type-removed": { severity: "breaking", summary: "A request content type is no longer accepted." },
});

type Id = keyof typeof requestBodyRules;
type Obj = Record<string, unknown>;

export function compareRequestBody({ before, after, schemas, old, next, report, at }: OperationPair<Id>): void {
  const oldBody = deref<Obj | undefined>(before, old.op.requestBody);
  const newBody = deref<Obj | undefined>(after, next.op.requestBody);
  if (!oldBody && newBody?.required === true)
    report("request-body-became-required", at("request body"), "a required request body was added");
  else if (oldBody && !newBody) report("request-body-removed", at("request body"), "the request body was removed");
  if (!oldBody || !newBody) return;
  if (newBody.required === true && oldBody.required !== true)
    report("request-body-became-required", at("request body"), "the request body became required");
  for (const [type, media, match] of matchContent(oldBody.content, newBody.content)) {
    const where = at(`request body ${type}`);
    if (!match) report("request-media-type-removed", where, `content type ${type} is no longer accepted`);
    else schemas.compare(media.schema ?? {}, match.schema ?? {}, "request", where);
  }
}
