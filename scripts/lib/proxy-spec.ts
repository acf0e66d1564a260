// `pnpm proxy --spec <file>`: the proxy checks traffic against a spec of the user's (a patched bundle
// from `pnpm drift:propose --out`) instead of dist/openapi/<api>.json. The file is data: it is read
// as spec:diff reads its inputs (spec-file.ts: size limits, strict UTF-8, no `$ref` to a URL or out
// of its folder), must be an OpenAPI 3.1 document of the API (its `info.title`), and Prism is given
// a copy of what was read and checked, never the file itself, so it follows nothing the check did
// not see. Every refusal is a UsageError (exit code 2) naming the file and the problem.
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { apiRegistry, isApiName, listOperations, type OpenApiDoc } from "@cx-openapi/spec";
import { UsageError } from "./cli.js";
import { loadSpecFile } from "./spec-file.js";

/** The spec in `file`, checked to be an OpenAPI 3.1 document of `api`. */
export function loadProxySpec(file: string, api: string): OpenApiDoc {
  const doc = loadSpecFile(file);
  const where = `--spec ${file}`;
  if (typeof doc.openapi !== "string" || !doc.openapi.startsWith("3.1."))
    throw new UsageError(
      `${where}: openapi is ${JSON.stringify(doc.openapi)}; the proxy takes an OpenAPI 3.1 document`,
    );
  const title = (doc.info as { title?: unknown } | undefined)?.title;
  const wanted = isApiName(api) ? apiRegistry[api].title : undefined;
  if (title !== wanted)
    throw new UsageError(
      `${where}: not an OpenAPI document of ${api}: its info.title is ${JSON.stringify(title)}, not ${JSON.stringify(wanted)}`,
    );
  const spec = doc as OpenApiDoc;
  try {
    if (listOperations(spec).length === 0) throw new Error("it has no operation");
  } catch (error) {
    throw new UsageError(`${where}: ${(error as Error).message}`);
  }
  return spec;
}

/** The spec as a JSON file of its own for Prism (0600, in a 0700 folder), and how to remove it. */
export function prismCopy(spec: OpenApiDoc, api: string): { file: string; remove(): void } {
  const folder = mkdtempSync(join(tmpdir(), "cx-openapi-proxy-spec-"));
  const file = join(folder, `${api}.json`);
  writeFileSync(file, JSON.stringify(spec), { mode: 0o600 });
  return { file, remove: () => rmSync(folder, { recursive: true, force: true }) };
}
