// Composition: oneOf/anyOf variants and their discriminator, if/then/else and not. (allOf is merged
// into one schema before any comparison: flat.ts.)
// - Variants are paired by structure first (an inline variant moved behind a `$ref` is the same
//   variant), then by name. A request variant is removed only if no new variant accepts what it
//   accepted; a response variant is added only if no old one covered it.
// - A request oneOf whose variants may now both match a value is a warning (a heuristic: undecidable
//   in general).
// - An `if` that changes is one condition removed and one added; `not X` is compared by comparing X
//   the other way round (a tightened constraint in a request, a loosened one in a response).
import type { OpenApiDoc } from "@cx-openapi/spec";
import type { SchemaPair } from "../context.js";
import { type Flat, flatten, type Variant } from "../flat.js";
import { defineRules } from "../rule.js";
import { covers, same, share, show } from "../values.js";

export const compositionRules = defineRules({
  "discriminator-changed": {
    severity: "breaking",
    summary: "A discriminator's propertyName changed, or a mapping value was removed or changed.",
  },
  "request-union-variant-removed": { severity: "breaking", summary: "A oneOf/anyOf variant of a request was removed." },
  "response-union-variant-added": { severity: "breaking", summary: "A response can now be a new oneOf/anyOf variant." },
  "request-union-variants-overlap": {
    severity: "warning",
    summary: "A value sent to a request oneOf may now match two variants (a heuristic: oneOf then rejects it).",
  },
});

type Id =
  | keyof typeof compositionRules
  | "type-changed"
  | "constraint-tightened"
  | "response-constraint-loosened"
  | "schema-keyword-changed"
  | "response-schema-keyword-changed";

const keys = (variants: Variant[]) => variants.map((v) => v.key).join(", ");

/** oneOf/anyOf on one side only settles the pair: the side without variants must fit one of them. */
export function compareUnionShape(pair: SchemaPair<Id>): boolean {
  if (!!pair.a.variants === !!pair.b.variants) return false;
  if (pair.b.variants) becameUnion(pair, pair.b.variants);
  else leftUnion(pair, pair.a.variants!);
  return true;
}

function becameUnion({ beforeRaw, direction, request, report, breaks, path }: SchemaPair<Id>, variants: Variant[]) {
  if (request) {
    if (!variants.some((v) => !breaks(beforeRaw, v.schema, direction)))
      report("type-changed", path, `now one of ${keys(variants)}, none of which accepts what was accepted before`);
    return;
  }
  for (const variant of variants) {
    if (breaks(beforeRaw, variant.schema, direction)) {
      report(
        "response-union-variant-added",
        path,
        `the response can now be variant ${variant.key}, which does not match what it was before`,
      );
    }
  }
}

function leftUnion({ afterRaw, direction, request, report, breaks, path }: SchemaPair<Id>, variants: Variant[]) {
  if (request) {
    for (const variant of variants) {
      if (breaks(variant.schema, afterRaw, direction))
        report("request-union-variant-removed", path, `variant ${variant.key} is no longer accepted`);
    }
  } else if (!variants.some((v) => !breaks(v.schema, afterRaw, direction))) {
    report("type-changed", path, `no longer one of ${keys(variants)}, and matches none of them`);
  }
}

/** Variants on both sides: paired, then what is left removed (request) or added (response), then overlaps. */
export function compareVariants(pair: SchemaPair<Id>): void {
  const { a, b, request } = pair;
  if (!a.variants || !b.variants) return;
  const { paired, unpaired } = pairVariants(pair, a.variants, b.variants);
  if (request) {
    for (const variant of unpaired) {
      if (!b.variants.some((v) => !pair.breaks(variant.schema, v.schema, pair.direction)))
        pair.report("request-union-variant-removed", pair.path, `variant ${variant.key} was removed`);
    }
  } else {
    b.variants.forEach((variant, j) => {
      if (paired.has(j)) return;
      if (!a.variants!.some((v) => !pair.breaks(v.schema, variant.schema, pair.direction)))
        pair.report("response-union-variant-added", pair.path, `variant ${variant.key} was added`);
    });
  }
  if (request && b.variantKind === "oneOf") compareOverlaps(pair, a.variants, b.variants);
}

/**
 * Pairs each old variant with an equal new one, else with a new one of the same name (compared);
 * returns the new positions paired and the old variants left.
 */
function pairVariants(pair: SchemaPair<Id>, before: Variant[], after: Variant[]) {
  const { compare, canonical, spend, path } = pair;
  const shape = (doc: OpenApiDoc, variants: Variant[]) => variants.map((v) => canonical(doc, v.schema));
  const beforeShapes = shape(pair.before, before);
  const paired = new Set<number>();
  const [byShape, byName] = [indexBy(shape(pair.after, after)), indexBy(after.map((v) => v.key))];
  const unpaired: Variant[] = [];
  before.forEach((variant, i) => {
    spend();
    const equal = firstUnpaired(byShape.get(beforeShapes[i]!), paired);
    if (equal >= 0) return void paired.add(equal);
    const named = firstUnpaired(byName.get(variant.key), paired);
    if (named >= 0) {
      paired.add(named);
      compare(variant.schema, after[named]!.schema, `${path}<${variant.key}>`);
    } else unpaired.push(variant);
  });
  return { paired, unpaired };
}

/** The positions of each value, smallest last (see firstUnpaired). */
function indexBy(values: string[]): Map<string, number[]> {
  const positions = new Map<string, number[]>();
  for (let i = values.length - 1; i >= 0; i--) {
    const list = positions.get(values[i]!);
    if (list) list.push(i);
    else positions.set(values[i]!, [i]);
  }
  return positions;
}

/** The smallest position of the list not paired yet (-1: none), taken off the list: linear overall. */
function firstUnpaired(positions: number[] | undefined, paired: ReadonlySet<number>): number {
  while (positions?.length) {
    const position = positions.pop()!;
    if (!paired.has(position)) return position;
  }
  return -1;
}

/**
 * A heuristic for request oneOf: two variants overlap when nothing obviously tells them apart (their
 * types, a const or enum on a shared property, a required property the other forbids). A value
 * matching both is rejected by oneOf; undecidable in general, so a warning.
 */
function compareOverlaps({ spend, report, path, ...pair }: SchemaPair<Id>, before: Variant[], after: Variant[]) {
  const overlapping = (doc: OpenApiDoc, variants: Variant[]) => {
    const flats = variants.map((v) => flatten(doc, v.schema));
    const pairs = new Set<string>();
    flats.forEach((x, i) => {
      spend(flats.length * (1 + x.properties.size));
      flats.forEach((y, j) => {
        if (j > i && overlaps(doc, x, y)) pairs.add(`${variants[i]!.key} and ${variants[j]!.key}`);
      });
    });
    return pairs;
  };
  const old = overlapping(pair.before, before);
  for (const both of overlapping(pair.after, after)) {
    if (!old.has(both))
      report("request-union-variants-overlap", path, `oneOf variants ${both} may now both match a value`);
  }
}

/** Whether some value may match both (a heuristic: true unless something tells them apart). */
function overlaps(doc: OpenApiDoc, x: Flat, y: Flat): boolean {
  if (x.never || y.never) return false;
  const [tx, ty] = [x.types, y.types];
  if (tx && ty && ![...tx].some((t) => covers(ty, t)) && ![...ty].some((t) => covers(tx, t))) return false;
  if (x.enum && y.enum && !share(x.enum, y.enum)) return false;
  const values = (schema: unknown) => flatten(doc, schema).enum;
  for (const [name, schema] of x.properties) {
    const other = y.properties.get(name);
    if (other === undefined) continue;
    const [v, w] = [values(schema), values(other)];
    if (v && w && !share(v, w)) return false;
  }
  const forbids = (f: Flat, name: string) => f.additionalProperties === false && !f.properties.has(name);
  return ![...x.required].some((name) => forbids(y, name)) && ![...y.required].some((name) => forbids(x, name));
}

export function compareDiscriminator({ a, b, request, report, path }: SchemaPair<Id>): void {
  if (a.discriminator && b.discriminator) {
    const [x, y] = [a.discriminator, b.discriminator];
    if (!same(x.propertyName, y.propertyName)) {
      const change = `from ${show(x.propertyName)} to ${show(y.propertyName)}`;
      report("discriminator-changed", path, `discriminator propertyName changed ${change}`);
    }
    for (const [value, target] of Object.entries(x.mapping ?? {})) {
      const now = y.mapping?.[value];
      if (same(target, now)) continue;
      report(
        "discriminator-changed",
        path,
        now === undefined
          ? `discriminator value ${show(value)} was removed from the mapping`
          : `discriminator value ${show(value)} now maps to ${show(now)} (was ${show(target)})`,
      );
    }
  } else if (!!a.discriminator !== !!b.discriminator && request === !!b.discriminator) {
    const how = a.discriminator ? "removed" : "added";
    report(request ? "schema-keyword-changed" : "response-schema-keyword-changed", path, `discriminator ${how}`);
  }
}

/** if/then/else, matched by their `if`: an added condition is its branches compared with `{}`. */
export function compareConditionals({ a, b, compare, canonical, path, ...pair }: SchemaPair<Id>): void {
  const byIf = (doc: OpenApiDoc, flat: Flat) => new Map(flat.conditionals.map((c) => [canonical(doc, c.condition), c]));
  const before = byIf(pair.before, a);
  const after = byIf(pair.after, b);
  for (const key of new Set([...before.keys(), ...after.keys()])) {
    const [x, y] = [before.get(key), after.get(key)];
    const label = `${path}{if ${key}}`;
    if (x?.whenTrue !== undefined || y?.whenTrue !== undefined)
      compare(x?.whenTrue ?? {}, y?.whenTrue ?? {}, `${label}{then}`);
    if (x?.whenFalse !== undefined || y?.whenFalse !== undefined)
      compare(x?.whenFalse ?? {}, y?.whenFalse ?? {}, `${label}{else}`);
  }
}

/** `not X` accepts less when X accepts more: X compared as a request, the other way round. */
export function compareNot({ a, b, request, report, breaks, canonical, path, ...pair }: SchemaPair<Id>): void {
  const nots = (doc: OpenApiDoc, flat: Flat) => new Map(flat.nots.map((n) => [canonical(doc, n), n]));
  const [notBefore, notAfter] = [nots(pair.before, a), nots(pair.after, b)];
  const gone = [...notBefore].filter(([key]) => !notAfter.has(key));
  const added = [...notAfter].filter(([key]) => !notBefore.has(key));
  if (gone.length === 1 && added.length === 1) {
    const [[x, xRaw], [y, yRaw]] = [gone[0]!, added[0]!];
    const narrowed = request ? breaks(yRaw, xRaw, "request", [pair.after, pair.before]) : breaks(xRaw, yRaw, "request");
    if (narrowed)
      report(request ? "constraint-tightened" : "response-constraint-loosened", path, `not changed from ${x} to ${y}`);
    return;
  }
  if (request) for (const [key] of added) report("constraint-tightened", path, `not ${key} added`);
  else for (const [key] of gone) report("response-constraint-loosened", path, `not ${key} removed`);
}
