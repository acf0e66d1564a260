// Arrays: items, prefixItems, contains, unevaluatedItems. No rule of their own: items are compared as
// schemas, and a contains or `unevaluatedItems: false` added to a request is a tightened constraint
// (constraints.ts), a contains removed from a response a loosened one.
import { isObject } from "@cx-openapi/spec";
import type { SchemaPair } from "../context.js";
import { show } from "../values.js";

type Id = "constraint-tightened" | "response-constraint-loosened";

export function compareArrays(pair: SchemaPair<Id>): void {
  const { a, b, compare, path } = pair;
  if (a.items !== undefined || b.items !== undefined) compare(a.items ?? {}, b.items ?? {}, `${path}[]`);
  const length = Math.max(a.prefixItems?.length ?? 0, b.prefixItems?.length ?? 0);
  // Past the prefix, `items` applies.
  for (let i = 0; i < length; i++)
    compare(a.prefixItems?.[i] ?? a.items ?? {}, b.prefixItems?.[i] ?? b.items ?? {}, `${path}[${i}]`);
  compareContains(pair);
  compareUnevaluatedItems(pair);
}

function compareContains({ a, b, request, report, compare, path }: SchemaPair<Id>): void {
  if (a.contains !== undefined && b.contains !== undefined) compare(a.contains, b.contains, `${path}[contains]`);
  else if (request && b.contains !== undefined)
    report("constraint-tightened", path, `contains ${show(b.contains)} added`);
  else if (!request && a.contains !== undefined)
    report("response-constraint-loosened", path, `contains ${show(a.contains)} removed`);
}

function compareUnevaluatedItems({ a, b, request, report, compare, path }: SchemaPair<Id>): void {
  if (request && a.unevaluatedItems !== false && b.unevaluatedItems === false)
    report("constraint-tightened", path, "unevaluated items are no longer accepted (unevaluatedItems: false)");
  else if (isObject(a.unevaluatedItems) || isObject(b.unevaluatedItems))
    compare(a.unevaluatedItems ?? {}, b.unevaluatedItems ?? {}, `${path}[unevaluated]`);
}
