// Answers a vendor might give, for drift:propose's properties: the spec's own response examples,
// and every single widening of one of them (a new enum value, a null or a number in a string, a
// string past its maxLength, a required field left out, an undeclared status).
import { deref, isObject, listOperations, type OpenApiDoc } from "@cx-openapi/spec";
import { locatePointer, partsOf, type Located } from "../../lib/drift-propose/locate.js";
import { operationPlace, responseBody, responseKey } from "../../lib/drift-propose/response.js";
import { typesOf } from "../../lib/drift-propose/rules/type.js";

export interface Answer {
  method: string;
  path: string;
  status: number;
  body: unknown;
}

export interface Mutation {
  kind: "enum" | "null" | "number" | "maxLength" | "required" | "status";
  label: string;
  answer: Answer;
  /** The drift pointer of the deviation. */
  pointer: string;
  /** A value outside an x-pii enum, or an x-pii value past its bound: a reviewer's question, never an action. */
  expectReview: boolean;
  /** The personal values in the answer, which nothing proposed may quote. */
  personal: string[];
}

/** Every JSON response example of every operation with a numeric status. */
export function exampleAnswers(doc: OpenApiDoc): Answer[] {
  return listOperations(doc).flatMap((op) =>
    Object.entries(op.responses).flatMap(([status, response]) => {
      const media = response.content?.["application/json"] as
        | { examples?: Record<string, unknown>; example?: unknown }
        | undefined;
      if (!media || !/^\d{3}$/.test(status)) return [];
      const values = [
        ...Object.values(media.examples ?? {}).map((e) => deref<{ value?: unknown }>(doc, e).value),
        ...(media.example === undefined ? [] : [media.example]),
      ];
      return values
        .filter((v) => v !== undefined)
        .map((body) => ({ method: op.method.toUpperCase(), path: op.path, status: Number(status), body }));
    }),
  );
}

/** The same answer with a status the operation does not declare. */
export function undeclaredStatus(doc: OpenApiDoc, answer: Answer): Mutation {
  const place = operationPlace(doc, answer.method, answer.path)!;
  const status = [418, 451, 507, 422, 409, 429, 503].find((s) => responseKey(place.operation, s) === undefined) ?? 418;
  return {
    kind: "status",
    label: `${answer.path} ${status}`,
    answer: { ...answer, status, body: { message: "no" } },
    pointer: "",
    expectReview: false,
    personal: [],
  };
}

interface Walk {
  doc: OpenApiDoc;
  answer: Answer;
  pii: ReadonlySet<string>;
  out: Mutation[];
  personal: string[];
}

/** Every single widening of one answer's body the walk finds. */
export function mutationsOf(doc: OpenApiDoc, answer: Answer, pii: ReadonlySet<string>): Mutation[] {
  const body = responseBody(doc, operationPlace(doc, answer.method, answer.path)!, answer.status);
  if (!body) return [];
  const walk: Walk = { doc, answer, pii, out: [], personal: [] };
  visit(walk, body, answer.body, "", []);
  for (const mutation of walk.out) mutation.personal = walk.personal;
  return walk.out;
}

function visit(walk: Walk, at: Located, value: unknown, pointer: string, keys: (string | number)[]): void {
  const parts = partsOf(walk.doc, at);
  if (parts.some((p) => p.schema.oneOf || p.schema.anyOf)) return;
  const personal = keys.some((k) => walk.pii.has(String(k)));
  if (typeof value === "string") {
    if (personal && value.length >= 4) walk.personal.push(value);
    return scalarMutations(walk, parts, value, pointer, keys, personal);
  }
  if (Array.isArray(value)) {
    const items = locatePointer(walk.doc, at, "/*");
    value.slice(0, 2).forEach((item, i) => items && visit(walk, items, item, `${pointer}/*`, [...keys, i]));
    return;
  }
  if (!isObject(value)) return;
  for (const name of new Set(
    parts.flatMap((p) => (Array.isArray(p.schema.required) ? (p.schema.required as string[]) : [])),
  ))
    if (Object.hasOwn(value, name)) add(walk, "required", `${pointer}/${name}`, [...keys, name], undefined, false);
  for (const [key, child] of Object.entries(value)) {
    const declared = parts.some((p) => isObject(p.schema.properties) && Object.hasOwn(p.schema.properties, key));
    const place = declared
      ? locatePointer(walk.doc, at, `/${key.replace(/~/g, "~0").replace(/\//g, "~1")}`)
      : undefined;
    if (place) visit(walk, place, child, `${pointer}/${key.replace(/~/g, "~0").replace(/\//g, "~1")}`, [...keys, key]);
  }
}

function scalarMutations(
  walk: Walk,
  parts: Located[],
  value: string,
  pointer: string,
  keys: (string | number)[],
  personal: boolean,
): void {
  if (parts.some((p) => Array.isArray(p.schema.enum)))
    return add(walk, "enum", pointer, keys, "zz-vendor-new", personal);
  const types = parts.flatMap((p) => typesOf(p.schema.type));
  if (types.length === 0) return;
  if (!types.includes("null")) add(walk, "null", pointer, keys, null, false);
  if (!types.includes("number") && !types.includes("integer")) add(walk, "number", pointer, keys, 12345, false);
  const max = parts.map((p) => p.schema.maxLength).find((m): m is number => typeof m === "number");
  const shaped = parts.some(
    (p) => p.schema.pattern !== undefined || p.schema.format !== undefined || p.schema.const !== undefined,
  );
  if (max !== undefined && !shaped && max < 5000)
    add(walk, "maxLength", pointer, keys, `${value}${"x".repeat(max + 1)}`.slice(0, max + 1), personal);
}

/** Records one mutation: the answer with the value at `keys` replaced (or, for `required`, removed). */
function add(
  walk: Walk,
  kind: Mutation["kind"],
  pointer: string,
  keys: (string | number)[],
  value: unknown,
  expectReview: boolean,
): void {
  const body = structuredClone(walk.answer.body);
  let node = body as Record<string | number, unknown>;
  for (const key of keys.slice(0, -1)) node = node[key] as Record<string | number, unknown>;
  if (kind === "required") delete node[keys.at(-1)!];
  else node[keys.at(-1)!] = value;
  walk.out.push({
    kind,
    label: `${kind} at ${walk.answer.path} ${walk.answer.status} ${pointer}`,
    answer: { ...walk.answer, body },
    pointer,
    expectReview,
    personal: [],
  });
}
