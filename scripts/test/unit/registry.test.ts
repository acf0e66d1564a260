// redocly.yaml's `apis:` is the one list of APIs: the registry @cx-openapi/spec ships (written by
// pnpm gen) says the same, and the sandbox ships each client's types instead of depending on it.
import { readFileSync } from "node:fs";
import { basename, join } from "node:path";
import { apiRegistry, loadSpec } from "@cx-openapi/spec";
import { describe, expect, it } from "vitest";
import { loadApis, repoRoot } from "../../lib/apis.js";
import { readPackageJson } from "../../lib/packages.js";

const apis = loadApis();

describe("the API registry", () => {
  it("lists redocly.yaml's APIs, in its order, with their packages, ports, bundles and titles", () => {
    expect(Object.keys(apiRegistry)).toEqual(apis.map((api) => api.name));
    for (const api of apis) {
      expect(apiRegistry[api.name as keyof typeof apiRegistry], api.name).toEqual({
        name: api.name,
        title: (loadSpec(api.bundleJson).info as { title: string }).title,
        packageName: readPackageJson(api.packageDir).name,
        mockPort: api.mockPort,
        sandboxPort: api.sandboxPort,
        bundles: { json: basename(api.bundleJson), yaml: basename(api.bundleYaml) },
      });
    }
  });

  it.each(apis)("$name: the sandbox ships the client's generated types, unchanged", (api) => {
    const sandboxTypes = join(repoRoot, "packages/sandbox/src/generated", `${api.name}.ts`);
    expect(readFileSync(sandboxTypes, "utf8")).toBe(readFileSync(join(api.generatedDir, "schema.ts"), "utf8"));
  });

  it("every API has a sandbox port apart from its static mock's", () => {
    const ports = apis.flatMap((api) => [api.mockPort, api.sandboxPort]);
    expect(new Set(ports).size).toBe(ports.length);
  });
});
