import { createRelayCdmClient } from "@cx-openapi/relay-cdm";

const relay = createRelayCdmClient({
  apiKey: process.env.RELAY_API_KEY!,
  environment: "staging",
});

const result = await relay.POST("/cdm/client/{client_id}/load-customer-record", {
  params: { path: { client_id: "relay_developer" } },
  body: {
    product_group_id: "default",
    customer: { ccid: "BAK-11984-007", first_name: "Roger", last_name: "Moore" },
  },
});
if (result.status === 409) console.warn("A customer with this ccid already exists");
else if (result.status !== 200) throw new Error(`Relay answered ${result.status}`);
