import { readFileSync } from "node:fs";
import type { OpenApiDoc } from "./openapi.js";

/** Reads a bundled spec (JSON). Apart from openapi.ts, so the model needs no Node built-ins. */
export function loadSpec(file: string): OpenApiDoc {
  const text = readFileSync(file, "utf8");
  try {
    return JSON.parse(text) as OpenApiDoc;
  } catch (error) {
    throw new Error(`${file}: a bundled spec must be JSON (${error instanceof Error ? error.message : String(error)})`);
  }
}
