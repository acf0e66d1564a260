import { ensureBundles } from "../../../scripts/lib/bundle.js";

/** Vitest global setup of the unit tier: bundles the specs that changed, so no test reads a stale bundle. */
export default function setup(): void {
  ensureBundles();
}
