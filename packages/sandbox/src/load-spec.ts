import { readFileSync } from "node:fs";
import type { OpenApiDoc } from "./openapi.js";

/** Reads a bundled spec (JSON). Apart from openapi.ts, so the sandbox's core needs no Node built-ins. */
export function loadSpec(file: string): OpenApiDoc {
  return JSON.parse(readFileSync(file, "utf8")) as OpenApiDoc;
}
