// What keeps a schema comparison finite and linear on recursive schemas: an identity for each schema
// (two make the key of a compared pair), a cache of "does this pair break?" answers shared by every
// probe, and a step budget that stops a document whose comparison would still run away.
//
// Cycles are detected globally, not along the current path: a pair already compared (or being
// compared) at a location is not compared again there, and a probe met again while it runs is taken
// not to break (the usual assumption for recursive types). Both make the work grow with the number
// of distinct schema pairs, however many paths lead to them.
import { isObject, type OpenApiDoc } from "@cx-openapi/spec";
import { Canonical } from "./canonical.js";

/** Work units (schema pairs compared, probes, canonical nodes) one document comparison may spend. */
export const maxComparisonSteps = 1_000_000;

/** A comparison that would spend more than `maxComparisonSteps`: the input is refused, not compared. */
export class ComparisonTooLarge extends Error {
  constructor(readonly limit: number) {
    super(`comparing these documents takes more than ${limit.toLocaleString("en")} steps: refused as too large`);
  }
}

const objectIds = new WeakMap<object, number>();
let lastObjectId = 0;

/** The parts of each `{ allOf }` that merging made (see allOfSchemas). */
const mergedParts = new WeakMap<object, unknown[]>();

/**
 * `{ allOf: [...] }` of schemas that must all hold, made while merging allOf parts: an `allOf` made
 * this way is spread into its parts, and a part met twice is kept once. Merging the same schemas
 * again therefore gives the same parts (and the same identity), instead of an ever deeper
 * `allOf` of copies when schemas merge themselves through a cycle.
 */
export function allOfSchemas(schemas: unknown[]): unknown {
  const parts = [...new Set(schemas.flatMap((schema) => (isObject(schema) && mergedParts.get(schema)) || [schema]))];
  if (parts.length === 1) return parts[0];
  const merged = { allOf: parts };
  mergedParts.set(merged, parts);
  return merged;
}

/**
 * The identity of a schema for memoization: a `$ref` with nothing but annotations beside it is its
 * target; an `allOf` made by merging is the set of its parts; a schema with no constraint at all is
 * `{}`; anything else is that very object (inline schemas are reached again only through a `$ref`
 * or a YAML alias, both of which this covers).
 */
export function schemaIdentity(raw: unknown, isAnnotation: (key: string) => boolean): string {
  if (!isObject(raw)) return `=${JSON.stringify(raw) ?? "undefined"}`;
  const parts = mergedParts.get(raw);
  if (parts)
    return `&(${parts
      .map((part) => schemaIdentity(part, isAnnotation))
      .sort()
      .join(",")})`;
  const keys = Object.keys(raw);
  if (typeof raw.$ref === "string" && keys.every((key) => key === "$ref" || isAnnotation(key))) return `@${raw.$ref}`;
  if (keys.every(isAnnotation)) return "{}";
  let id = objectIds.get(raw);
  if (id === undefined) {
    id = ++lastObjectId;
    objectIds.set(raw, id);
  }
  return `#${id}`;
}

/** What one comparison shares between the main comparer and the probes it starts. */
export class ComparisonMemo {
  private steps = 0;
  private readonly verdicts = new Map<string, boolean | "running">();
  private readonly canonicals = new Map<OpenApiDoc, Canonical>();

  constructor(
    private readonly isAnnotation: (key: string) => boolean,
    private readonly limit = maxComparisonSteps,
  ) {}

  /** Spends `count` steps; throws ComparisonTooLarge past the limit. */
  spend(count = 1): void {
    this.steps += count;
    if (this.steps > this.limit) throw new ComparisonTooLarge(this.limit);
  }

  get spent(): number {
    return this.steps;
  }

  /** The canonical texts of one document's schemas, computed once per comparison. */
  canonical(doc: OpenApiDoc): Canonical {
    let texts = this.canonicals.get(doc);
    if (!texts) {
      texts = new Canonical(doc, this.isAnnotation, (count) => this.spend(count));
      this.canonicals.set(doc, texts);
    }
    return texts;
  }

  /**
   * The answer for `key`, computed once. A key asked for again while its answer is being computed is
   * a recursive schema met again: it is taken as `false` (no break found along the cycle).
   */
  verdict(key: string, compute: () => boolean): boolean {
    const known = this.verdicts.get(key);
    if (known === "running") return false;
    if (known !== undefined) return known;
    this.verdicts.set(key, "running");
    const answer = compute();
    this.verdicts.set(key, answer);
    return answer;
  }
}
