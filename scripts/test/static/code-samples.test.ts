// The TypeScript code samples the docs show (`x-codeSamples`): each is a file of
// openapi/<api>/code_samples/TypeScript/ that the spec references with `$ref`, on every operation,
// and `pnpm typecheck` compiles every one of them against the real client types with the
// project's strictness, so a change to a spec, the generated types or the runtime that breaks a
// sample fails there.
import { readdirSync, readFileSync } from "node:fs";
import { dirname, join } from "node:path";
import ts from "typescript";
import { describe, expect, it } from "vitest";
import { loadApis, repoRoot } from "../../lib/apis.js";
import { loadSpec } from "@cx-openapi/spec";
import { operationSamples, type CodeSample } from "../../lib/docs-document.js";

const apis = loadApis().map((api) => ({
  api,
  doc: loadSpec(api.bundleJson),
  packageName: (JSON.parse(readFileSync(join(api.packageDir, "package.json"), "utf8")) as { name: string }).name,
}));

const operations = apis.flatMap(({ api, doc, packageName }) =>
  operationSamples(doc).map((op) => ({ ...op, api: api.name, packageName })),
);
const typeScriptSamples = (op: (typeof operations)[number]): CodeSample[] =>
  op.samples.filter((s) => s.lang === "TypeScript");

/** Samples named `<api>/<operationId>[-n]`. */
const realSamples = new Map<string, string>();
for (const op of operations) {
  typeScriptSamples(op).forEach((sample, i) =>
    realSamples.set(`${op.api}/${op.operationId}${i ? `-${i}` : ""}`, sample.source),
  );
}

describe("x-codeSamples", () => {
  it("exist on every operation of every API: TypeScript, labelled with the client package, calling that operation", () => {
    expect(operations.length).toBeGreaterThan(0);
    const missing: string[] = [];
    for (const op of operations) {
      const samples = typeScriptSamples(op);
      const where = `${op.api} ${op.operationId}`;
      if (samples.length === 0) missing.push(`${where}: no TypeScript sample`);
      for (const sample of samples) {
        if (sample.label !== op.packageName)
          missing.push(`${where}: label is "${sample.label}", not "${op.packageName}"`);
        if (!sample.source.includes(`from "${op.packageName}"`))
          missing.push(`${where}: does not import ${op.packageName}`);
        const call = `.${op.method.toUpperCase()}("${op.path}"`;
        if (!sample.source.replace(/\(\s+"/g, '("').includes(call)) missing.push(`${where}: does not call ${call})`);
      }
    }
    expect(missing).toEqual([]);
    console.log(`${realSamples.size} code samples on ${operations.length} operations of ${apis.length} APIs`);
  });

  it("are files of openapi/<api>/code_samples/TypeScript/, each referenced from the spec exactly once", () => {
    for (const { api } of apis) {
      const dir = join(dirname(api.root), "code_samples/TypeScript");
      const files = readdirSync(dir).filter((file) => file.endsWith(".ts"));
      const texts = files.map((file) => readFileSync(join(dir, file), "utf8")).sort();
      const bundled = [...realSamples]
        .filter(([name]) => name.startsWith(`${api.name}/`))
        .map(([, source]) => source)
        .sort();
      expect(bundled, `${api.name}: the bundled samples are the files`).toEqual(texts);
    }
  });

  it("are in the pnpm typecheck program, with the strict options, importing the workspace packages", () => {
    const config = ts.getParsedCommandLineOfConfigFile(
      join(repoRoot, "tsconfig.json"),
      {},
      { ...ts.sys, onUnRecoverableConfigFileDiagnostic: () => {} },
    );
    const files = new Set(config!.fileNames);
    const samples = apis.flatMap(({ api }) => {
      const dir = join(dirname(api.root), "code_samples/TypeScript");
      return readdirSync(dir).map((file) => join(dir, file));
    });
    expect(samples.length).toBe(realSamples.size);
    expect(samples.filter((file) => !files.has(file))).toEqual([]);
    expect(config!.options).toMatchObject({
      strict: true,
      exactOptionalPropertyTypes: true,
      noUncheckedIndexedAccess: true,
    });
    expect(config!.options.paths?.["@cx-openapi/*"]).toEqual(["./packages/*/src/index.ts"]);
  });
});
