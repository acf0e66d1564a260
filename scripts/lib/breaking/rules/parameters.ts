// Parameters: path, query, header and cookie parameters, matched by `in` and name (header names
// case-insensitively); path parameters by position, so a rename is seen as one (GitHub rule 2).
// - Removing a parameter is breaking: typed clients that set it no longer compile.
// - A parameter's default added, removed or changed is breaking: a client that leaves the parameter
//   out now gets other behaviour (as oasdiff).
import { deref, type OpenApiDoc } from "@cx-openapi/spec";
import type { OperationPair, OperationSide } from "../context.js";
import { flatten } from "../flat.js";
import { defineRules } from "../rule.js";

export const parameterRules = defineRules({
  "path-parameter-renamed": { severity: "breaking", github: 2, summary: "A path parameter was renamed." },
  "parameter-removed": { severity: "breaking", summary: "A parameter was removed." },
  "parameter-required-added": { severity: "breaking", summary: "A required parameter was added." },
  "parameter-became-required": { severity: "breaking", summary: "An optional parameter became required." },
  "parameter-serialization-changed": { severity: "breaking", summary: "A parameter's style or explode changed." },
  "parameter-default-changed": {
    severity: "breaking",
    summary: "A parameter's default was added, removed or changed: leaving it out now means something else.",
  },
  "parameter-added": { severity: "info", summary: "An optional parameter was added." },
});

type Id = keyof typeof parameterRules;

interface Parameter {
  name: string;
  in: string;
  required?: boolean;
  schema?: unknown;
  content?: Record<string, { schema?: unknown }>;
  style?: string;
  explode?: boolean;
}

const pathParameterNames = (path: string) => [...path.matchAll(/\{([^}]+)\}/g)].map((m) => m[1] as string);

/** Path-item parameters overridden by the operation's own, keyed by `in` and name. */
function parameters(doc: OpenApiDoc, operation: OperationSide): Map<string, Parameter> {
  const out = new Map<string, Parameter>();
  for (const list of [operation.item.parameters, operation.op.parameters]) {
    if (!Array.isArray(list)) continue;
    for (const raw of list) {
      const param = deref<Parameter | undefined>(doc, raw);
      if (param?.name && param.in)
        out.set(`${param.in}:${param.in === "header" ? param.name.toLowerCase() : param.name}`, param);
    }
  }
  return out;
}

const parameterSchema = (param: Parameter): unknown =>
  param.schema ?? Object.values(param.content ?? {})[0]?.schema ?? {};
const style = (param: Parameter) => param.style ?? (param.in === "query" || param.in === "cookie" ? "form" : "simple");
const explode = (param: Parameter) => param.explode ?? style(param) === "form";
const where = (param: Parameter) => `${param.in} parameter ${param.name}`;

/** Path parameters are matched by position, so a rename is seen as one: old key -> new key. */
function renamedPathParameters({ old, next, report, at }: OperationPair<Id>): Map<string, string> {
  const newPathNames = pathParameterNames(next.path);
  const renamed = new Map<string, string>();
  pathParameterNames(old.path).forEach((name, i) => {
    const now = newPathNames[i];
    if (now !== undefined && now !== name) {
      renamed.set(`path:${name}`, `path:${now}`);
      report("path-parameter-renamed", at(), `path parameter {${name}} was renamed to {${now}}`);
    }
  });
  return renamed;
}

export function compareParameters(pair: OperationPair<Id>): void {
  const { before, after, old, next, report, at } = pair;
  const renamed = renamedPathParameters(pair);
  const oldParams = parameters(before, old);
  const newParams = parameters(after, next);
  for (const [key, param] of oldParams) {
    const match = newParams.get(renamed.get(key) ?? key);
    if (match) compareParameter(pair, param, match);
    else if (param.in !== "path") report("parameter-removed", at(where(param)), "parameter was removed");
  }
  const matched = new Set([...oldParams.keys()].map((key) => renamed.get(key) ?? key));
  for (const [key, param] of newParams) {
    if (matched.has(key) || param.in === "path") continue;
    if (param.required === true) report("parameter-required-added", at(where(param)), "a new required parameter");
    else report("parameter-added", at(where(param)), "a new optional parameter");
  }
}

/** One parameter on both sides: required, default, serialization, then its schema. */
function compareParameter(
  { before, after, schemas, report, at }: OperationPair<Id>,
  param: Parameter,
  match: Parameter,
) {
  const location = at(where(param));
  if (match.required === true && param.required !== true)
    report("parameter-became-required", location, "parameter became required");
  const [d1, d2] = [flatten(before, parameterSchema(param)), flatten(after, parameterSchema(match))];
  if (d1.hasDefault !== d2.hasDefault || (d1.hasDefault && JSON.stringify(d1.default) !== JSON.stringify(d2.default))) {
    const show = (flat: typeof d1) => (flat.hasDefault ? JSON.stringify(flat.default) : "(none)");
    report("parameter-default-changed", location, `default changed from ${show(d1)} to ${show(d2)}`);
  }
  if (style(param) !== style(match) || explode(param) !== explode(match)) {
    report(
      "parameter-serialization-changed",
      location,
      `serialization changed from style ${style(param)}, explode ${explode(param)} to style ${style(match)}, explode ${explode(match)}`,
    );
  }
  schemas.compare(parameterSchema(param), parameterSchema(match), "request", location);
}
