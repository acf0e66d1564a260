import { createRelayCdmClient } from "@cx-openapi/relay-cdm";

const relay = createRelayCdmClient({
  apiKey: process.env.RELAY_API_KEY!,
  environment: "staging",
});

const path = {
  client_id: "relay_developer",
  ccid: "BAK-11984-007",
  phone_number: "6105551212",
};
const result = await relay.PUT(
  "/cdm/client/{client_id}/customer/{ccid}/add_phone/{phone_number}",
  {
    params: { path },
    body: { consent_type: "express", phone_type: "mobile", country_code: "1" },
  },
);
if (result.status === 200) console.log(result.data.message);
else console.error(`Relay answered ${result.status}`, result.error);
