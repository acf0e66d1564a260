// Every example on the vendors' public pages validates against the bundled spec on its side, and so
// do the bodies a real server plausibly sends (templated messages filled in, longer or later values,
// extra fields). The examples are copied into fixtures/vendor-examples/<api>.yaml, each with the
// public URL of its page: tests never read anything outside the repository. So does every reviewed
// recording of real traffic (cx-recording/1, docs/recordings.md) under fixtures/recordings/<api>/:
// its path parameters and request body against the operation's request, its response against the
// declared response, so the spec keeps accepting what the vendor was seen sending.
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { parse } from "yaml";
import { loadApis } from "../../lib/apis.js";
import { parseRecording, type Recording } from "../../lib/drift-seed-read.js";
import {
  createValidator,
  getOperation,
  loadSpec,
  type OpenApiDoc,
  type SpecValidator,
  type ValidationResult,
} from "@cx-openapi/spec";

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

const recordingDir = join(import.meta.dirname, "../fixtures/recordings");

/** The recordings of an API, by path under its folder (`getCustomer/0001-200.json`). */
function recordingFiles(api: string): string[] {
  return readdirSync(join(recordingDir, api), { recursive: true, encoding: "utf8" })
    .filter((file) => file.endsWith(".json") && !file.endsWith("faults.json"))
    .sort();
}

/** What in a recording breaks the spec: its operation, path parameters, request body and response. */
function recordingErrors(doc: OpenApiDoc, validator: SpecValidator, recording: Recording): string[] {
  const operation = getOperation(doc, recording.operationId);
  const errors: string[] = [];
  if (operation.method !== recording.method.toLowerCase() || operation.path !== recording.path)
    errors.push(`${recording.method} ${recording.path} is not ${recording.operationId}'s route`);
  for (const parameter of operation.parameters.filter((p) => p.in === "path" && p.schema))
    errors.push(
      ...validator
        .validate(parameter.schema!, recording.request.pathParameters[parameter.name])
        .errors.map((error) => `path parameter ${parameter.name}: ${error}`),
    );
  if (recording.request.body !== undefined) {
    const schema = operation.requestBody?.content["application/json"]?.schema;
    if (schema === undefined) errors.push(`${recording.operationId} takes no JSON body`);
    else errors.push(...validator.validate(schema, recording.request.body).errors.map((e) => `request body: ${e}`));
  }
  const { status, contentType, body } = recording.response;
  errors.push(...validator.validateResponse({ operationId: recording.operationId, status, contentType, body }).errors);
  return errors;
}

describe.each(loadApis())("$name reviewed recordings", (api) => {
  const doc = loadSpec(api.bundleJson);
  const validator = createValidator(doc);
  const files = recordingFiles(api.name);

  it("are there to check", () => {
    expect(files.length).toBeGreaterThan(0);
  });

  it.each(files)("%s validates: the spec accepts what the vendor was seen sending", (file) => {
    const recording = parseRecording(JSON.parse(readFileSync(join(recordingDir, api.name, file), "utf8")));
    expect(recording.api).toBe(api.name);
    expect(recordingErrors(doc, validator, recording)).toEqual([]);
  });

  it("a recording the spec does not accept is caught, naming the field", () => {
    const file = files.find((name) => /-2\d\d\.json$/.test(name))!;
    const recording = parseRecording(JSON.parse(readFileSync(join(recordingDir, api.name, file), "utf8")));
    const body = recording.response.body as Record<string, unknown>;
    const field = Object.keys(body).find((key) => typeof body[key] === "string")!;
    const broken = { ...recording, response: { ...recording.response, body: { ...body, [field]: 42 } } };
    expect(recordingErrors(doc, validator, broken)).toEqual([expect.stringContaining(`/${field} must be string`)]);
  });
});
