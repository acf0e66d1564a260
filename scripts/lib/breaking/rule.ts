// What a rule is: an id, a level and a one-line summary. The rules are declared in rules/, one file
// per family with the checks that report them; rules.ts assembles the catalogue.

/** "breaking" fails `pnpm spec:diff`; "warning" fails it with --strict; "info" is listed with --verbose. */
export type Severity = "breaking" | "warning" | "info";

export interface Rule {
  severity: Severity;
  summary: string;
  /** The number of the rule in GitHub's list, when it is one of theirs. */
  github?: number;
}

/** A family's rules, keyed by id: their ids and levels stay literal types. */
export const defineRules = <const T extends Record<string, Rule>>(rules: T): T => rules;

/** One change found, reported under rule `Id`. */
export interface RuleChange<Id extends string = string> {
  rule: Id;
  severity: Severity;
  /** `GET /customers/{customerId}`, or absent for document-level changes. */
  operation?: string;
  /** Where in the operation: `request body application/json`, `query parameter limit`, `response 200 application/json`. */
  where?: string;
  /** The property path inside that body or parameter, e.g. `.customer.notification_channels[].consent_type`. */
  path?: string;
  message: string;
}
