import { ensureBundles } from "../../lib/bundle.js";

/** Vitest global setup of the unit and e2e tiers: bundles the specs that changed, so no test reads a stale bundle. */
export default function setup(): void {
  ensureBundles();
}
