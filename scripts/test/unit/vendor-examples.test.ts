// Every example on the vendors' public pages validates against the bundled spec on its side, and so
// do the bodies a real server plausibly sends (templated messages filled in, longer or later values,
// extra fields). The examples are copied into fixtures/vendor-examples/<api>.yaml, each with the
// public URL of its page: tests never read anything outside the repository.
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { parse } from "yaml";
import { loadApis } from "../../lib/apis.js";
import { createValidator, getOperation, loadSpec, type ValidationResult } from "@cx-openapi/spec";

interface Example {
  name: string;
  page: string;
  operationId: string;
  /** A request body. */
  request?: unknown;
  /** A path parameter's value. */
  parameter?: { name: string; value: unknown };
  /** A response body, with its status. */
  response?: unknown;
  status?: number;
  /** The only instance paths where the example is meant to fail (a decision names why). */
  breaks?: string[];
  /** The length a response field has, so that a filled-in message stays as long as its name claims. */
  length?: { field: string; is: number };
}

interface Fixture {
  vendor: Example[];
  plausible: Example[];
}

const fixtureDir = join(import.meta.dirname, "../fixtures/vendor-examples");

describe.each(loadApis())("$name vendor examples", (api) => {
  const doc = loadSpec(api.bundleJson);
  const validator = createValidator(doc);
  const fixture = parse(readFileSync(join(fixtureDir, `${api.name}.yaml`), "utf8")) as Fixture;

  function validate(example: Example): ValidationResult {
    const operation = getOperation(doc, example.operationId);
    if (example.request !== undefined) {
      const schema = operation.requestBody?.content["application/json"]?.schema;
      if (schema === undefined) throw new Error(`${example.operationId} takes no JSON body`);
      return validator.validate(schema, example.request);
    }
    if (example.parameter !== undefined) {
      const parameter = operation.parameters.find((p) => p.name === example.parameter?.name);
      if (parameter?.schema === undefined)
        throw new Error(`${example.operationId} has no parameter ${example.parameter.name}`);
      return validator.validate(parameter.schema, example.parameter.value);
    }
    if (example.status === undefined) throw new Error(`${example.name}: a response needs its status`);
    return validator.validateResponse({
      operationId: example.operationId,
      status: example.status,
      contentType: "application/json",
      body: example.response,
    });
  }

  const all = [...fixture.vendor, ...fixture.plausible];

  it("cite the public page of every example", () => {
    expect(fixture.vendor.length).toBeGreaterThan(5);
    for (const example of all) expect(example.page, example.name).toMatch(/^https:\/\/[a-z0-9.-]+\.(com|dev)\//);
  });

  it.each(all.map((example) => [example.name, example] as const))("%s validates on its side", (_name, example) => {
    const { errors } = validate(example);
    const unexpected = errors.filter((error) => !(example.breaks ?? []).some((path) => error.startsWith(`${path} `)));
    expect(unexpected).toEqual([]);
    // A declared break must really break, or the decision that explains it is stale.
    for (const path of example.breaks ?? [])
      expect(
        errors.some((error) => error.startsWith(`${path} `)),
        path,
      ).toBe(true);
  });

  it.each(all.filter((example) => example.length).map((example) => [example.name, example] as const))(
    "%s has the length it claims",
    (_name, example) => {
      const { field, is } = example.length ?? { field: "", is: -1 };
      expect((example.response as Record<string, unknown>)[field]).toHaveLength(is);
    },
  );
});
