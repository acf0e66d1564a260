// How long the worst request bodies within the sandbox's default limits hold its event loop: each
// is sent alone to a sandbox in this process (in-process gate), while monitorEventLoopDelay
// records the longest block, and a small call sent at the same time measures the wait it causes.
import { monitorEventLoopDelay } from "node:perf_hooks";
import { worstOnboardBodies } from "@cx-openapi/devkit/testing";
import { createSandbox, serveSandbox } from "@cx-openapi/sandbox";
import { bundledSpecs } from "./specs.js";

export interface LimitsBenchRow {
  input: string;
  bytes: number;
  status: number;
  /** The longest the event loop was held, in ms (median of the runs). */
  blockedMs: number;
  /** How long a small call sent at the same time took, in ms (median of the runs). */
  unrelatedMs: number;
}

const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)]!;

export async function measureLimits(runs: number): Promise<LimitsBenchRow[]> {
  const { specFiles, specs } = bundledSpecs();
  const running = await serveSandbox({ sandbox: createSandbox({ specs }), specFiles, gate: "in-process" });
  const url = `${running.urls["relay-cdm"]}/cdm/client/bench/onboard`;
  const headers = { "xx-relay-api-key": "bench-key", "content-type": "application/json" };
  try {
    const rows: LimitsBenchRow[] = [];
    for (const { name, body } of worstOnboardBodies()) {
      const blocked: number[] = [];
      const unrelated: number[] = [];
      let status = 0;
      for (let run = 0; run < runs; run++) {
        const histogram = monitorEventLoopDelay({ resolution: 1 });
        histogram.enable();
        const started = performance.now();
        const small = fetch(`${running.urls["relay-cdm"]}/__sandbox/state`).then(() => performance.now() - started);
        status = (await fetch(url, { method: "POST", headers, body })).status;
        unrelated.push(await small);
        histogram.disable();
        blocked.push(histogram.max / 1e6);
      }
      rows.push({
        input: name,
        bytes: Buffer.byteLength(body),
        status,
        blockedMs: median(blocked),
        unrelatedMs: median(unrelated),
      });
    }
    return rows;
  } finally {
    await running.stop();
  }
}
