import { createRelayCdmClient, type Customer } from "@cx-openapi/relay-cdm";

const relay = createRelayCdmClient({
  apiKey: process.env.RELAY_API_KEY!,
  environment: "staging",
});

const result = await relay.GET("/cdm/client/{client_id}/customer/{ccid}", {
  params: { path: { client_id: "relay_developer", ccid: "BAK-11984-007" } },
});
if (result.status === 200) {
  const customer: Customer = result.data;
  const numbers = customer.notification_channels?.map((c) => c.channel_addr);
  console.log(customer.first_name, numbers);
} else if (result.status === 404) {
  console.log("No customer with this ccid");
}
