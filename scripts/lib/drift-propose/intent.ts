// What a deviation asks of the spec, before it is an overlay action: each kind widens one keyword of
// one schema (or one operation's responses) and nothing else. Intents on the same place and keyword
// are merged (two new types make one `type` list, two lengths the longer one) before they become
// actions, so that no action undoes another.
import type { ObservedType } from "@cx-openapi/spec/drift";
import type { Located } from "./locate.js";

export type EnumValue = string | number | boolean | null;

export type Intent =
  /** Add a value to the `enum` of `target` (the part that has it). */
  | { kind: "add-enum"; target: Located; value: EnumValue }
  /** Add a JSON type to the `type` of `target`. */
  | { kind: "add-type"; target: Located; type: ObservedType }
  /** Move a bound (`maxLength`, `minimum`...) of `target` to `value`. */
  | { kind: "move-bound"; target: Located; keyword: string; value: number }
  /** Drop an assertion that is only narrowing (`format`, `pattern`) from `target`. */
  | { kind: "drop-keyword"; target: Located; keyword: string }
  /** Take a property out of the `required` list of `target`. */
  | { kind: "drop-required"; target: Located; name: string }
  /** Declare a status among an operation's responses (`responses` is their path), with the body type seen. */
  | { kind: "add-status"; responses: (string | number)[]; status: number; body: ObservedType | undefined }
  /** Declare a body on a response that declares none (`response` is its path), of the type seen. */
  | { kind: "add-content"; response: (string | number)[]; body: ObservedType | undefined };

/** What a rule makes of one deviation: intents, a question for a reviewer, or nothing to do. */
export type RuleOutcome = { intents: Intent[] } | { review: string } | { allowed: string };

/** The identity intents merge under: the same place, kind and keyword (and value, for an enum). */
export function intentKey(intent: Intent): string {
  switch (intent.kind) {
    case "add-enum":
      return `${intent.kind} ${JSON.stringify(intent.target.path)} ${JSON.stringify(intent.value)}`;
    case "add-type":
      return `${intent.kind} ${JSON.stringify(intent.target.path)}`;
    case "move-bound":
      return `${intent.kind} ${JSON.stringify(intent.target.path)} ${intent.keyword}`;
    case "drop-keyword":
      return `${intent.kind} ${JSON.stringify(intent.target.path)} ${intent.keyword}`;
    case "drop-required":
      return `${intent.kind} ${JSON.stringify(intent.target.path)} ${intent.name}`;
    case "add-status":
      return `${intent.kind} ${JSON.stringify(intent.responses)} ${intent.status}`;
    case "add-content":
      return `${intent.kind} ${JSON.stringify(intent.response)}`;
  }
}
