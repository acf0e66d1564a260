// What the drift reporter (@cx-openapi/relay-cdm/drift) costs per call: the Relay client without it,
// with it sampling 10% of the responses, and checking every one, all in this process against a fetch
// stub that answers a typical customer (about 1 KB of JSON that follows the spec), so the figures
// are the client's own work and the check's, with no socket in between.
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { build } from "esbuild";
import type { Middleware } from "@cx-openapi/relay-cdm";
import type { builtRelayClient, Contender } from "./calls.js";
import { jsTarget } from "../lib/packages.js";

type Relay = Awaited<ReturnType<typeof builtRelayClient>>;
/** What the bench uses of @cx-openapi/relay-cdm/drift (which the workspace does not map by name). */
interface RelayCdmDrift {
  driftReporter(options: { sample: number; onDeviation: () => void }): Middleware;
}

/** The drift entry as its package ships it: compiled by esbuild, its validators bundled in. */
export async function builtRelayDrift(root: string): Promise<RelayCdmDrift> {
  const outfile = join(root, "node_modules/.cache/cx-openapi-bench/relay-cdm-drift.mjs");
  await build({
    entryPoints: [join(root, "packages/relay-cdm/src/drift.ts")],
    outfile,
    bundle: true,
    format: "esm",
    platform: "neutral",
    target: jsTarget,
    logLevel: "warning",
  });
  return (await import(pathToFileURL(outfile).href)) as RelayCdmDrift;
}

/** A customer as Relay answers it, following the spec. */
const customer = JSON.stringify({
  ccid: "BAK-11984-007",
  first_name: "Roger",
  last_name: "Rabbit",
  date_of_birth: "1961-07-23",
  secondary_account_id: "ABC123",
  notification_channels: [
    { channel_type: "sms", channel_addr: "6105551212", consent_type: "written", phone_type: "mobile" },
    { channel_type: "sms", channel_addr: "6105559876", consent_type: "express", phone_type: "landline" },
  ],
  addresses: [{ address1: "1 Toon Lane", city: "Toontown", state_province: "CA", postal_code: "90001", country: "US" }],
});

const stubFetch = async () => new Response(customer, { status: 200, headers: { "content-type": "application/json" } });

/** The three contenders: no drift, drift on 10% of the responses, drift on every one. */
export function driftContenders(relay: Relay, drift: RelayCdmDrift): Contender[] {
  const path = "/cdm/client/{client_id}/customer/{ccid}";
  const init = { params: { path: { client_id: "relay_developer", ccid: "BAK-11984-007" } } };
  const contender = (name: string, sample: number | undefined): Contender => {
    const client = relay.createRelayCdmClient({
      apiKey: "bench-api-key",
      baseUrl: "http://127.0.0.1:9",
      fetch: stubFetch,
    });
    let deviations = 0;
    if (sample !== undefined) client.use(drift.driftReporter({ sample, onDeviation: () => deviations++ }));
    return {
      name,
      call: async () => {
        const result = await client.GET(path, init);
        if (result.status !== 200 || deviations > 0)
          throw new Error(`${name}: HTTP ${result.status}, ${deviations} deviations`);
        return result.data;
      },
    };
  };
  return [
    contender("createRelayCdmClient", undefined),
    contender("+ driftReporter, sample 0.1", 0.1),
    contender("+ driftReporter, sample 1", 1),
  ];
}
