// The sandbox's throughput and p99 latency for a read and a write (autocannon on 127.0.0.1, each
// run bounded in time), direct (no Prism: the sandbox's own validator checks every answer) and
// behind the Prism gate, beside Prism's static mock as the reference.
import autocannon from "autocannon";
import { createSandbox, serveSandbox } from "@cx-openapi/sandbox";
import { startPrism } from "@cx-openapi/spec";
import { bundledSpecs } from "./specs.js";

export interface SandboxBenchSettings {
  /** Seconds per run. */
  seconds: number;
  connections: number;
}

export interface SandboxBenchRow {
  server: string;
  call: string;
  requestsPerSecond: number;
  p99Ms: number;
  non2xx: number;
}

const headers = { "xx-relay-api-key": "bench-key", "content-type": "application/json" };
const person = {
  product_group_id: "default",
  customer: {
    ccid: "BENCH-1",
    first_name: "Ada",
    notification_channels: [{ channel_addr: "6105551212", consent_type: "written" }],
  },
};
const calls = [
  { call: "read: GET customer", method: "GET" as const, path: "/cdm/client/bench/customer/BENCH-1" },
  {
    call: "write: POST onboard (upsert)",
    method: "POST" as const,
    path: "/cdm/client/bench/onboard",
    body: JSON.stringify(person),
  },
];

function run(url: string, call: (typeof calls)[number], settings: SandboxBenchSettings): Promise<autocannon.Result> {
  return autocannon({
    url: `${url}${call.path}`,
    method: call.method,
    headers,
    ...(call.body ? { body: call.body } : {}),
    connections: settings.connections,
    duration: settings.seconds,
  });
}

export async function measureSandbox(
  settings: SandboxBenchSettings,
  log: (line: string) => void,
): Promise<SandboxBenchRow[]> {
  const { specFiles, specs } = bundledSpecs();
  const seed = { relayCdm: { clients: { bench: { customers: [person] } } } };
  const rows: SandboxBenchRow[] = [];
  const servers: [string, () => Promise<{ url: string; stop: () => Promise<void> }>][] = [
    [
      "sandbox, direct",
      async () => {
        const running = await serveSandbox({ sandbox: createSandbox({ specs, seed }), specFiles, gate: "in-process" });
        return { url: running.urls["relay-cdm"], stop: running.stop };
      },
    ],
    [
      "sandbox behind prism proxy",
      async () => {
        const running = await serveSandbox({ sandbox: createSandbox({ specs, seed }), specFiles, gate: "prism" });
        return { url: running.urls["relay-cdm"], stop: running.stop };
      },
    ],
    ["prism mock (static)", async () => startPrism({ spec: specFiles["relay-cdm"] })],
  ];
  for (const [server, start] of servers) {
    const running = await start();
    try {
      for (const call of calls) {
        log(`  ${server}: ${call.call} (${settings.seconds} s, ${settings.connections} connections)`);
        const result = await run(running.url, call, settings);
        rows.push({
          server,
          call: call.call,
          requestsPerSecond: result.requests.average,
          p99Ms: result.latency.p99,
          non2xx: result.non2xx,
        });
      }
    } finally {
      await running.stop();
    }
  }
  return rows;
}
