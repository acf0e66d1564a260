// The fakes a recording (`pnpm proxy --record`) puts in place of personal values: for every `x-pii`
// field of both specs, a value that fits the field's schema, is not the original, and is the same
// for the same original wherever it shows; the spec's own example bodies, faked, still validate.
import { describe, expect, it } from "vitest";
import {
  createValidator,
  deref,
  isObject,
  listOperations,
  loadSpec,
  schemaParts,
  walkSchema,
  type OpenApiDoc,
  type Schema,
} from "@cx-openapi/spec";
import { person } from "@cx-openapi/devkit/testing";
import { getApi } from "../../lib/apis.js";
import { isPersonal, piiFakes } from "../../lib/pii-fakes.js";
import { recordingFakes } from "../../lib/recording-fakes.js";

/** Each spec with one validator for the file: compiling a field's schema once serves every test. */
const specs = ["relay-cdm", "hiirelevate"].map((name) => {
  const spec = loadSpec(getApi(name).bundleJson);
  return { name, spec, validator: createValidator(spec) };
});

/** Realistic originals for each `x-pii` category, the likeliest first. */
const originals: Record<string, string[]> = {
  name: [person.firstName, `${person.firstName} ${person.lastName}`],
  email: [person.email],
  phone: [person.phone],
  "date-of-birth": [person.dateOfBirth],
  ssn: [person.ssn, person.ssnLast4],
  identifier: [person.ccid, person.customerId],
  address: ["1 Main Street", "PA", "19103", "US"],
  gender: ["F", "male"],
  device: ["iPhone15,2", "fcm-device-token-5521"],
  unstructured: ["Um9nZXJpbmEgUmFiYml0c3dvcnRo"],
};

interface Field {
  where: string;
  schema: Schema;
  category: string;
}

/** Every scalar `x-pii` field of a spec: component properties and path parameters. */
function scalarFields(spec: OpenApiDoc): Field[] {
  const fields: Field[] = [];
  const add = (where: string, schema: Schema) => {
    const parts = schemaParts(spec, schema);
    const category = parts.map((part) => part["x-pii"]).find((value) => typeof value === "string");
    const container = parts.some((part) => part.type === "array" || part.type === "object");
    if (typeof category === "string" && !container) fields.push({ where, schema, category });
  };
  for (const [name, component] of Object.entries(spec.components?.schemas ?? {}))
    walkSchema(component, (schema, pointer) => {
      if (isObject(schema.properties))
        for (const [key, child] of Object.entries(schema.properties)) add(`${name}${pointer}.${key}`, child as Schema);
    });
  for (const operation of listOperations(spec))
    for (const parameter of operation.parameters)
      if (parameter.in === "path" && parameter.schema)
        add(`${operation.operationId} {${parameter.name}}`, parameter.schema);
  return fields;
}

function originalFor(field: Field, valid: (value: unknown) => boolean): string {
  const candidates = [...(originals[field.category] ?? []), ...Object.values(originals).flat()];
  const found = candidates.find(valid);
  if (found === undefined) throw new Error(`${field.where}: no original of the test fits its schema`);
  return found;
}

describe.each(specs)("the fakes of $name's personal fields", ({ spec, validator }) => {
  it("fit the field's schema, are never the original, and are the same for the same original", () => {
    const fakes = piiFakes(spec, validator);
    const fields = scalarFields(spec);
    expect(fields.length).toBeGreaterThan(10);
    for (const field of fields) {
      const valid = (value: unknown) => validator.validate(field.schema, value).valid;
      const original = originalFor(field, valid);
      const fake = fakes.fake(field.schema, original);
      expect(validator.validate(field.schema, fake).errors, `${field.where}: ${JSON.stringify(fake)}`).toEqual([]);
      expect(fake, field.where).not.toBe(original);
      const closed = schemaParts(spec, field.schema).some((part) => Array.isArray(part.enum));
      if (!closed) expect(String(fake), field.where).not.toContain(original);
      expect(fakes.fake(field.schema, original), field.where).toEqual(fake);
    }
  });

  it("keep each example body of the spec valid once its personal values are faked", () => {
    const fakes = recordingFakes(spec, piiFakes(spec, validator)).forExchange([]);
    let checked = 0;
    for (const { where, schema, example } of exampleBodies(spec)) {
      const faked = fakes.body(schema, example);
      expect(validator.validate(schema, faked).errors, where).toEqual([]);
      for (const leaf of personalLeaves(spec, schema, example, []))
        expect(valueAt(faked, leaf.at), `${where} ${leaf.at.join(".")}`).not.toEqual(leaf.value);
      checked++;
    }
    expect(checked).toBeGreaterThanOrEqual(10);
  });
});

describe("one recording run's fakes", () => {
  const { spec, validator } = specs[0]!;
  const ccid = schemaParts(spec, { $ref: "#/components/schemas/Ccid" })[0]!;
  const phone: Schema = { $ref: "#/components/schemas/PhoneNumber" };

  it("give the same original the same fake in every place, and two originals two fakes", () => {
    const fakes = recordingFakes(spec, piiFakes(spec, validator)).forExchange([]);
    const path = fakes.parameter(ccid, true, person.ccid);
    const body = fakes.body(
      { $ref: "#/components/schemas/Customer" },
      { ccid: person.ccid, notification_channels: [{ channel_addr: person.phone }] },
    ) as { ccid: string; notification_channels: { channel_addr: string }[] };
    expect(body.ccid).toBe(path);
    expect(fakes.parameter(phone, true, person.phone)).toBe(body.notification_channels[0]!.channel_addr);
    expect(fakes.parameter(ccid, true, "CCID-PRIV-58214")).not.toBe(path);
    expect(fakes.text(`customer ${person.ccid} was not found`)).toBe(`customer ${path} was not found`);
  });

  it("fake the keys of a personal map, but not the field names of a personal record", () => {
    const fakes = recordingFakes(spec, piiFakes(spec, validator)).forExchange([]);
    const customer = fakes.body(
      { $ref: "#/components/schemas/Customer" },
      { addresses: [{ city: "Radnor", delivery_note: "Radnor back door" }] },
    ) as { addresses: Record<string, string>[] };
    const [address] = customer.addresses;
    expect(Object.keys(address!)).toEqual(["city", "delivery_note"]);
    expect(address!.delivery_note).not.toContain("Radnor");
    const onboarded = fakes.body(
      { $ref: "#/components/schemas/OnboardCustomerResponse" },
      { mobile_analysis_results: { [person.phone]: "mobile" } },
    ) as { mobile_analysis_results: Record<string, string> };
    expect(Object.keys(onboarded.mobile_analysis_results)).toEqual([fakes.parameter(phone, true, person.phone)]);
  });

  it("take a value where the schema wants another type, and make it one of that type", () => {
    const fakes = piiFakes(spec, validator);
    const fake = fakes.fake(phone, 6105559876);
    expect(fake).toMatch(/^[0-9]{10,11}$/);
    expect(fakes.fake({ type: "string", format: "uuid" }, "not-a-uuid-at-all")).toMatch(/^[0-9a-f-]{36}$/);
  });
});

/** Every example body of the spec's operations, with its schema. */
function exampleBodies(spec: OpenApiDoc): { where: string; schema: Schema; example: unknown }[] {
  const found: { where: string; schema: Schema; example: unknown }[] = [];
  for (const operation of listOperations(spec)) {
    const contents = [
      ["request", operation.requestBody?.content] as const,
      ...Object.entries(operation.responses).map(([status, response]) => [status, response.content] as const),
    ];
    for (const [side, content] of contents)
      for (const media of Object.values(content ?? {})) {
        if (media.schema === undefined) continue;
        const examples = [
          media.example,
          ...Object.values(media.examples ?? {}).map((e) => deref<{ value?: unknown }>(spec, e).value),
        ];
        for (const example of examples.filter((e) => e !== undefined))
          found.push({ where: `${operation.operationId} ${side}`, schema: media.schema, example });
      }
  }
  return found;
}

/** The values of a body that sit in (or below) an `x-pii` field, an enum or a flag aside, by `properties` and `items`. */
function personalLeaves(
  spec: OpenApiDoc,
  schema: Schema | undefined,
  value: unknown,
  at: (string | number)[],
  inherited = false,
): { at: (string | number)[]; value: unknown }[] {
  const parts = schemaParts(spec, schema);
  const personal = inherited || isPersonal(spec, schema);
  if (Array.isArray(value)) {
    const items = parts.find((part) => isObject(part.items))?.items as Schema | undefined;
    return value.flatMap((item, i) => personalLeaves(spec, items, item, [...at, i], personal));
  }
  if (isObject(value))
    return Object.entries(value).flatMap(([key, child]) => {
      const declared = parts
        .map((part) => (isObject(part.properties) ? part.properties[key] : undefined))
        .find(Boolean);
      return declared === undefined ? [] : personalLeaves(spec, declared as Schema, child, [...at, key], personal);
    });
  const closed = parts.some((part) => Array.isArray(part.enum) || "const" in part || part.type === "boolean");
  return personal && !closed && value !== null && value !== "" ? [{ at, value }] : [];
}

function valueAt(value: unknown, at: (string | number)[]): unknown {
  return at.reduce<unknown>((node, key) => (node as Record<string | number, unknown> | undefined)?.[key], value);
}
