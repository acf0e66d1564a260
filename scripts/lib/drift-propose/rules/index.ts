// The widening rules, one file per family, by the drift rule (a JSON Schema keyword or
// `undeclared-status`) they answer. A rule not listed here gets a review item, never an action.
import { bodyRule } from "./body.js";
import { boundRule, isBoundRule } from "./bound.js";
import { enumRule } from "./enum.js";
import type { WideningRule } from "./input.js";
import { requiredRule } from "./required.js";
import { shapeRule } from "./shape.js";
import { statusRule } from "./status.js";
import { typeRule } from "./type.js";

const byRule: Readonly<Record<string, WideningRule>> = {
  enum: enumRule,
  type: typeRule,
  format: shapeRule,
  pattern: shapeRule,
  required: requiredRule,
  "undeclared-status": statusRule,
  "unexpected-body": bodyRule,
};

/** The rule that widens the spec for a deviation of `rule`, if there is one. */
export function wideningRule(rule: string): WideningRule | undefined {
  return byRule[rule] ?? (isBoundRule(rule) ? boundRule : undefined);
}

export type { RuleInput, WideningRule } from "./input.js";
