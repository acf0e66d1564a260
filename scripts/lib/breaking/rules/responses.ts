// Responses: their statuses, media types (matched as media-types.ts says) and headers (by name,
// case-insensitively, as HTTP does), each schema compared as a response. Any documented status
// removed is breaking, and so is removing a header, optional or not.
import { deref, isObject } from "@cx-openapi/spec";
import type { OperationPair } from "../context.js";
import { matchContent } from "../media-types.js";
import { defineRules } from "../rule.js";

export const responseRules = defineRules({
  "response-status-removed": { severity: "breaking", summary: "A response status was removed." },
  "response-media-type-removed": { severity: "breaking", summary: "A response content type was removed." },
  "response-header-removed": { severity: "breaking", summary: "A response header was removed." },
  "response-header-became-optional": { severity: "breaking", summary: "A required response header became optional." },
  "response-status-added": { severity: "info", summary: "A response status was added." },
});

type Id = keyof typeof responseRules;
type Obj = Record<string, unknown>;

export function compareResponses(pair: OperationPair<Id>): void {
  const { before, after, old, next, report, at } = pair;
  const oldResponses = (old.op.responses as Obj | undefined) ?? {};
  const newResponses = (next.op.responses as Obj | undefined) ?? {};
  for (const [status, rawResponse] of Object.entries(oldResponses)) {
    if (!(status in newResponses)) {
      report("response-status-removed", at(`response ${status}`), `status ${status} is no longer documented`);
      continue;
    }
    const oldResponse = deref<Obj | undefined>(before, rawResponse) ?? {};
    const newResponse = deref<Obj | undefined>(after, newResponses[status]) ?? {};
    compareResponseContent(pair, status, oldResponse, newResponse);
    compareResponseHeaders(pair, status, oldResponse, newResponse);
  }
  for (const status of Object.keys(newResponses)) {
    if (!(status in oldResponses)) report("response-status-added", at(`response ${status}`), `status ${status} added`);
  }
}

function compareResponseContent({ schemas, report, at }: OperationPair<Id>, status: string, old: Obj, next: Obj) {
  for (const [type, media, match] of matchContent(old.content, next.content)) {
    const where = at(`response ${status} ${type}`);
    if (!match) report("response-media-type-removed", where, `content type ${type} was removed`);
    else schemas.compare(media.schema ?? {}, match.schema ?? {}, "response", where);
  }
}

/** Header names compare case-insensitively, as HTTP does. */
const headersByName = (headers: unknown) =>
  new Map(Object.entries(isObject(headers) ? headers : {}).map(([name, header]) => [name.toLowerCase(), header]));

function compareResponseHeaders(pair: OperationPair<Id>, status: string, oldResponse: Obj, newResponse: Obj): void {
  const { before, after, schemas, report, at } = pair;
  const newHeaders = headersByName(newResponse.headers);
  for (const [name, rawHeader] of headersByName(oldResponse.headers)) {
    const where = at(`response ${status} header ${name}`);
    if (!newHeaders.has(name)) {
      report("response-header-removed", where, "header was removed");
      continue;
    }
    const oldHeader = deref<Obj | undefined>(before, rawHeader) ?? {};
    const newHeader = deref<Obj | undefined>(after, newHeaders.get(name)) ?? {};
    if (oldHeader.required === true && newHeader.required !== true)
      report("response-header-became-optional", where, "header is no longer required (may be absent)");
    schemas.compare(oldHeader.schema ?? {}, newHeader.schema ?? {}, "response", where);
  }
}
