// The catalogue of changes the spec diff reports. "breaking" fails `pnpm spec:diff`; "warning" fails
// it only with --strict; "info" is listed with --verbose.
//
// The first ten follow GitHub's published breaking-change rules for its REST description
// (github/rest-api-description, `.github/scripts/openapi_breaking_changes.py`; numbers in `github`).
// The others are the high-signal checks of oasdiff that GitHub's script names as its blind spots
// (constraints, formats, parameters, security, statuses, unions).
//
// Direction matters: a request is what clients send (they break when it accepts less), a response is
// what they receive (they break when it can contain more, or less of what they rely on).
//
// Decisions:
// - A value added to a response enum is a warning, not breaking: clients that switch exhaustively
//   over the generated union need a default branch, but lenient clients keep working (as oasdiff).
// - A value removed from an enum is breaking in both directions (GitHub rule 10): in a response it also
//   breaks TypeScript code comparing with the removed literal.
// - Removing a request property is breaking: typed clients that set it no longer compile (excess
//   property check), and a server that rejects unknown properties refuses it.
// - Looser constraints in a response (maxLength raised, pattern removed, ...) are warnings: clients that
//   validate or size storage on them may break.
// - Fail closed: a change to a schema keyword the checker does not model (`$dynamicRef`, `xml`,
//   `$id`, ...) is `schema-keyword-changed`, breaking in a request and a warning in a response
//   (schema.ts lists the modelled keywords). Annotations (title, description, examples...) are ignored.
// - A parameter default added, removed or changed is breaking: a client that leaves the parameter
//   out now gets other behaviour (as oasdiff). A body field's default is a warning.
// - Removing an operation: breaking, unless it was deprecated. Deprecated with `x-sunset` (an ISO
//   date) passed: info; deprecated without `x-sunset`: a warning; deprecated with a future
//   `x-sunset`: breaking (`operation-removed-before-sunset`).
// - `x-extensible-enum` (Zalando's open enum): a value removed is breaking, one added is info.
// - Webhooks are compared as operations are (as oasdiff does), labelled `WEBHOOK <name> <METHOD>`.
// - Media types match when equal, then ignoring parameters and case, then as one JSON family
//   (`application/json` and any `+json` type), then by a wildcard (`*/*`, `application/*`).
// - Blind spots: links, callbacks, examples (annotations by design).

export type Severity = "breaking" | "warning" | "info";

export interface Rule {
  severity: Severity;
  summary: string;
  /** The number of the rule in GitHub's list, when it is one of theirs. */
  github?: number;
}

export const rules = {
  "operation-id-changed": {
    severity: "breaking",
    github: 1,
    summary: "An operationId changed (the key of the generated `operations` type).",
  },
  "path-parameter-renamed": { severity: "breaking", github: 2, summary: "A path parameter was renamed." },
  "operation-removed": {
    severity: "breaking",
    github: 3,
    summary: "An operation was removed (it was not deprecated).",
  },
  "operation-removed-before-sunset": {
    severity: "breaking",
    summary: "A deprecated operation was removed before the date in its `x-sunset`.",
  },
  "request-body-became-required": {
    severity: "breaking",
    github: 4,
    summary: "A request body became required, or a required one was added.",
  },
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
  "type-changed": {
    severity: "breaking",
    github: 7,
    summary: "A type changed incompatibly: narrowed in a request, widened (null added, say) in a response.",
  },
  "response-required-removed": { severity: "breaking", github: 8, summary: "A response field is no longer required." },
  "schema-removed": { severity: "breaking", github: 9, summary: "A component schema (a generated type) was removed." },
  "enum-value-removed": { severity: "breaking", github: 10, summary: "An enum value was removed." },
  "enum-added": { severity: "breaking", summary: "A request field or parameter was restricted to an enum (or const)." },
  "parameter-removed": { severity: "breaking", summary: "A parameter was removed." },
  "parameter-required-added": { severity: "breaking", summary: "A required parameter was added." },
  "parameter-became-required": { severity: "breaking", summary: "An optional parameter became required." },
  "parameter-serialization-changed": { severity: "breaking", summary: "A parameter's style or explode changed." },
  "parameter-default-changed": {
    severity: "breaking",
    summary: "A parameter's default was added, removed or changed: leaving it out now means something else.",
  },
  "constraint-tightened": {
    severity: "breaking",
    summary:
      "A request constraint tightened: a max lowered or added, a min raised or added, multipleOf, uniqueItems, contains, not, unevaluatedItems or a condition (if/then/else, dependentSchemas) added.",
  },
  "pattern-changed": { severity: "breaking", summary: "A request pattern was added or changed." },
  "format-changed": {
    severity: "breaking",
    summary: "A request format, contentMediaType or contentEncoding was added or changed.",
  },
  "additional-properties-closed": {
    severity: "breaking",
    summary:
      "A request object no longer accepts additional properties (additionalProperties or unevaluatedProperties false).",
  },
  "discriminator-changed": {
    severity: "breaking",
    summary: "A discriminator's propertyName changed, or a mapping value was removed or changed.",
  },
  "schema-keyword-changed": {
    severity: "breaking",
    summary: "A request schema keyword the checker does not model changed (fail closed: it may break).",
  },
  "request-property-removed": { severity: "breaking", summary: "A request field was removed (or became readOnly)." },
  "request-body-removed": { severity: "breaking", summary: "A request body was removed." },
  "request-media-type-removed": { severity: "breaking", summary: "A request content type is no longer accepted." },
  "request-union-variant-removed": { severity: "breaking", summary: "A oneOf/anyOf variant of a request was removed." },
  "response-status-removed": { severity: "breaking", summary: "A response status was removed." },
  "response-media-type-removed": { severity: "breaking", summary: "A response content type was removed." },
  "response-header-removed": { severity: "breaking", summary: "A response header was removed." },
  "response-header-became-optional": { severity: "breaking", summary: "A required response header became optional." },
  "response-union-variant-added": { severity: "breaking", summary: "A response can now be a new oneOf/anyOf variant." },
  "security-alternative-removed": {
    severity: "breaking",
    summary: "A way to authenticate an operation is no longer accepted (or authentication became necessary).",
  },
  "security-scheme-changed": {
    severity: "breaking",
    summary: "A security scheme was removed or changed (type, location, header name, scheme, flow URL).",
  },
  "server-environment-removed": {
    severity: "breaking",
    summary: "A server tagged `x-environment` (a value of the clients' `environment` option) was removed.",
  },
  "export-removed": {
    severity: "breaking",
    summary: "A name the package exports (a generated type or a public export) is gone.",
  },
  "export-kind-changed": { severity: "breaking", summary: "A value export became type-only." },

  "response-enum-value-added": {
    severity: "warning",
    summary: "A response enum gained a value (or lost its enum): strict clients with exhaustive switches may break.",
  },
  "response-constraint-loosened": {
    severity: "warning",
    summary: "A response constraint loosened (max raised or removed, min lowered, pattern or format changed).",
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
  "request-union-variants-overlap": {
    severity: "warning",
    summary: "A value sent to a request oneOf may now match two variants (a heuristic: oneOf then rejects it).",
  },
  "deprecated-operation-removed": {
    severity: "warning",
    summary: "A deprecated operation without `x-sunset` was removed.",
  },
  "server-removed": { severity: "warning", summary: "A server URL was removed or changed." },

  "operation-added": { severity: "info", summary: "An operation was added." },
  "operation-deprecated": { severity: "info", summary: "An operation was deprecated." },
  "sunset-operation-removed": {
    severity: "info",
    summary: "A deprecated operation was removed after the date in its `x-sunset`.",
  },
  "parameter-added": { severity: "info", summary: "An optional parameter was added." },
  "request-property-added": { severity: "info", summary: "An optional request field was added." },
  "response-property-added": { severity: "info", summary: "A response field was added." },
  "response-status-added": { severity: "info", summary: "A response status was added." },
  "enum-value-added": { severity: "info", summary: "A request enum gained a value." },
  "schema-added": { severity: "info", summary: "A component schema was added." },
  "export-added": { severity: "info", summary: "A name was added to the package's exports." },
} as const satisfies Record<string, Rule>;

export type RuleId = keyof typeof rules;

export interface Change {
  rule: RuleId;
  severity: Severity;
  /** `GET /customers/{customerId}`, or absent for document-level changes. */
  operation?: string;
  /** Where in the operation: `request body application/json`, `query parameter limit`, `response 200 application/json`. */
  where?: string;
  /** The property path inside that body or parameter, e.g. `.customer.notification_channels[].consent_type`. */
  path?: string;
  message: string;
}

export function formatChange(change: Change): string {
  const mark = change.severity === "breaking" ? "✖" : change.severity === "warning" ? "⚠" : "·";
  const place = [change.operation, [change.where, change.path ? `\`${change.path}\`` : ""].filter(Boolean).join(" ")]
    .filter(Boolean)
    .join(" → ");
  return `${mark} ${change.rule}: ${place ? `${place}: ` : ""}${change.message}`;
}
