// The one OpenAPI document model (operations, JSON pointers, `$ref` resolution) lives in the published
// @cx-openapi/sandbox, whose validator needs it outside this repository; gen, docs, the breaking-change
// checker and the devkit's contract tests read it from here.
import { readFileSync } from "node:fs";
import type { OpenApiDoc } from "@cx-openapi/sandbox/openapi";

export * from "@cx-openapi/sandbox/openapi";

/**
 * Reads a bundled spec (JSON). The sandbox's own loadSpec sits in its main entry (the model stays
 * free of Node built-ins for the browser), which is too heavy to import for one file read.
 */
export function loadSpec(file: string): OpenApiDoc {
  return JSON.parse(readFileSync(file, "utf8")) as OpenApiDoc;
}
