// Security: every way to authenticate an operation that worked must still work (a requirement asking
// for no scheme or scope more accepts it), and the security schemes keep their type, location,
// header name, scheme and flow URLs.
import { deref, isObject, type OpenApiDoc } from "@cx-openapi/spec";
import type { OperationPair, Report } from "../context.js";
import { defineRules } from "../rule.js";

export const securityRules = defineRules({
  "security-alternative-removed": {
    severity: "breaking",
    summary: "A way to authenticate an operation is no longer accepted (or authentication became necessary).",
  },
  "security-scheme-changed": {
    severity: "breaking",
    summary: "A security scheme was removed or changed (type, location, header name, scheme, flow URL).",
  },
});

type Id = keyof typeof securityRules;
type Obj = Record<string, unknown>;
type Requirement = Map<string, Set<string>>;

/** The operation's security requirements (else the document's); none is one that asks for nothing. */
function effectiveSecurity(doc: OpenApiDoc, op: Obj): Requirement[] {
  const list = (Array.isArray(op.security) ? op.security : Array.isArray(doc.security) ? doc.security : []) as Obj[];
  if (list.length === 0) return [new Map()];
  return list.map(
    (requirement) =>
      new Map(
        Object.entries(requirement).map(([scheme, scopes]) => [
          scheme,
          new Set(Array.isArray(scopes) ? (scopes as string[]) : []),
        ]),
      ),
  );
}

const showRequirement = (requirement: Requirement) =>
  requirement.size === 0
    ? "no authentication"
    : [...requirement]
        .map(([scheme, scopes]) => (scopes.size ? `${scheme} (${[...scopes].join(", ")})` : scheme))
        .join(" + ");

/** An `after` requirement accepts what a `before` one did if it asks for no scheme or scope more. */
const accepts = (after: Requirement, before: Requirement) =>
  [...after].every(([scheme, scopes]) => before.has(scheme) && [...scopes].every((s) => before.get(scheme)!.has(s)));

/** Every way to authenticate that worked must still work. */
export function compareSecurity({ before, after, old, next, report, at }: OperationPair<Id>): void {
  const newSecurity = effectiveSecurity(after, next.op);
  const now = newSecurity.map(showRequirement).join(" or ");
  for (const requirement of effectiveSecurity(before, old.op)) {
    if (newSecurity.some((candidate) => accepts(candidate, requirement))) continue;
    const what = requirement.size === 0 ? "calls without authentication are" : `${showRequirement(requirement)} is`;
    report("security-alternative-removed", at("security"), `${what} no longer accepted (now: ${now})`);
  }
}

/** What of a scheme clients rely on: header names and HTTP schemes compare case-insensitively. */
const schemeFacts = (scheme: Obj) => ({
  type: scheme.type,
  in: scheme.in,
  name: scheme.in === "header" && typeof scheme.name === "string" ? scheme.name.toLowerCase() : scheme.name,
  scheme: typeof scheme.scheme === "string" ? scheme.scheme.toLowerCase() : scheme.scheme,
  openIdConnectUrl: scheme.openIdConnectUrl,
  flows: Object.fromEntries(
    Object.entries(isObject(scheme.flows) ? scheme.flows : {}).map(([flow, value]) => [
      flow,
      isObject(value) ? { tokenUrl: value.tokenUrl, authorizationUrl: value.authorizationUrl } : value,
    ]),
  ),
});

export function compareSecuritySchemes(before: OpenApiDoc, after: OpenApiDoc, report: Report<Id>): void {
  const schemes = (doc: OpenApiDoc) => ((doc.components as Obj | undefined)?.securitySchemes as Obj | undefined) ?? {};
  const newSchemes = schemes(after);
  for (const [name, rawScheme] of Object.entries(schemes(before))) {
    const old = deref<Obj | undefined>(before, rawScheme) ?? {};
    const next = deref<Obj | undefined>(after, newSchemes[name]);
    if (!next) {
      report("security-scheme-changed", {}, `security scheme ${name} was removed`);
      continue;
    }
    const [a, b] = [schemeFacts(old), schemeFacts(next)];
    for (const key of Object.keys(a) as (keyof typeof a)[]) {
      if (JSON.stringify(a[key]) === JSON.stringify(b[key])) continue;
      const change = `${key} changed from ${JSON.stringify(a[key])} to ${JSON.stringify(b[key])}`;
      report("security-scheme-changed", {}, `security scheme ${name}: ${change}`);
    }
  }
}
