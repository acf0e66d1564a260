// The enum arrays and PII lists `pnpm gen` writes must agree with the specs they come from.
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { describe, expect, it } from "vitest";
import { isObject, loadSpec, resolvePointer } from "@cx-openapi/spec";
import { loadApis } from "../../lib/apis.js";

/** Every `enum` keyword under components.schemas, found by a plain walk independent of the generator. */
function enumPointers(node: unknown, pointer: string, found: string[] = []): string[] {
  if (Array.isArray(node)) node.forEach((child, i) => enumPointers(child, `${pointer}/${i}`, found));
  else if (isObject(node)) {
    for (const [key, child] of Object.entries(node)) {
      if (key === "enum" && Array.isArray(child)) found.push(`${pointer}/enum`);
      else if (key !== "examples" && key !== "example") enumPointers(child, `${pointer}/${key}`, found);
    }
  }
  return found;
}

describe.each(loadApis())("$name generated facts", (api) => {
  const doc = loadSpec(api.bundleJson);

  it("exports every enum of the spec, with the spec's values", async () => {
    const enums = (await import(pathToFileURL(join(api.generatedDir, "enums.ts")).href)) as Record<string, unknown>;
    const exported = Object.values(enums);
    const pointers = enumPointers(doc.components?.schemas, "#/components/schemas");
    expect(exported).toHaveLength(pointers.length);
    for (const pointer of pointers) expect(exported).toContainEqual(resolvePointer(doc, pointer));
  });

  it("lists every x-pii path parameter", async () => {
    const { piiPathParameters } = (await import(pathToFileURL(join(api.generatedDir, "pii.ts")).href)) as {
      piiPathParameters: string[];
    };
    const raw = JSON.stringify(doc.components?.parameters ?? {});
    for (const name of piiPathParameters) expect(raw).toContain(`"name":"${name}"`);
    expect(piiPathParameters.length).toBeGreaterThan(0);
  });
});
