import { createRelayCdmClient } from "@cx-openapi/relay-cdm";

const relay = createRelayCdmClient({
  apiKey: process.env.RELAY_API_KEY!,
  environment: "staging",
});

const result = await relay.POST("/cdm/client/{client_id}/onboard", {
  params: { path: { client_id: "relay_developer" } },
  body: {
    product_group_id: "default",
    trigger_id: "welcome-sms",
    customer: {
      ccid: "BAK-11984-007",
      first_name: "Roger",
      notification_channels: [{ channel_addr: "6105551212", consent_type: "express" }],
    },
  },
});
if (result.status === 200) {
  console.log(result.data.message, result.data.mobile_analysis_results);
} else {
  console.error(`Relay answered ${result.status}`, result.error);
}
