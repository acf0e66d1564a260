// Fakes for personal values (`pnpm proxy --record`): each value of an `x-pii` field becomes a value
// that fits the field's schema (type, format, pattern, lengths, enum), and the same original becomes
// the same fake for as long as the faker lives, wherever it shows (a ccid in a path and in a body).
// A fake looks like its original where the schema allows (digits for digits, letters for letters, a
// uuid for a uuid, a date for a date), so what the recording is replayed against sees realistic
// values; it never equals an original, nor the fake of another original.
import { randomInt, randomUUID } from "node:crypto";
import { isObject, schemaParts, type OpenApiDoc, type Schema, type SpecValidator } from "@cx-openapi/spec";
import { patternSample } from "./pattern-sample.js";

export interface PiiFakes {
  /** A fake of a personal scalar (a string, number or boolean) for a field of this schema. */
  fake(schema: Schema | undefined, original: string | number | boolean): unknown;
  /** Text with every original faked so far (of 3 characters or more, standing alone) replaced by its fake. */
  replaceKnown(text: string): string;
}

/** The constraints of a scalar field, from all its schema's parts. */
interface Facts {
  types: string[];
  format?: string;
  pattern?: string;
  minLength?: number;
  maxLength?: number;
  minimum?: number;
  maximum?: number;
  choices?: unknown[];
}

const tries = 4;
/** An original shorter than this is not searched for in free text ("1" is everywhere). */
const shortestKnown = 3;

export function piiFakes(spec: OpenApiDoc, validator: SpecValidator): PiiFakes {
  /** String(original) -> the fakes made for it (one per schema it did not fit). */
  const made = new Map<string, unknown[]>();
  const taken = new Set<string>();
  /** The originals worth searching for in free text: not a value of an enum or a flag, which anyone may write. */
  const searchable = new Set<string>();
  const fits = (schema: Schema | undefined, value: unknown) =>
    schema === undefined || validator.validate(schema, value).valid;
  const fresh = (value: unknown, original: string) => {
    const text = typeof value === "string" ? value : JSON.stringify(value);
    return (
      text !== original &&
      !made.has(text) &&
      !taken.has(text) &&
      !(original.length >= shortestKnown && text.includes(original))
    );
  };
  const fake = (schema: Schema | undefined, original: string | number | boolean): unknown => {
    const key = String(original);
    const known = made.get(key) ?? [];
    const reused = known.find((value) => fits(schema, value));
    if (reused !== undefined) return reused;
    const facts = factsOf(spec, schema);
    const closed = facts.choices !== undefined || targetType(facts, original) === "boolean";
    const candidates = candidatesFor(facts, original);
    const other = (value: unknown) => closed || String(value) !== key;
    // Never the original itself: a fake that does not fit is better than a leak.
    const chosen =
      candidates.find((value) => fits(schema, value) && (closed || fresh(value, key))) ??
      candidates.find((value) => fits(schema, value) && other(value)) ??
      candidates.find(other) ??
      null;
    made.set(key, [...known, chosen]);
    if (!closed) searchable.add(key);
    taken.add(typeof chosen === "string" ? chosen : JSON.stringify(chosen));
    return chosen;
  };
  // One search for every original, made again only when there are new ones.
  let search: { size: number; pattern: RegExp | undefined } = { size: -1, pattern: undefined };
  const replaceKnown = (text: string) => {
    if (search.size !== searchable.size) search = { size: searchable.size, pattern: standalone([...searchable]) };
    return search.pattern ? text.replace(search.pattern, (original) => String(made.get(original)![0])) : text;
  };
  return { fake, replaceKnown };
}

/** Any of the originals standing alone (no letter or digit beside it), the longest first. */
function standalone(originals: string[]): RegExp | undefined {
  const searched = originals.filter((original) => original.length >= shortestKnown);
  if (!searched.length) return undefined;
  const escaped = searched
    .sort((a, b) => b.length - a.length)
    .map((original) => original.replace(/[.*+?^${}()|[\]\\]/g, "\\$&"));
  return new RegExp(`(?<![\\p{L}\\p{N}])(?:${escaped.join("|")})(?![\\p{L}\\p{N}])`, "gu");
}

function factsOf(spec: OpenApiDoc, schema: Schema | undefined): Facts {
  const facts: Facts = { types: [] };
  for (const part of schemaParts(spec, schema)) {
    if (typeof part.type === "string") facts.types.push(part.type);
    if (Array.isArray(part.type)) facts.types.push(...(part.type as string[]));
    if (Array.isArray(part.enum)) facts.choices = part.enum;
    if ("const" in part) facts.choices = [part.const];
    for (const key of ["format", "pattern"] as const) if (typeof part[key] === "string") facts[key] = part[key];
    for (const key of ["minLength", "maxLength", "minimum", "maximum"] as const)
      if (typeof part[key] === "number") facts[key] = part[key];
  }
  return facts;
}

/** The type the fake takes: the original's, when the schema allows it, else the schema's first. */
function targetType(facts: Facts, original: unknown): string {
  const own = typeof original === "number" ? (Number.isInteger(original) ? "integer" : "number") : typeof original;
  const allowed = facts.types.filter((type) => type !== "null");
  if (allowed.length === 0 || allowed.includes(own) || (own === "integer" && allowed.includes("number"))) return own;
  return allowed[0]!;
}

/** The fakes worth trying, the likeliest to fit first. */
function candidatesFor(facts: Facts, original: string | number | boolean): unknown[] {
  if (facts.choices !== undefined) {
    const others = facts.choices.filter((choice) => choice !== original);
    return others.length ? shuffled(others) : facts.choices;
  }
  const type = targetType(facts, original);
  if (type === "boolean") return [randomInt(2) === 1, original === true];
  if (type === "integer" || type === "number") return numberCandidates(facts, original, type);
  const text = String(original);
  const makers = [() => lookalike(text), () => formatted(facts.format), () => patterned(facts), () => sized(facts)];
  return makers.flatMap((make) => Array.from({ length: tries }, make)).filter((v) => v !== undefined);
}

function shuffled<T>(items: T[]): T[] {
  const copy = [...items];
  for (let i = copy.length - 1; i > 0; i--) {
    const j = randomInt(i + 1);
    [copy[i], copy[j]] = [copy[j]!, copy[i]!];
  }
  return copy;
}

function numberCandidates(facts: Facts, original: unknown, type: string): number[] {
  const digits = typeof original === "number" ? String(Math.trunc(Math.abs(original))).length : 4;
  const low = facts.minimum ?? (digits > 1 ? 10 ** (digits - 1) : 0);
  const high = Math.min(facts.maximum ?? 10 ** Math.min(digits, 15) - 1, Number.MAX_SAFE_INTEGER);
  const pick = () => (high > low ? low + Math.floor(Math.random() * (high - low + 1)) : low);
  const decimals = type === "number" && typeof original === "number" && !Number.isInteger(original);
  return Array.from({ length: tries * 2 }, () => (decimals ? pick() + randomInt(100) / 100 : pick()));
}

const digitsAlphabet = "0123456789";
const lower = "abcdefghijklmnopqrstuvwxyz";
const hex = "0123456789abcdef";
const uuidShape = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const from = (alphabet: string) => alphabet[randomInt(alphabet.length)]!;

/** A value shaped like the original: a uuid, date, date-time or email for one, else each letter and digit redrawn. */
function lookalike(text: string): string | undefined {
  if (text === "") return undefined;
  if (uuidShape.test(text)) return randomUUID();
  if (/^\d{4}-\d{2}-\d{2}$/.test(text)) return randomDate();
  if (/^\d{4}-\d{2}-\d{2}T/.test(text)) return `${randomDate()}${text.slice(10).replace(/\d/g, () => from("012"))}`;
  const email = /^([^@\s]+)@[^@\s]+$/.exec(text);
  if (email) return `${redrawn(email[1]!)}@example.com`;
  return redrawn(text);
}

/** Digits redrawn as digits, letters as letters of the same case, hex kept hex; the rest kept. */
function redrawn(text: string): string {
  const hexOnly = /^[0-9a-f-]+$/i.test(text) && /[a-f]/i.test(text) && /\d/.test(text);
  return [...text]
    .map((char) => {
      if (hexOnly && /[0-9a-f]/i.test(char)) return char === char.toUpperCase() ? from(hex).toUpperCase() : from(hex);
      if (/\d/.test(char)) return from(digitsAlphabet);
      if (/\p{Lu}/u.test(char)) return from(lower).toUpperCase();
      if (/\p{L}/u.test(char)) return from(lower);
      return char;
    })
    .join("");
}

/** A date from 1930 to 2009 (every day valid: the 28th at the latest). */
function randomDate(): string {
  const pad = (n: number) => String(n).padStart(2, "0");
  return `${1930 + randomInt(80)}-${pad(1 + randomInt(12))}-${pad(1 + randomInt(28))}`;
}

function formatted(format: string | undefined): string | undefined {
  const serial = randomInt(1_000_000);
  switch (format) {
    case "date":
      return randomDate();
    case "date-time":
      return `${randomDate()}T${String(randomInt(24)).padStart(2, "0")}:00:00Z`;
    case "email":
      return `fake${serial}@example.com`;
    case "uuid":
      return randomUUID();
    case "uri":
    case "url":
      return `https://example.com/fake/${serial}`;
    case "hostname":
      return `fake${serial}.example.com`;
    case "ipv4":
      return `192.0.2.${randomInt(255)}`;
    default:
      return undefined;
  }
}

function patterned(facts: Facts): string | undefined {
  return facts.pattern === undefined ? undefined : patternSample(facts.pattern, (alphabet) => from(alphabet));
}

/** Letters and digits, as long as the original's schema allows (12 when it says nothing). */
function sized(facts: Facts): string {
  const min = facts.minLength ?? 1;
  const length = Math.max(min, Math.min(facts.maxLength ?? 12, Math.max(min, 12)));
  return Array.from({ length }, (_, i) => from(i === 0 ? lower : `${lower}${digitsAlphabet}`)).join("");
}

/** Whether a schema, what it references, or its array items carry `x-pii`. */
export function isPersonal(spec: OpenApiDoc, schema: Schema | undefined, depth = 0): boolean {
  if (depth > 16) return false;
  return schemaParts(spec, schema).some(
    (part) =>
      part["x-pii"] !== undefined || (isObject(part.items) && isPersonal(spec, part.items as Schema, depth + 1)),
  );
}
