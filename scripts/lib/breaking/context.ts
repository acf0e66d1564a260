// What the comparison engine hands the rule families (rules/): a pair of operations, or a pair of
// flattened schemas, with ways to report a change and to compare what lies below.
import type { OpenApiDoc, OperationEntry } from "@cx-openapi/spec";
import type { Flat } from "./flat.js";

export type Direction = "request" | "response";

export interface Location {
  operation?: string;
  where?: string;
}

/** Reports a change under `rule` at a location of the documents (no property path). */
export type Report<Id extends string = string> = (rule: Id, location: Location, message: string) => void;

/** What a rule family may ask of the schema comparison. */
export interface SchemaComparison {
  /** Compares two schemas used in one direction at one location (see schema.ts). */
  compare(beforeRaw: unknown, afterRaw: unknown, direction: Direction, location: Location, path?: string): void;
}

/** An operation of one document, with its label (`GET /customers`, `WEBHOOK created POST`). */
export interface OperationSide extends OperationEntry {
  label: string;
}

/** One operation present in both documents, and what its comparison needs. */
export interface OperationPair<Id extends string = string> {
  before: OpenApiDoc;
  after: OpenApiDoc;
  schemas: SchemaComparison;
  old: OperationSide;
  next: OperationSide;
  report: Report<Id>;
  /** The location of a change in this operation, at `where` (a parameter, the body, a response...). */
  at(where?: string): Location;
}

/** A check of a matched operation pair. */
export type OperationCheck<Id extends string = string> = (pair: OperationPair<Id>) => void;

/** Two schemas compared at one place in one direction, flattened, and what a check may do with them. */
export interface SchemaPair<Id extends string = string> {
  /** The schema before and after, flattened. */
  a: Flat;
  b: Flat;
  /** The same, as written. */
  beforeRaw: unknown;
  afterRaw: unknown;
  direction: Direction;
  /** Whether the direction is "request": clients send it, and it breaks when it accepts less. */
  request: boolean;
  loc: Location;
  /** The place of this pair inside the schema at `loc`: `.a.b`, `[]`, `<Variant>`... ("" at the top). */
  path: string;
  before: OpenApiDoc;
  after: OpenApiDoc;
  /** Reports a change under `rule` at `path` (this pair's, or a child's). */
  report: (rule: Id, path: string, message: string) => void;
  /** Compares two subschemas at `path`, in this pair's direction and location (queued, breadth first). */
  compare: (beforeRaw: unknown, afterRaw: unknown, path: string) => void;
  /** Whether comparing two schemas would report a breaking change (asked once per pair, then remembered). */
  breaks: (beforeRaw: unknown, afterRaw: unknown, direction: Direction, docs?: [OpenApiDoc, OpenApiDoc]) => boolean;
  /** A schema of either document as one JSON text: equal texts mean equal schemas. */
  canonical: (doc: OpenApiDoc, raw: unknown) => string;
  /** Spends comparison steps (see memo.ts): for a check whose work grows with its input. */
  spend: (count?: number) => void;
}

/** A check of a schema pair. */
export type SchemaCheck<Id extends string = string> = (pair: SchemaPair<Id>) => void;

/** A check that may settle a pair alone (it returns true): nothing else is compared then. */
export type SettlingCheck<Id extends string = string> = (pair: SchemaPair<Id>) => boolean;
