import { createRelayCdmClient } from "@cx-openapi/relay-cdm";

const relay = createRelayCdmClient({
  apiKey: process.env.RELAY_API_KEY!,
  environment: "staging",
});

const result = await relay.DELETE("/cdm/client/{client_id}/customer/{ccid}", {
  params: { path: { client_id: "relay_developer", ccid: "BAK-11984-007" } },
});
if (result.status === 200) console.log(result.data.message);
else console.error(`Relay answered ${result.status}`, result.error);
