// The Overlay 1.0 document a proposal is written as, and applying one to a bundle. Applying uses
// openapi-format's overlay engine (maintained, JSONPath by jsonpathly's parser: no eval of filter
// expressions, unlike the `jsonpath` package openapi-overlays-js 0.2.0 builds on, which also only
// logs a failed action). An action that selects nothing is an error here, never a silent no-op.
import { createRequire } from "node:module";
import type { OverlayAction } from "./actions.js";

/** openapi-format's overlay engine, loaded when an overlay is applied (it brings a YAML parser and more). */
type OverlayEngine = (
  doc: Record<string, unknown>,
  options: { overlaySet: unknown },
) => Promise<{ data: Record<string, unknown>; resultData: { unusedActions: OverlayAction[] } }>;
const overlayEngine = (): OverlayEngine => createRequire(import.meta.url)("openapi-format").openapiOverlay;

/** A question for a reviewer: a deviation no action answers. */
export interface ReviewItem {
  operationId: string;
  status: number;
  rule: string;
  pointer: string;
  count: number;
  question: string;
}

export interface OverlayDocument {
  overlay: "1.0.0";
  info: { title: string; version: string; description: string };
  extends?: string;
  actions: OverlayAction[];
  "x-evidence-files": string[];
  "x-review"?: ReviewItem[];
}

/**
 * Applies an overlay to a copy of a document. openapi-format applies a 1.0.x update by deep merge,
 * which replaces an array where Overlay 1.0 appends to it; its 1.1 path applies updates as 1.0
 * defines them (an array target appended to, an object merged), so the actions go through that path.
 */
export async function applyOverlay(
  doc: Record<string, unknown>,
  overlay: Pick<OverlayDocument, "actions">,
): Promise<Record<string, unknown>> {
  const errors: string[] = [];
  const logged = console.error;
  console.error = (...args: unknown[]) => void errors.push(args.join(" "));
  try {
    const overlaySet = { overlay: "1.1.0", info: { title: "apply", version: "1" }, actions: overlay.actions };
    const { data, resultData } = await overlayEngine()(structuredClone(doc), { overlaySet });
    const unused = resultData.unusedActions.map((action) => action.target);
    if (errors.length > 0 || unused.length > 0)
      throw new Error(
        [...errors, ...unused.map((target) => `an action selects nothing in the spec: ${target}`)].join("\n"),
      );
    return data;
  } finally {
    console.error = logged;
  }
}
