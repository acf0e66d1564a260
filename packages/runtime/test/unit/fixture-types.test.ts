// The fixture's committed types are what openapi-typescript makes of its spec today.
import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { fixtureTypes, fixtureTypesFile } from "../fixtures/generate.js";

describe("the fixture API", () => {
  it("has committed types that match its spec (regenerate: node --import tsx packages/runtime/test/fixtures/generate.ts)", async () => {
    expect(readFileSync(fixtureTypesFile, "utf8")).toBe(await fixtureTypes());
  });
});
