// Direction-aware comparison of two JSON Schemas: the engine that pairs schemas, flattens them
// (flat.ts), remembers what it compared (memo.ts) and hands each pair to the schema checks of the
// rule families (rules/), in the order below.
import type { OpenApiDoc } from "@cx-openapi/spec";
import type { Direction, Location, SchemaCheck, SchemaComparison, SchemaPair, SettlingCheck } from "./context.js";
import { flatten } from "./flat.js";
import { isAnnotation } from "./keywords.js";
import { ComparisonMemo, schemaIdentity } from "./memo.js";
import { type Change, type RuleId, rules } from "./rules.js";
import { compareDefault, compareUnmodelled } from "./rules/annotations.js";
import { compareArrays } from "./rules/arrays.js";
import {
  compareConditionals,
  compareDiscriminator,
  compareNot,
  compareUnionShape,
  compareVariants,
} from "./rules/composition.js";
import { compareBounds, comparePattern } from "./rules/constraints.js";
import { compareEnums, compareExtensibleEnums } from "./rules/enums.js";
import { compareObjectKeywords, compareProperties } from "./rules/objects.js";
import { compareContent, compareFormat, compareNever, compareTypes } from "./rules/types.js";

export type { Direction, Location } from "./context.js";
export { flatten, type Flat } from "./flat.js";
export { annotationKeywords, modelledKeywords } from "./keywords.js";

/** Checks that settle a pair alone (schema `false`, a union on one side only): then nothing else runs. */
const settlingChecks: SettlingCheck<RuleId>[] = [compareNever, compareUnionShape];

/** The checks of every other pair, in the order their changes are reported. */
const schemaChecks: SchemaCheck<RuleId>[] = [
  compareTypes,
  compareEnums,
  compareBounds,
  comparePattern,
  compareFormat,
  compareDefault,
  compareProperties,
  compareObjectKeywords,
  compareArrays,
  compareConditionals,
  compareNot,
  compareContent,
  compareDiscriminator,
  compareExtensibleEnums,
  compareUnmodelled,
  compareVariants,
];

export class SchemaComparer implements SchemaComparison {
  readonly changes: Change[] = [];
  /** The pairs compared (or being compared) by this comparer, per location: each is compared once. */
  private readonly visited = new Set<string>();
  /** Pairs waiting to be compared, breadth first: a change is reported at the shortest path to it. */
  private readonly queue: (() => void)[] = [];
  private draining = false;

  constructor(
    readonly before: OpenApiDoc,
    readonly after: OpenApiDoc,
    readonly memo = new ComparisonMemo(isAnnotation),
  ) {}

  report(rule: RuleId, location: Location, path: string, message: string): void {
    this.changes.push({
      rule,
      severity: rules[rule].severity,
      ...(location.operation ? { operation: location.operation } : {}),
      ...(location.where ? { where: location.where } : {}),
      ...(path ? { path } : {}),
      message,
    });
  }

  /**
   * Compares two schemas used in one direction at one location; changes go to `this.changes`. A pair
   * met again at the same location (a recursive schema, or one reached by several paths) is not
   * compared again: its changes are reported once, at the shortest path that reaches it. Nested
   * pairs are queued, not recursed into, so a long chain of `$ref`s cannot exhaust the stack.
   */
  compare(beforeRaw: unknown, afterRaw: unknown, direction: Direction, location: Location, path = ""): void {
    this.memo.spend();
    const key = [
      direction,
      location.operation,
      location.where,
      schemaIdentity(beforeRaw, isAnnotation),
      schemaIdentity(afterRaw, isAnnotation),
    ].join("|");
    if (this.visited.has(key)) return;
    this.visited.add(key);
    this.queue.push(() => this.compareFlat(this.pair(beforeRaw, afterRaw, direction, location, path)));
    if (!this.draining) this.drain();
  }

  private drain(): void {
    this.draining = true;
    try {
      for (let next = 0; next < this.queue.length; next++) this.queue[next]!();
    } finally {
      this.queue.length = 0;
      this.draining = false;
    }
  }

  /** Whether comparing these two would report a breaking change (asked once per pair, then remembered). */
  breaks(beforeRaw: unknown, afterRaw: unknown, direction: Direction, docs = [this.before, this.after]): boolean {
    const [first, second] = docs as [OpenApiDoc, OpenApiDoc];
    const swapped = first !== this.before;
    const key = [
      swapped ? "swapped" : "",
      direction,
      schemaIdentity(beforeRaw, isAnnotation),
      schemaIdentity(afterRaw, isAnnotation),
    ].join("|");
    return this.memo.verdict(key, () => {
      const probe = new SchemaComparer(first, second, this.memo);
      probe.compare(beforeRaw, afterRaw, direction, {});
      return probe.changes.some((change) => change.severity === "breaking");
    });
  }

  /** What the checks see of one pair: both schemas flattened, and this comparer's ways to go on. */
  private pair(beforeRaw: unknown, afterRaw: unknown, direction: Direction, loc: Location, path: string) {
    const pair: SchemaPair<RuleId> = {
      a: flatten(this.before, beforeRaw),
      b: flatten(this.after, afterRaw),
      beforeRaw,
      afterRaw,
      direction,
      request: direction === "request",
      loc,
      path,
      before: this.before,
      after: this.after,
      report: (rule, at, message) => this.report(rule, loc, at, message),
      compare: (x, y, at) => this.compare(x, y, direction, loc, at),
      breaks: (x, y, probeDirection, docs) => this.breaks(x, y, probeDirection, docs),
      canonical: (doc, raw) => this.memo.canonical(doc).text(raw),
      spend: (count) => this.memo.spend(count),
    };
    return pair;
  }

  private compareFlat(pair: SchemaPair<RuleId>): void {
    if (settlingChecks.some((check) => check(pair))) return;
    for (const check of schemaChecks) check(pair);
  }
}
