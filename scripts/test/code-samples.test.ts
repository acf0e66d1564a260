// The TypeScript code samples the docs show (`x-codeSamples`) compile against the real client types,
// with the project's strictness: a change to a spec, the generated types or the runtime that breaks
// a sample fails here. The deliberately broken samples prove the check can fail.
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { loadApis } from "../lib/apis.js";
import { loadSpec } from "../lib/openapi.js";
import { operationSamples, typeCheckSamples, type CodeSample, type SampleProblem } from "../lib/code-samples.js";

const apis = loadApis().map((api) => ({
  api,
  doc: loadSpec(api.bundleJson),
  packageName: (JSON.parse(readFileSync(join(api.packageDir, "package.json"), "utf8")) as { name: string }).name,
}));

const operations = apis.flatMap(({ api, doc, packageName }) =>
  operationSamples(doc).map((op) => ({ ...op, api: api.name, packageName })),
);
const typeScriptSamples = (op: (typeof operations)[number]): CodeSample[] => op.samples.filter((s) => s.lang === "TypeScript");

/** Samples named `<api>/<operationId>[-n]`. */
const realSamples = new Map<string, string>();
for (const op of operations) {
  typeScriptSamples(op).forEach((sample, i) => realSamples.set(`${op.api}/${op.operationId}${i ? `-${i}` : ""}`, sample.source));
}

function sampleOf(api: string, operationId: string): string {
  const source = realSamples.get(`${api}/${operationId}`);
  if (!source) throw new Error(`No sample for ${api} ${operationId}`);
  return source;
}

/** A real sample with one edit; fails loudly if the edit no longer applies, so the proof cannot rot. */
function broken(api: string, operationId: string, from: string | RegExp, to: string): string {
  const source = sampleOf(api, operationId);
  const edited = source.replace(from, to);
  if (edited === source) throw new Error(`The broken variant of ${api} ${operationId} no longer applies: ${String(from)} not found`);
  return edited;
}

/** Each must fail to compile, for the reason given. */
const brokenSamples: Record<string, { source: () => string; expect: RegExp }> = {
  "broken/misspelt-path-parameter": {
    source: () => broken("relay-cdm", "getCustomer", 'ccid: "BAK-11984-007"', 'ccId: "BAK-11984-007"'),
    expect: /ccId/,
  },
  "broken/unknown-path": {
    source: () => broken("relay-cdm", "deactivateCustomer", '"/cdm/client/{client_id}/customer/{ccid}"', '"/cdm/client/{client_id}/customers/{ccid}"'),
    expect: /customers\/\{ccid\}/,
  },
  "broken/wrong-body-type": {
    source: () => broken("hiirelevate", "createSegment", "daysValid: 365", 'daysValid: "365"'),
    expect: /not assignable to type 'number'/,
  },
  "broken/enum-value": {
    source: () => broken("relay-cdm", "addCustomerPhone", 'consent_type: "express"', 'consent_type: "verbal"'),
    expect: /"verbal"/,
  },
  "broken/data-before-narrowing": {
    // `>=` does not narrow the result, so `data` may still be undefined (an error status).
    source: () => broken("hiirelevate", "getCustomer", "if (result.status === 200) {", "if (result.status >= 200) {"),
    expect: /possibly 'undefined'/,
  },
  "broken/undeclared-variable": {
    source: () => broken("hiirelevate", "deleteCustomer", /const customerId = .*\n/, ""),
    expect: /No value exists in scope for the shorthand property 'customerId'/,
  },
};

let problems: Map<string, SampleProblem>;

beforeAll(() => {
  const sources = new Map(realSamples);
  for (const [name, { source }] of Object.entries(brokenSamples)) sources.set(name, source());
  problems = new Map(typeCheckSamples(sources).problems.map((p) => [p.file.replace(/\.ts$/, ""), p]));
}, 60_000);

describe("x-codeSamples", () => {
  it("exist on every operation of every API: TypeScript, labelled with the client package, calling that operation", () => {
    expect(operations.length).toBeGreaterThan(0);
    const missing: string[] = [];
    for (const op of operations) {
      const samples = typeScriptSamples(op);
      const where = `${op.api} ${op.operationId}`;
      if (samples.length === 0) missing.push(`${where}: no TypeScript sample`);
      for (const sample of samples) {
        if (sample.label !== op.packageName) missing.push(`${where}: label is "${sample.label}", not "${op.packageName}"`);
        if (!sample.source.includes(`from "${op.packageName}"`)) missing.push(`${where}: does not import ${op.packageName}`);
        const call = `.${op.method.toUpperCase()}("${op.path}"`;
        if (!sample.source.replace(/\(\s+"/g, '("').includes(call)) missing.push(`${where}: does not call ${call})`);
      }
    }
    expect(missing).toEqual([]);
    console.log(`${realSamples.size} code samples on ${operations.length} operations of ${apis.length} APIs`);
  });

  it("type-check against the real client types (strict, exactOptionalPropertyTypes, noUncheckedIndexedAccess)", () => {
    const failing = [...realSamples.keys()].flatMap((name) => {
      const problem = problems.get(name);
      return problem ? [`${name}:\n  ${problem.messages.join("\n  ")}`] : [];
    });
    expect(failing, failing.join("\n\n")).toEqual([]);
  });

  it.each(Object.entries(brokenSamples))("fail the check when a sample is wrong: %s", (name, { expect: reason }) => {
    const problem = problems.get(name);
    expect(problem, `${name} compiled, but it is broken on purpose`).toBeDefined();
    expect(problem!.messages.join("\n")).toMatch(reason);
  });
});
