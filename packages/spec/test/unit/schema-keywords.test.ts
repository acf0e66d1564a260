// The keyword catalogue against JSON Schema 2020-12's own meta-schemas (the copies Ajv ships), and
// the schema walker the validator, the contract tests and the breaking-change checker share.
import { readdirSync, readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { dirname, join } from "node:path";
import { describe, expect, it } from "vitest";
import { forEachNode, keywordFacts, schemaKeywords, subschemasOf, walkSchema } from "../../src/index.js";

const metaDir = dirname(createRequire(import.meta.url).resolve("ajv/dist/refs/json-schema-2020-12/schema.json"));
const readJson = (file: string) => JSON.parse(readFileSync(join(metaDir, file), "utf8")) as Record<string, unknown>;
/** Each keyword of the meta-schemas, with its vocabulary (the file) and the schema of its value. */
const metaKeywords = ["schema.json", ...readdirSync(join(metaDir, "meta")).map((file) => `meta/${file}`)].flatMap(
  (file) =>
    Object.entries((readJson(file).properties ?? {}) as Record<string, Record<string, unknown>>).map(
      ([keyword, value]) => ({ keyword, vocabulary: /meta\/(.+)\.json$/.exec(file)?.[1] ?? "compatibility", value }),
    ),
);

/** What a keyword's value holds, read from its meta-schema: a schema, a list or a map of them. */
function heldByMeta(value: Record<string, unknown>): string | undefined {
  if (value.$dynamicRef === "#meta") return "schema";
  if (value.$ref === "#/$defs/schemaArray") return "list";
  const entries = value.additionalProperties as Record<string, unknown> | undefined;
  return value.type === "object" && entries?.$dynamicRef === "#meta" ? "map" : undefined;
}

describe("the keyword catalogue", () => {
  it("has an entry for every keyword of the 2020-12 meta-schemas, in the vocabulary that defines it", () => {
    expect(metaKeywords.length).toBeGreaterThan(50);
    const wrong = metaKeywords.filter(({ keyword, vocabulary }) => keywordFacts(keyword)?.vocabulary !== vocabulary);
    expect(wrong.map((k) => k.keyword)).toEqual([]);
  });

  it("says a 2020-12 keyword holds a subschema, a list or a map exactly when its meta-schema does", () => {
    const current = metaKeywords.filter((k) => k.vocabulary !== "compatibility");
    const holds = (keyword: string) => {
      const held = keywordFacts(keyword)?.holds;
      return held === "data" ? undefined : held;
    };
    expect(current.filter(({ keyword, value }) => holds(keyword) !== heldByMeta(value)).map((k) => k.keyword)).toEqual(
      [],
    );
  });

  it("lists OpenAPI's own keywords and nothing the meta-schemas and OpenAPI do not define", () => {
    const openApi = ["discriminator", "xml", "externalDocs", "example", "nullable"];
    const known = new Set([...metaKeywords.map((k) => k.keyword), ...openApi]);
    expect(Object.keys(schemaKeywords).filter((keyword) => !known.has(keyword))).toEqual([]);
    expect(keywordFacts("x-extensible-enum")).toBeUndefined();
    expect(keywordFacts("constructor")).toBeUndefined();
  });
});

describe("the schema walker", () => {
  const schema = {
    type: "object",
    properties: { "a/b": { items: { $ref: "#/components/schemas/X" } }, "c~d": true },
    allOf: [{ not: { const: 1 } }],
    enum: [{ properties: { data: {} } }],
    examples: [{ type: "not a schema" }],
  };

  it("visits each schema where it is written, with its JSON pointer, without following $refs or reading data", () => {
    const seen: string[] = [];
    walkSchema(schema, (_, pointer) => seen.push(pointer), "#/components/schemas/S");
    expect(seen).toEqual([
      "#/components/schemas/S",
      "#/components/schemas/S/properties/a~1b",
      "#/components/schemas/S/properties/a~1b/items",
      "#/components/schemas/S/allOf/0",
      "#/components/schemas/S/allOf/0/not",
    ]);
  });

  it("lists a schema's direct subschemas in the order its keywords are written, malformed lists holding none", () => {
    expect(subschemasOf({ oneOf: "not a list", items: {}, properties: { a: {} } })).toEqual([
      { keyword: "items", schema: {} },
      { keyword: "properties", key: "a", schema: {} },
    ]);
  });

  it("visits every node of a JSON value once, parents first, however deep it is nested", () => {
    const shared = { shared: true };
    const order: unknown[] = [];
    forEachNode({ a: [shared, shared], b: shared }, (node) => order.push(node));
    expect(order).toHaveLength(3);
    expect(order[2]).toBe(shared);
    let deep: unknown[] = [];
    for (let i = 0; i < 100_000; i++) deep = [deep];
    let count = 0;
    forEachNode(deep, () => count++);
    expect(count).toBe(100_001);
  });
});
