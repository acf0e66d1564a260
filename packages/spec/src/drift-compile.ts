// An API's drift table (drift/types.ts) from its spec: the operations, their declared responses,
// and one pair of validators per response schema. `pnpm gen` turns it into standalone code
// (driftSources: no eval at run time, so the clients' drift reporters work under a strict CSP);
// compileDriftApi compiles the same validators with Ajv at run time (Node: the deviation proxy).
// Both validate with the spec's own validator settings (validator.ts), without the annotations.
import type { Ajv2020 } from "ajv/dist/2020.js";
import standaloneCodeModule from "ajv/dist/standalone/index.js";
import type { DriftApi, DriftOperation, DriftResponse } from "./drift/types.js";
import { annotationKeywords, keywordFacts } from "./keywords.js";
import { isObject, jsonMediaType, listOperations, type OpenApiDoc, type Schema } from "./openapi.js";
import { collectPii } from "./pii.js";
import { forEachNode } from "./schema-walk.js";
import { baseId, rewrite, specAjv, type SpecAjvTuning } from "./validator.js";

// CommonJS: under NodeNext its default import is the whole module.
const standaloneCode = standaloneCodeModule.default;

/** An API's drift table, its validators still as schemas. */
export interface DriftTable extends Omit<DriftApi, "validators"> {
  /** The distinct response schemas, in the order the operations first use them. */
  schemas: Schema[];
}

/** Drift's Ajv settings: no messages (events do not use them), annotations left out. */
const driftTuning: SpecAjvTuning = { messages: false, prepare: withoutAnnotations };

/** The operations, their responses and the names the spec declares, read off a bundled spec. */
export function driftTable(doc: OpenApiDoc, name: string): DriftTable {
  const specVersion = (doc.info as { version?: unknown } | undefined)?.version;
  if (typeof specVersion !== "string") throw new Error(`${name}: the spec has no info.version`);
  const schemas: Schema[] = [];
  const indexes = new Map<string, number>();
  const indexOf = (schema: Schema): number => {
    const key = JSON.stringify(schema);
    if (!indexes.has(key)) indexes.set(key, schemas.push(schema) - 1);
    return indexes.get(key)!;
  };
  const operations: DriftOperation[] = listOperations(doc).map((op) => ({
    operationId: op.operationId,
    method: op.method.toUpperCase(),
    path: op.path,
    responses: Object.fromEntries(
      Object.entries(op.responses).map(([status, response]) => {
        const schema = jsonMediaType(response.content)?.[1].schema;
        const declared: DriftResponse = { contentTypes: Object.keys(response.content ?? {}) };
        if (schema !== undefined) declared.schema = indexOf(schema);
        return [status, declared];
      }),
    ),
  }));
  const { properties: piiProperties } = collectPii(doc);
  return { name, specVersion, operations, schemas, names: declaredNames(doc), piiProperties };
}

/** Every property name a schema declares or requires, and every parameter name, sorted. */
function declaredNames(doc: OpenApiDoc): string[] {
  const names = new Set<string>();
  forEachNode(doc, (node) => {
    if (Array.isArray(node)) return;
    const record = node as Record<string, unknown>;
    if (isObject(record.properties)) for (const key of Object.keys(record.properties)) names.add(key);
    if (Array.isArray(record.required)) for (const key of record.required) if (typeof key === "string") names.add(key);
  });
  for (const op of listOperations(doc)) for (const parameter of op.parameters) names.add(parameter.name);
  return [...names].sort();
}

/** The validators of a table, compiled by Ajv now (it generates code: Node, not a strict CSP). */
export function compileDriftApi(doc: OpenApiDoc, name: string): DriftApi {
  const { schemas, ...table } = driftTable(doc, name);
  const [first, all] = [specAjv(doc, false, driftTuning), specAjv(doc, true, driftTuning)];
  const compile = (ajv: Ajv2020, schema: Schema) => ajv.compile(prepared(doc, schema) as object | boolean);
  return { ...table, validators: schemas.map((schema) => [compile(first, schema), compile(all, schema)] as const) };
}

/** What `pnpm gen` bundles into an API's generated drift module. */
export interface DriftSources {
  table: Omit<DriftTable, "schemas">;
  /** ES module code exporting `v0`, `v1`... the first-error validator of each schema. */
  firstError: string;
  /** The same, for the all-errors validators. */
  allErrors: string;
}

/** The table and its validators as Ajv standalone code, deterministic for a given spec and Ajv. */
export function driftSources(doc: OpenApiDoc, name: string): DriftSources {
  const { schemas, ...table } = driftTable(doc, name);
  const code = (allErrors: boolean) => {
    const ajv = specAjv(doc, allErrors, { ...driftTuning, code: { source: true, esm: true, lines: true } });
    const id = (i: number) => `urn:cx-openapi:drift:${i}`;
    schemas.forEach((schema, i) => {
      const ready = prepared(doc, schema);
      ajv.addSchema(typeof ready === "boolean" ? { $id: id(i), allOf: [ready] } : { ...(ready as object), $id: id(i) });
    });
    return standaloneCode(ajv, Object.fromEntries(schemas.map((_, i) => [`v${i}`, id(i)])));
  };
  return { table, firstError: code(false), allErrors: code(true) };
}

/** A response schema as drift validates it: its refs pointing at the registered components, its annotations left out. */
function prepared(doc: OpenApiDoc, schema: Schema): unknown {
  return withoutAnnotations(rewrite(doc, schema, baseId));
}

/**
 * A schema without what only annotates (descriptions, examples, `x-` extensions...), which would
 * only weigh on the generated code; `format` stays, it is validated.
 */
function withoutAnnotations(node: unknown): unknown {
  if (!isObject(node)) return node;
  const out: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(node)) {
    if (key.startsWith("x-") || (annotationKeywords.has(key) && key !== "format")) continue;
    const holds = keywordFacts(key)?.holds;
    if (holds === "schema") out[key] = withoutAnnotations(value);
    else if (holds === "list" && Array.isArray(value)) out[key] = value.map(withoutAnnotations);
    else if (holds === "map" && isObject(value))
      out[key] = Object.fromEntries(Object.entries(value).map(([k, v]) => [k, withoutAnnotations(v)]));
    else out[key] = value;
  }
  return out;
}
