// The files the sandbox starts from besides its state: a fault profile per API (`--faults
// <api>=<file>`) and a bundled spec in place of the shipped one (`--spec <api>=<file>`, a spec
// patched to accept what a vendor was seen sending). Both are read as data (json-file.ts) and
// checked before anything starts; every message names the flag, the API and the file.
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { apiNames, isObject, type ApiName, type OpenApiDoc } from "@cx-openapi/spec/openapi";
import { checkFaultProfiles, type FaultRule } from "./faults.js";
import { JsonFileError, readJsonFile, type JsonFileLimits } from "./json-file.js";
import { checkSpecFor } from "./sandbox.js";

/** A fault profile holds at most 1000 small rules. */
export const faultFileLimits: Readonly<JsonFileLimits> = { maxBytes: 1024 * 1024, maxDepth: 8 };
/** A bundled spec: the shipped ones are about 120 KB and nest 13 levels. */
export const specFileLimits: Readonly<JsonFileLimits> = { maxBytes: 20 * 1024 * 1024, maxDepth: 256 };

/** The start rules of one API, from its fault profile file; throws naming the flag, file, rule and field. */
export function readFaultFile(api: ApiName, file: string): FaultRule[] {
  const label = `--faults ${api}=${file}`;
  const profile = readJsonFile(file, faultFileLimits, label);
  try {
    return checkFaultProfiles({ [api]: profile as FaultRule[] }, label)[api] ?? [];
  } catch (error) {
    // The checker names the API after `where`; the label names it already.
    throw new JsonFileError((error as Error).message.replace(`${label}.${api}: `, `${label}: `));
  }
}

/**
 * A bundled spec (JSON) for `api`, read as data and checked as the sandbox will use it: an OpenAPI
 * 3 document whose `$ref`s all point inside it (Prism would follow any other, to a file or the
 * network), whose operations the sandbox has a behaviour for, and whose schemas compile.
 */
export function loadBundledSpec(api: ApiName, file: string, label = `--spec ${api}=${file}`): OpenApiDoc {
  const doc = readJsonFile(file, specFileLimits, label);
  const fail = (problem: string): never => {
    throw new JsonFileError(`${label}: ${problem}`);
  };
  if (!isObject(doc)) return fail("must be an OpenAPI document (a JSON object)");
  if (typeof doc.openapi !== "string" || !/^3\.[01]\.\d+$/.test(doc.openapi))
    fail(`openapi must be 3.0.x or 3.1.x; got ${JSON.stringify(doc.openapi)}`);
  if (!isObject(doc.paths)) fail("paths must be an object (a bundled spec, as dist/openapi/<api>.json)");
  const outside = externalRef(doc, "");
  if (outside) fail(`${outside.at}: $ref ${JSON.stringify(outside.ref)} points outside the document; bundle it first`);
  try {
    checkSpecFor(api, doc as OpenApiDoc);
  } catch (error) {
    fail(`the sandbox cannot serve it as ${api}'s spec: ${error instanceof Error ? error.message : String(error)}`);
  }
  return doc as OpenApiDoc;
}

/**
 * Prism's own copy of each spec `--spec` gave, as it was read and checked (a 0600 file in a private
 * folder), never the file itself: a Prism restarted later reads what the sandbox's checks read, and
 * nothing they did not see. `remove` deletes the copies.
 */
export function prismCopies(
  specs: Record<ApiName, OpenApiDoc>,
  given: Partial<Record<ApiName, string>>,
): { files: Partial<Record<ApiName, string>>; remove(): void } {
  const apis = apiNames.filter((api) => given[api] !== undefined);
  if (!apis.length) return { files: {}, remove: () => {} };
  const folder = mkdtempSync(join(tmpdir(), "cx-sandbox-spec-"));
  const files = Object.fromEntries(
    apis.map((api) => {
      const file = join(folder, `${api}.json`);
      writeFileSync(file, JSON.stringify(specs[api]), { mode: 0o600 });
      return [api, file];
    }),
  );
  return { files, remove: () => rmSync(folder, { recursive: true, force: true }) };
}

/** The first `$ref` that is not a pointer into the document itself, with where it is. */
function externalRef(node: unknown, at: string): { at: string; ref: string } | undefined {
  if (typeof node !== "object" || node === null) return undefined;
  if (!Array.isArray(node) && "$ref" in node) {
    const ref = (node as { $ref: unknown }).$ref;
    if (typeof ref === "string" && !ref.startsWith("#")) return { at: at || "(root)", ref };
  }
  for (const [key, child] of Object.entries(node)) {
    const found = externalRef(child, `${at}/${key.replace(/~/g, "~0").replace(/\//g, "~1")}`);
    if (found) return found;
  }
  return undefined;
}

/** The API names a flag's `<api>=<file>` values give, each once; throws naming the flag and the rule. */
export function apiFileValues(flag: string, values: readonly string[] | undefined): Partial<Record<ApiName, string>> {
  const files: Partial<Record<ApiName, string>> = {};
  for (const value of values ?? []) {
    const at = value.indexOf("=");
    const [api, file] = [value.slice(0, Math.max(at, 0)), value.slice(at + 1)];
    if (at < 1 || file === "" || !(apiNames as readonly string[]).includes(api))
      throw new Error(
        `${flag} takes <api>=<file>, the API one of ${apiNames.join(", ")}; got ${JSON.stringify(value)}`,
      );
    if (files[api as ApiName] !== undefined) throw new Error(`${flag} names ${api} twice; give one file per API`);
    files[api as ApiName] = file;
  }
  return files;
}
